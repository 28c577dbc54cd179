import AMQP
import Foundation
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// Consumes one queue and runs its handler with the guarantees of the architecture page:
/// inbox, state and outbox in one transaction; acknowledged only after commit; a duplicate
/// skipped; a poison message dead-lettered with its reason while the rest keep flowing.
///
/// On graceful shutdown it stops taking deliveries, finishes the batch in hand, and closes;
/// what the broker had delivered but not yet handed over is delivered again to another replica.
public final class MessageConsumer: Service, Sendable {
    public struct Options: Sendable {
        /// Messages handled in one transaction.
        public var batchSize: Int = 128
        /// The bodies' bytes handled in one transaction: a batch of large messages (a thousand
        /// customers each) is cut, so that no transaction holds its locks, and its answers,
        /// for long.
        public var batchBytes = 1 << 20
        /// Unacknowledged deliveries the broker may send ahead.
        public var prefetch: UInt16 = 512
        public init(batchSize: Int = 128, prefetch: UInt16 = 512) {
            self.batchSize = batchSize
            self.prefetch = prefetch
        }
    }

    public let consumerName: String
    public let queue: String
    private let topology: ServiceTopology
    private let amqp: AMQPConfiguration
    private let database: PostgresPool
    private let handler: any MessageHandler
    private let options: Options
    private let logger: Logger
    private let afterCommit: (@Sendable ([InboundMessage]) -> Void)?
    private let readiness: Readiness?
    private let stopping = Atomic<Bool>(false)
    private let handled: Counter
    private let duplicates: Counter
    private let deadLettered: Counter

    /// - Parameters:
    ///   - consumerName: the inbox key, stable across restarts (usually the queue name).
    ///   - readiness: told when the consumer is subscribed, and when it is not any more.
    ///   - afterCommit: called after a batch committed and before it is acknowledged (metrics, tests).
    public init(
        consumerName: String? = nil, queue: String, topology: ServiceTopology, amqp: AMQPConfiguration,
        database: PostgresPool, handler: any MessageHandler, options: Options = Options(), logger: Logger,
        readiness: Readiness? = nil, afterCommit: (@Sendable ([InboundMessage]) -> Void)? = nil
    ) {
        self.consumerName = consumerName ?? queue
        self.queue = queue
        self.topology = topology
        self.amqp = amqp
        self.database = database
        self.handler = handler
        self.options = options
        var logger = logger
        logger[metadataKey: "queue"] = .string(queue)
        self.logger = logger
        self.afterCommit = afterCommit
        self.readiness = readiness
        readiness?.expect(queue)
        self.handled = Counter(label: "utilis_messages_handled_total", dimensions: [("queue", queue)])
        self.duplicates = Counter(label: "utilis_messages_duplicate_total", dimensions: [("queue", queue)])
        self.deadLettered = Counter(label: "utilis_messages_dead_lettered_total", dimensions: [("queue", queue)])
    }

    public func run() async throws {
        let connection = AMQPConnection(configuration: amqp, name: "consume-\(queue)", logger: logger)
        let deadLetters = AMQPConnection(configuration: amqp, name: "dead-\(queue)", logger: logger)
        await withGracefulShutdownHandler {
            await ConsumeLoop.run(
                connection: connection, topology: topology.amqp, queue: queue, prefetch: options.prefetch,
                batchSize: options.batchSize, stopping: stopping, readiness: readiness, logger: logger
            ) { deliveries in
                try await process(deliveries, connection: connection, deadLetters: deadLetters)
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
        await connection.close()
        await deadLetters.close()
        logger.info("consumer stopped")
    }

    /// Asks the consumer to stop after the batch in hand, as a graceful shutdown does.
    public func stop() { stopping.store(true, ordering: .relaxed) }

    private func process(_ deliveries: [AMQPDelivery], connection: AMQPConnection, deadLetters: AMQPConnection) async throws {
        var messages: [InboundMessage] = []
        for delivery in deliveries {
            do {
                messages.append(try InboundMessage(delivery: delivery))
            } catch {
                try await deadLetter(delivery, reason: "envelope: \(error)", connection: connection, deadLetters: deadLetters)
            }
        }
        var chunk: [InboundMessage] = [], bytes = 0
        for message in messages {
            if !chunk.isEmpty, bytes + message.body.count > options.batchBytes {
                try await handle(chunk, connection: connection, deadLetters: deadLetters)
                (chunk, bytes) = ([], 0)
            }
            chunk.append(message)
            bytes += message.body.count
        }
        if !chunk.isEmpty { try await handle(chunk, connection: connection, deadLetters: deadLetters) }
    }

    /// Handles a batch in one transaction; when it fails, each message on its own, so that one
    /// bad message does not hold back the others.
    private func handle(_ messages: [InboundMessage], connection: AMQPConnection, deadLetters: AMQPConnection) async throws {
        var backoff = Backoff()
        while true {
            do {
                let fresh = try await database.transaction { db in
                    var fresh = try await Inbox.record(consumer: consumerName, messageIds: messages.map(\.envelope.messageId), on: db)
                    // The same id twice in one batch is handled once: `remove` lets only the first through.
                    let newMessages = messages.filter { fresh.remove($0.envelope.messageId) != nil }
                    if !newMessages.isEmpty {
                        let context = MessageContext(database: db)
                        try await handler.handle(newMessages, context: context)
                        try await Outbox.insert(context.outgoing, on: db)
                    }
                    return newMessages.count
                }
                afterCommit?(messages)
                handled.increment(by: fresh)
                if fresh < messages.count { duplicates.increment(by: messages.count - fresh) }
                try await connection.ack(messages.last!.delivery, multiple: true)
                return
            } catch let error as PostgresError where error.isConnectionFailure {
                // The database is away: hold the messages and try again, without spending their delivery count.
                logger.warning("database unavailable, holding \(messages.count) messages: \(error)")
                if stopping.load(ordering: .relaxed) { throw error }
                await backoff.wait(unless: stopping)
            } catch {
                if messages.count > 1 {
                    for message in messages { try await handle([message], connection: connection, deadLetters: deadLetters) }
                    return
                }
                try await fail(messages[0], error: error, connection: connection, deadLetters: deadLetters)
                return
            }
        }
    }

    private func fail(_ message: InboundMessage, error: any Error, connection: AMQPConnection, deadLetters: AMQPConnection) async throws {
        let delivery = message.delivery
        if let rejected = error as? MessageRejected {
            try await deadLetter(delivery, reason: "rejected: \(rejected)", connection: connection, deadLetters: deadLetters)
        } else if delivery.previousDeliveries + 1 >= topology.deliveryLimit {
            try await deadLetter(
                delivery, reason: "failed \(delivery.previousDeliveries + 1) times, last: \(error)", connection: connection,
                deadLetters: deadLetters)
        } else {
            logger.warning(
                "handler failed, message will be delivered again: \(error)",
                metadata: ["message_id": "\(message.envelope.messageId)", "attempt": "\(delivery.previousDeliveries + 1)"])
            try await connection.nack(delivery, requeue: true)
        }
    }

    private func deadLetter(_ delivery: AMQPDelivery, reason: String, connection: AMQPConnection, deadLetters: AMQPConnection) async throws {
        logger.error("dead-lettered: \(reason)", metadata: ["message_id": "\(delivery.properties.messageId ?? "-")"])
        _ = try await deadLetters.publish([DeadLetters.message(for: delivery, queue: queue, reason: reason)])
        deadLettered.increment()
        try await connection.ack(delivery)
    }
}

/// Exponential backoff from 100 ms to 5 s, cut short when asked to stop.
struct Backoff {
    private var attempt = 0

    mutating func reset() { attempt = 0 }

    mutating func wait(unless stopping: borrowing Atomic<Bool>) async {
        let delay = min(100 << min(attempt, 6), 5_000)
        attempt += 1
        var waited = 0
        while waited < delay, !stopping.load(ordering: .relaxed) {
            try? await Task.sleep(for: .milliseconds(50))
            waited += 50
        }
    }
}
