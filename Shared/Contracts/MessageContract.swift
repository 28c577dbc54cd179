/// Whether a message asks for work, tells what happened, or asks a question.
public enum MessageKind: String, Sendable, Codable {
    /// Routed on the `commands` exchange to the one queue of the service that does it.
    case command
    /// Published on the `events` exchange by the service where it happened.
    case event
    /// Sent to a service's queries queue; answered on the reply queue its `reply_to` names.
    case query
}

/// A message that crosses a service boundary: its name, version, schema and an example.
///
/// The wire type is `<service>.<name>.v<version>` and the routing key `<service>.<name>`, where
/// `service` is the service that handles a command or query, or publishes an event.
public protocol MessageContract: Codable, Sendable {
    static var service: String { get }
    static var name: String { get }
    static var version: Int { get }
    static var kind: MessageKind { get }
    /// One sentence for the AsyncAPI document.
    static var summary: String { get }
    static var schema: JSONSchema { get }
    /// A valid instance, shown in the document and checked against the schema by the tests.
    static var example: Self { get }
}

extension MessageContract {
    public static var version: Int { 1 }
    public static var type: String { "\(service).\(name).v\(version)" }
    public static var routingKey: String { "\(service).\(name)" }
}

/// A query and the contract of its answer.
public protocol QueryContract: MessageContract {
    associatedtype Reply: MessageContract
}
