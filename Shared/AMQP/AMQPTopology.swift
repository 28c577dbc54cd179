/// Exchanges, queues and bindings to declare, in that order. Declaring is idempotent, so every
/// process declares what it uses at start-up and again after a reconnect.
public struct AMQPTopology: Sendable, Equatable {
    public enum ExchangeKind: String, Sendable { case direct, topic, fanout, headers }

    public struct Exchange: Sendable, Equatable {
        public var name: String
        public var kind: ExchangeKind
        public init(name: String, kind: ExchangeKind) {
            self.name = name
            self.kind = kind
        }
    }

    public struct Queue: Sendable, Equatable {
        public var name: String
        public var arguments: AMQPTable
        public var durable: Bool
        /// Deleted and declared again when the broker holds it with other arguments (only while
        /// unused): for queues whose messages may be lost, such as queries that expire anyway.
        public var replaceable: Bool
        public init(name: String, arguments: AMQPTable = [:], durable: Bool = true, replaceable: Bool = false) {
            self.name = name
            self.arguments = arguments
            self.durable = durable
            self.replaceable = replaceable
        }

        /// A replicated quorum queue with a delivery limit and a dead-letter target.
        /// RabbitMQ 3.10 sets no delivery limit by itself: without one a message that always
        /// fails is redelivered forever.
        public static func quorum(
            _ name: String, deliveryLimit: Int, deadLetterExchange: String, deadLetterRoutingKey: String
        ) -> Queue {
            Queue(name: name, arguments: [
                "x-queue-type": .string("quorum"),
                "x-delivery-limit": .int(Int64(deliveryLimit)),
                "x-dead-letter-exchange": .string(deadLetterExchange),
                "x-dead-letter-routing-key": .string(deadLetterRoutingKey),
            ])
        }

        /// A classic queue that dead-letters: one node, no replication log, so a message is
        /// delivered without waiting for a write to disk. It has no delivery limit; its messages
        /// should carry an expiration instead. Replaceable, because it replaced quorum query queues.
        public static func classic(_ name: String, deadLetterExchange: String, deadLetterRoutingKey: String) -> Queue {
            Queue(name: name, arguments: [
                "x-queue-type": .string("classic"),
                "x-dead-letter-exchange": .string(deadLetterExchange),
                "x-dead-letter-routing-key": .string(deadLetterRoutingKey),
            ], replaceable: true)
        }
    }

    public struct Binding: Sendable, Equatable {
        public var queue: String
        public var exchange: String
        public var routingKey: String
        public init(queue: String, exchange: String, routingKey: String) {
            self.queue = queue
            self.exchange = exchange
            self.routingKey = routingKey
        }
    }

    public var exchanges: [Exchange]
    public var queues: [Queue]
    public var bindings: [Binding]

    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    /// Both descriptions together, without repeats.
    public func merged(with other: AMQPTopology) -> AMQPTopology {
        func unique<T: Equatable>(_ items: [T]) -> [T] {
            items.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        }
        return AMQPTopology(
            exchanges: unique(exchanges + other.exchanges), queues: unique(queues + other.queues),
            bindings: unique(bindings + other.bindings))
    }
}
