import AMQP
import Foundation
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// Publishes outbox rows with publisher confirms and deletes them once confirmed.
///
/// Woken by `NOTIFY utilis_outbox` when a transaction that wrote rows commits, and polling as a
/// fallback. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so the relays of several replicas
/// share the work without sending a row twice in the normal case (after a crash between confirm
/// and commit a row is sent again; consumers deduplicate). A broker that is down only delays
/// messages: the rows stay until it is back. On graceful shutdown the relay drains what
/// is there, then stops.
public final class OutboxRelay: Service, Sendable {
    public struct Options: Sendable {
        public var batchSize: Int = 2048
        /// Loops publishing at once, each with its own broker connection.
        public var publishers: Int = 2
        public var pollInterval: Duration = .seconds(1)
        /// How long the inbox keeps handled message ids (redeliveries older than that are not expected).
        public var inboxRetention: Duration = .seconds(30 * 24 * 3600)
        public init() {}
    }

    private let amqp: AMQPConfiguration
    private let database: PostgresPool
    private let options: Options
    private let logger: Logger
    private let onReturned: @Sendable (OutgoingMessage, String) -> Void
    private let onPublished: (@Sendable (Int) -> Void)?
    private let stopping = Atomic<Bool>(false)
    private let published: Counter

    /// - Parameters:
    ///   - onReturned: told about a mandatory message (a command) that no queue takes.
    ///   - onPublished: told how many rows each committed batch sent (metrics, benchmarks).
    public init(
        amqp: AMQPConfiguration, database: PostgresPool, options: Options = Options(), logger: Logger,
        onReturned: @escaping @Sendable (OutgoingMessage, String) -> Void = { _, _ in },
        onPublished: (@Sendable (Int) -> Void)? = nil
    ) {
        self.amqp = amqp
        self.database = database
        self.options = options
        self.logger = logger
        self.onReturned = onReturned
        self.onPublished = onPublished
        self.published = Counter(label: "utilis_outbox_published_total")
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            // Several loops share the rows (SKIP LOCKED): while one waits for the broker's
            // confirms, another reads and marks rows in the database.
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<options.publishers { group.addTask { await self.publishLoop(index) } }
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
    }

    private func publishLoop(_ index: Int) async {
        let publisher = AMQPConnection(configuration: amqp, name: "outbox-relay-\(index)", logger: logger)
        let listener = PostgresConnection(configuration: database.configuration, logger: logger)
        var lastHousekeeping = ContinuousClock.now
        var backoff = Backoff()
        var listening = false
        while !stopping.load(ordering: .relaxed), !Task.isCancelled {
            do {
                if !listening {
                    try await listener.listen("utilis_outbox")
                    listening = true
                }
                while try await drainOnce(publisher: publisher) == options.batchSize, !stopping.load(ordering: .relaxed) {}
                backoff.reset()
                if index == 0, ContinuousClock.now - lastHousekeeping > .seconds(600) {
                    try await housekeeping()
                    lastHousekeeping = .now
                }
                _ = try await listener.notifications(timeout: options.pollInterval)
            } catch {
                logger.warning("outbox relay waiting: \(error)")
                listening = false
                await listener.close()
                await backoff.wait(unless: stopping)
            }
        }
        // Flush what is there before closing.
        do {
            while try await drainOnce(publisher: publisher) > 0 {}
        } catch {
            logger.warning("outbox not flushed at shutdown, it will be sent at the next start: \(error)")
        }
        await publisher.close()
        await listener.close()
    }

    /// Asks the relay to flush and stop, as a graceful shutdown does.
    public func stop() { stopping.store(true, ordering: .relaxed) }

    /// Publishes one batch of unsent rows and returns how many there were.
    @discardableResult
    public func drainOnce(publisher: AMQPConnection) async throws -> Int {
        let sent = try await database.transaction { db in
            let rows = try await db.query(
                """
                SELECT id, message_id, exchange, routing_key, type, correlation_id, causation_id, actor, traceparent, mandatory,
                       body, created_at
                FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
                """, [options.batchSize])
            guard !rows.isEmpty else { return 0 }
            var ids: [Int64] = []
            var messages: [OutgoingMessage] = []
            for row in rows {
                ids.append(try row.decode(Int64.self, 0))
                let envelope = Envelope(
                    messageId: try row.decode(UUID.self, 1), correlationId: try row.decode(String?.self, 5),
                    type: try row.decode(String.self, 4), timestamp: try row.decode(Date.self, 11),
                    causationId: try row.decode(String?.self, 6), actor: try row.decode(String?.self, 7),
                    traceparent: try row.decode(String?.self, 8))
                messages.append(
                    OutgoingMessage(
                        envelope: envelope, exchange: try row.decode(String.self, 2), routingKey: try row.decode(String.self, 3),
                        body: Array(try row.decode(String.self, 10).utf8), mandatory: try row.decode(Bool.self, 9)))
            }
            let outcomes = try await publisher.publish(messages.map(\.amqpMessage))
            try await db.query("DELETE FROM outbox WHERE id = ANY($1::bigint[])", [ids])
            for (index, outcome) in outcomes.enumerated() {
                guard case .returned(let code, let text) = outcome else { continue }
                let reason = "no queue is bound for \(messages[index].exchange)/\(messages[index].routingKey) (\(code) \(text))"
                logger.error("message returned: \(reason)", metadata: ["message_id": "\(messages[index].envelope.messageId)"])
                onReturned(messages[index], reason)
            }
            return rows.count
        }
        if sent > 0 {
            published.increment(by: sent)
            onPublished?(sent)
        }
        return sent
    }

    private func housekeeping() async throws {
        try await database.withConnection { db in
            let inboxCutoff = Date().addingTimeInterval(-Double(options.inboxRetention.components.seconds))
            try await db.query("DELETE FROM inbox WHERE received_at < $1", [inboxCutoff])
        }
    }
}
