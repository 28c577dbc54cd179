import BPMN
import Contracts
import Foundation
import Messaging

/// Events of other services that processes wait for as messages: a process waiting for
/// `ledger.payment-received` of its customer. Kept by the operator beside the models, in
/// `event-bindings.json` of the processes folder:
///
///     [{"event": "ledger.payment-received", "message": "payment-received",
///       "correlationKey": "customerId", "timeToLive": "PT1H"}]
///
/// `event` is the routing key the orchestrator's events queue is bound to; `message` the message
/// name in the models (the event's name when left out); `correlationKey` a FEEL expression over
/// the event's fields; `timeToLive` how long the message waits for an instance (none: not kept).
/// The event's fields become the message's variables.
struct EventBinding: Decodable, Equatable {
    var event: String
    var message: String?
    var correlationKey: String?
    var timeToLive: String?

    static let fileName = "event-bindings.json"

    /// The folder's bindings; none without the file. A wrong entry stops the start-up, named.
    static func load(folder: String) throws -> [EventBinding] {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(fileName).path
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let bindings: [EventBinding]
        do {
            bindings = try JSONDecoder().decode([EventBinding].self, from: data)
        } catch let error as DecodingError {
            throw BindingError("\(path): \(MessageRejected(decoding: error).description)")
        }
        for (index, binding) in bindings.enumerated() {
            let entry = "\(path) entry \(index + 1)"
            let words = binding.event.split(separator: ".", omittingEmptySubsequences: false)
            guard words.count == 2, words.allSatisfy({ !$0.isEmpty && !$0.contains("*") && !$0.contains("#") }) else {
                throw BindingError("\(entry): event: \"\(binding.event)\" is not an event name such as ledger.payment-received")
            }
            if let key = binding.correlationKey {
                do { _ = try Expression.feel(key) } catch { throw BindingError("\(entry): correlationKey: \(error)") }
            }
            if let text = binding.timeToLive {
                guard case .dayTimeDuration(let seconds)? = Temporal.parseDuration(text), seconds >= 0 else {
                    throw BindingError("\(entry): timeToLive: \"\(text)\" is not a duration such as PT1H")
                }
            }
        }
        return bindings
    }

    /// The message an event of this binding makes.
    func message(for event: InboundMessage) throws -> CorrelateMessage {
        guard case .object(let fields) = try JSONValue.parse(event.body) else {
            throw MessageRejected(field: "body", "an event bound to a message must be a JSON object")
        }
        var key: String?
        if let text = correlationKey {
            switch try Expression.feel(text).evaluate(fields, now: Date().timeIntervalSince1970) {
            case .string(let value): key = value
            case .number(let value) where value == value.rounded() && abs(value) < 1e15: key = String(Int64(value))
            case let other:
                throw MessageRejected(field: "correlationKey", "\(text) gives \(other.typeName), not a text, for this \(self.event) event")
            }
        }
        return CorrelateMessage(name: message ?? self.event, correlationKey: key, variables: fields, timeToLive: timeToLive)
    }
}

/// The orchestrator's events queue: each event correlated as the message of every binding of
/// its name.
struct BoundEvents: MessageHandler {
    let cache: ModelCache
    let bindings: [EventBinding]

    func handle(_ messages: [InboundMessage], context: MessageContext) async throws {
        let instances = Instances(cache: cache)
        for message in messages {
            for binding in bindings where binding.event == message.routingKey {
                try await instances.correlate(try binding.message(for: message), message: message, context: context)
            }
        }
        try await instances.finish(on: context.database)
    }
}

struct BindingError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
