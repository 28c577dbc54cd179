import AMQP

/// The three exchanges of the system.
public enum Exchanges {
    /// Direct: `<service>.<command>` to `<service>.commands`, and queries to `<service>.queries`.
    public static let commands = "commands"
    /// Topic: `<service>.<event>` to each subscriber's `<service>.events`.
    public static let events = "events"
    /// Direct: a dead message is routed by the name of the queue it died in, to `<queue>.dead`.
    public static let dead = "dead"

    static let declarations: [AMQPTopology.Exchange] = [
        .init(name: commands, kind: .direct), .init(name: events, kind: .topic), .init(name: dead, kind: .direct),
    ]
}

/// What one service receives, from which its queues and bindings follow.
public struct ServiceTopology: Sendable, Equatable {
    public var service: String
    /// Command names handled, routed as `<service>.<command>`.
    public var commands: [String]
    /// Query names answered, routed as `<service>.<query>`.
    public var queries: [String]
    /// Topic patterns of other services' events, e.g. `billing.bill-issued` or `ledger.*`.
    public var eventPatterns: [String]
    /// Deliveries before the broker dead-letters a message that keeps failing.
    public var deliveryLimit: Int

    public init(service: String, commands: [String] = [], queries: [String] = [], eventPatterns: [String] = [], deliveryLimit: Int = 5) {
        self.service = service
        self.commands = commands
        self.queries = queries
        self.eventPatterns = eventPatterns
        self.deliveryLimit = deliveryLimit
    }

    public var commandQueue: String { "\(service).commands" }
    public var queryQueue: String { "\(service).queries" }
    public var eventQueue: String { "\(service).events" }

    /// Every queue this service consumes from.
    public var queues: [String] {
        (commands.isEmpty ? [] : [commandQueue]) + (queries.isEmpty ? [] : [queryQueue]) + (eventPatterns.isEmpty ? [] : [eventQueue])
    }

    /// Exchanges, each queue with its `.dead` twin, and the bindings.
    public var amqp: AMQPTopology {
        var topology = AMQPTopology(exchanges: Exchanges.declarations)
        func add(_ queue: String, exchange: String, keys: [String], classic: Bool = false) {
            guard !keys.isEmpty else { return }
            topology.queues.append(
                classic
                    ? .classic(queue, deadLetterExchange: Exchanges.dead, deadLetterRoutingKey: queue)
                    : .quorum(queue, deliveryLimit: deliveryLimit, deadLetterExchange: Exchanges.dead, deadLetterRoutingKey: queue))
            topology.queues.append(.init(name: "\(queue).dead", arguments: ["x-queue-type": .string("quorum")]))
            topology.bindings.append(.init(queue: "\(queue).dead", exchange: Exchanges.dead, routingKey: queue))
            for key in keys { topology.bindings.append(.init(queue: queue, exchange: exchange, routingKey: key)) }
        }
        add(commandQueue, exchange: Exchanges.commands, keys: commands.map { "\(service).\($0)" })
        // Queries change nothing and expire with their client's timeout: a classic queue answers
        // them without the quorum queue's write to disk on each message.
        add(queryQueue, exchange: Exchanges.commands, keys: queries.map { "\(service).\($0)" }, classic: true)
        add(eventQueue, exchange: Exchanges.events, keys: eventPatterns)
        return topology
    }
}
