import AMQP
import Foundation

/// Dead letters: messages that could not be handled, kept in `<queue>.dead` with the reason.
public enum DeadLetters {
    /// Header names set on a message the runtime dead-letters itself.
    public enum Header {
        public static let reason = "x-utilis-reason"
        public static let queue = "x-utilis-queue"
        public static let exchange = "x-utilis-exchange"
        public static let routingKey = "x-utilis-routing-key"
        public static let deadAt = "x-utilis-dead-at"
    }

    /// The copy of a delivery that goes to `<queue>.dead`, with why and where it came from.
    static func message(for delivery: AMQPDelivery, queue: String, reason: String) -> AMQPOutgoingMessage {
        var properties = delivery.properties
        properties.headers[Header.reason] = .string(reason)
        properties.headers[Header.queue] = .string(queue)
        properties.headers[Header.exchange] = .string(delivery.exchange)
        properties.headers[Header.routingKey] = .string(delivery.routingKey)
        properties.headers[Header.deadAt] = .timestamp(UInt64(Date().timeIntervalSince1970))
        properties.persistent = true
        return AMQPOutgoingMessage(exchange: Exchanges.dead, routingKey: queue, properties: properties, body: delivery.body)
    }

    /// A dead message as operators see it.
    public struct Letter: Sendable, Codable {
        public var queue: String
        public var messageId: String?
        public var type: String?
        public var reason: String
        public var exchange: String
        public var routingKey: String
        public var deadAt: Date?
        public var body: String
    }

    /// Why a message died and where it should go back to: from our own headers, or from the
    /// broker's `x-death` when the delivery limit ended it.
    public static func describe(_ delivery: AMQPDelivery, deadQueue: String) -> Letter {
        let headers = delivery.properties.headers
        let queue = String(deadQueue.dropLast(".dead".count))
        if let reason = headers[Header.reason]?.stringValue {
            return Letter(
                queue: headers[Header.queue]?.stringValue ?? queue, messageId: delivery.properties.messageId,
                type: delivery.properties.type, reason: reason, exchange: headers[Header.exchange]?.stringValue ?? "",
                routingKey: headers[Header.routingKey]?.stringValue ?? "",
                deadAt: headers[Header.deadAt]?.intValue.map { Date(timeIntervalSince1970: Double($0)) },
                body: String(decoding: delivery.body, as: UTF8.self))
        }
        var reason = "unknown"
        var exchange = ""
        var routingKey = ""
        var deadAt: Date?
        if case .array(let deaths) = headers["x-death"], case .table(let death) = deaths.first {
            reason = "broker: \(death["reason"]?.stringValue ?? "unknown")"
            if reason == "broker: delivery_limit" { reason += " (the handler kept failing or the consumer kept crashing)" }
            exchange = death["exchange"]?.stringValue ?? ""
            if case .array(let keys) = death["routing-keys"] { routingKey = keys.first?.stringValue ?? "" }
            deadAt = death["time"]?.intValue.map { Date(timeIntervalSince1970: Double($0)) }
        }
        return Letter(
            queue: queue, messageId: delivery.properties.messageId, type: delivery.properties.type, reason: reason,
            exchange: exchange, routingKey: routingKey, deadAt: deadAt, body: String(decoding: delivery.body, as: UTF8.self))
    }

    /// Lists the dead letters of a queue without removing them (they are taken and given back).
    public static func list(deadQueue: String, connection: AMQPConnection, limit: Int = 1000) async throws -> [Letter] {
        var letters: [Letter] = []
        var taken: [AMQPDelivery] = []
        while letters.count < limit, let delivery = try await connection.get(queue: deadQueue) {
            taken.append(delivery)
            letters.append(describe(delivery, deadQueue: deadQueue))
        }
        for delivery in taken { try await connection.nack(delivery, requeue: true) }
        return letters
    }

    /// Sends dead letters back to where they came from, with the dead-letter headers removed,
    /// and deletes them from the dead queue once the broker has confirmed the copy.
    /// - Parameter messageIds: only these, or all when nil.
    /// - Returns: the replayed letters.
    public static func replay(
        deadQueue: String, messageIds: Set<String>?, connection: AMQPConnection, publisher: AMQPConnection, limit: Int = 100_000
    ) async throws -> [Letter] {
        var replayed: [Letter] = []
        var keep: [AMQPDelivery] = []
        var seen = 0
        while seen < limit, let delivery = try await connection.get(queue: deadQueue) {
            seen += 1
            let letter = describe(delivery, deadQueue: deadQueue)
            guard messageIds == nil || messageIds!.contains(letter.messageId ?? ""), !letter.routingKey.isEmpty else {
                keep.append(delivery)
                continue
            }
            var properties = delivery.properties
            for key in [Header.reason, Header.queue, Header.exchange, Header.routingKey, Header.deadAt, "x-death",
                "x-delivery-count", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason"] {
                properties.headers[key] = nil
            }
            _ = try await publisher.publish([
                AMQPOutgoingMessage(exchange: letter.exchange, routingKey: letter.routingKey, properties: properties, body: delivery.body)
            ])
            try await connection.ack(delivery)
            replayed.append(letter)
        }
        for delivery in keep { try await connection.nack(delivery, requeue: true) }
        return replayed
    }
}
