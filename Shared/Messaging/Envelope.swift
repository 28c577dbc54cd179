import AMQP
import Foundation
import Postgres

/// The envelope of every message: who, what, when and why, carried in AMQP properties and
/// headers around a JSON body (see the architecture page, "Messages").
public struct Envelope: Sendable, Equatable {
    /// The idempotency key: a consumer handles each message id once.
    public var messageId: UUID
    /// Ties together every message of one conversation (a process instance, a request).
    public var correlationId: String?
    /// `<service>.<name>.v<N>`.
    public var type: String
    public var timestamp: Date
    /// The message that caused this one.
    public var causationId: String?
    /// The employee or system that caused it.
    public var actor: String?
    /// W3C trace context.
    public var traceparent: String?
    /// Where a query's answer goes.
    public var replyTo: String?

    public init(
        messageId: UUID = .timeOrdered(), correlationId: String? = nil, type: String, timestamp: Date = Date(),
        causationId: String? = nil, actor: String? = nil, traceparent: String? = nil, replyTo: String? = nil
    ) {
        self.messageId = messageId
        self.correlationId = correlationId
        self.type = type
        self.timestamp = timestamp
        self.causationId = causationId
        self.actor = actor
        self.traceparent = traceparent
        self.replyTo = replyTo
    }

    /// The AMQP properties that carry the envelope.
    public func properties(appId: String? = nil, persistent: Bool = true) -> AMQPProperties {
        var headers: AMQPTable = [:]
        if let causationId { headers["causation-id"] = .string(causationId) }
        if let actor { headers["actor"] = .string(actor) }
        if let traceparent { headers["traceparent"] = .string(traceparent) }
        return AMQPProperties(
            messageId: messageId.lowercasedText, correlationId: correlationId, type: type,
            timestamp: UInt64(max(0, timestamp.timeIntervalSince1970)), contentType: "application/json",
            replyTo: replyTo, appId: appId, persistent: persistent, headers: headers)
    }

    /// Reads the envelope of a received message, refusing one whose id or type is missing or wrong.
    public init(properties: AMQPProperties) throws(MessageRejected) {
        guard let id = properties.messageId else { throw MessageRejected(field: "message_id", "is missing") }
        guard let uuid = UUID(text: id) else { throw MessageRejected(field: "message_id", "'\(id)' is not a UUID") }
        guard let type = properties.type, !type.isEmpty else { throw MessageRejected(field: "type", "is missing") }
        guard Self.isValidType(type) else {
            throw MessageRejected(field: "type", "'\(type)' is not of the form <service>.<name>.v<N>")
        }
        if let contentType = properties.contentType, !contentType.hasPrefix("application/json") {
            throw MessageRejected(field: "content_type", "'\(contentType)' is not application/json")
        }
        self.init(
            messageId: uuid, correlationId: properties.correlationId, type: type,
            timestamp: properties.timestamp.map { Date(timeIntervalSince1970: Double($0)) } ?? Date(),
            causationId: properties.headers["causation-id"]?.stringValue, actor: properties.headers["actor"]?.stringValue,
            traceparent: properties.headers["traceparent"]?.stringValue, replyTo: properties.replyTo)
    }

    static func isValidType(_ type: String) -> Bool {
        let parts = type.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, let last = parts.last, last.hasPrefix("v"), Int(last.dropFirst()) != nil else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty }
    }
}

/// A message refused for what it is, not for a passing failure: it goes to the dead-letter
/// queue with this reason at once, without retries. The reason names the field.
public struct MessageRejected: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String?
    public var reason: String

    public init(field: String? = nil, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { field.map { "\($0): \(reason)" } ?? reason }
}
