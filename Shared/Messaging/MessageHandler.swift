import Postgres

/// What a handler works with: the open transaction and the messages to send when it commits.
public final class MessageContext {
    /// The connection inside the handler's transaction: state changes go here.
    public let database: PostgresConnection
    public private(set) var outgoing: [OutgoingMessage] = []

    /// A context of the service's own, for work that no message started (a scheduler's step):
    /// write `outgoing` to the outbox in the same transaction.
    public init(database: PostgresConnection) { self.database = database }

    /// Sends a message once the transaction commits (it is written to the outbox now).
    public func send(_ message: OutgoingMessage) { outgoing.append(message) }
}

/// Handles messages of one queue. The runtime calls it inside one database transaction per
/// batch, with only messages not handled before, and acknowledges them after commit.
///
/// Throw `MessageRejected` for a message that can never succeed (it is dead-lettered with the
/// reason); any other error rolls back and the message is tried again, up to the queue's
/// delivery limit.
public protocol MessageHandler: Sendable {
    func handle(_ messages: [InboundMessage], context: MessageContext) async throws
}

/// A handler written for one message at a time; the batch shares its transaction.
public struct EachMessage: MessageHandler {
    let body: @Sendable (InboundMessage, MessageContext) async throws -> Void

    public init(_ body: @escaping @Sendable (InboundMessage, MessageContext) async throws -> Void) { self.body = body }

    public func handle(_ messages: [InboundMessage], context: MessageContext) async throws {
        for message in messages { try await body(message, context) }
    }
}
