import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import TestSupport

/// A service of one test: its own name (so its queues are its own), a fresh database with the
/// messaging tables and a `readings` table, and a queue that collects the events it publishes.
struct Harness {
    let service: String
    let topology: ServiceTopology
    let amqp: AMQPConfiguration
    let database: PostgresConfiguration
    let pool: PostgresPool
    let broker: AMQPConnection
    let eventsQueue: String

    /// - Parameter schema: false when the service under test (the probe process) brings its own tables.
    static func make(_ label: String, deliveryLimit: Int = 3, amqp: AMQPConfiguration? = nil, schema: Bool = true) async throws -> Harness {
        let service = TestEnvironment.uniqueName(label)
        let amqp = try amqp ?? TestEnvironment.amqp
        let database = try await TestEnvironment.freshDatabase(label)
        if schema { try await Migrator.apply([try .messaging(), readingsSchema], to: database) }
        let topology = ServiceTopology(service: service, commands: ["record-reading"], queries: ["reading-count"], deliveryLimit: deliveryLimit)
        let broker = AMQPConnection(configuration: amqp, name: "harness")
        let eventsQueue = "\(service).test-events"
        try await broker.declare(topology.amqp)
        try await broker.declare(
            AMQPTopology(
                queues: [.init(name: eventsQueue, arguments: ["x-queue-type": .string("quorum")])],
                bindings: [.init(queue: eventsQueue, exchange: Exchanges.events, routingKey: "\(service).#")]))
        return Harness(
            service: service, topology: topology, amqp: amqp, database: database,
            pool: PostgresPool(configuration: database, logger: TestEnvironment.logger), broker: broker, eventsQueue: eventsQueue)
    }

    static let readingsSchema = MigrationSet(component: "test", migrations: [
        Migration(version: 1, name: "readings", sql: """
            CREATE TABLE readings (message_id uuid PRIMARY KEY, meter text NOT NULL, value bigint NOT NULL);
            CREATE TABLE broken_meters (meter text PRIMARY KEY);
            """)
    ])

    /// Records a reading and announces it; rejects negative values; fails for meters listed as broken.
    static let recordReading = EachMessage { message, context in
        let command = try message.decode(ReadingCommand.self)
        guard command.value >= 0 else { throw MessageRejected(field: "value", "must not be negative") }
        let broken = try await context.database.query("SELECT count(*) FROM broken_meters WHERE meter = $1", [command.meter])
        if try broken.scalar(Int.self) > 0 { throw TestSetupError("meter \(command.meter) is out of order") }
        try await context.database.query(
            "INSERT INTO readings (message_id, meter, value) VALUES ($1, $2, $3)", [message.envelope.messageId, command.meter, command.value])
        context.send(try .contract(ReadingRecorded(meter: command.meter, value: command.value), causedBy: message, actor: nil))
    }

    func consumer(_ handler: any MessageHandler = Harness.recordReading, batchSize: Int = 64) -> MessageConsumer {
        MessageConsumer(
            queue: topology.commandQueue, topology: topology, amqp: amqp, database: pool, handler: handler,
            options: .init(batchSize: batchSize, prefetch: 256), logger: TestEnvironment.logger)
    }

    func relay() -> OutboxRelay { OutboxRelay(amqp: amqp, database: pool, logger: TestEnvironment.logger) }

    /// A command as another system would publish it.
    func command(_ body: String, messageId: String? = UUID().uuidString, type: String? = nil, correlationId: String? = nil) -> AMQPOutgoingMessage {
        AMQPOutgoingMessage(
            exchange: Exchanges.commands, routingKey: "\(service).record-reading",
            properties: AMQPProperties(
                messageId: messageId, correlationId: correlationId, type: type ?? "\(service).record-reading.v1",
                timestamp: UInt64(Date().timeIntervalSince1970), contentType: "application/json", headers: ["actor": .string("mdm-system")]),
            body: Array(body.utf8), mandatory: true)
    }

    func count(_ sql: String) async throws -> Int {
        try await pool.withConnection { try await $0.query(sql).scalar(Int.self) }
    }

    /// Takes the published events off the test queue.
    func takeEvents(_ expected: Int, timeout: Duration = .seconds(20)) async throws -> [AMQPDelivery] {
        let consumer = AMQPConnection(configuration: amqp, name: "events")
        try await consumer.consume(queue: eventsQueue, prefetch: 500)
        var events: [AMQPDelivery] = []
        try await eventually("\(expected) events", timeout: timeout) {
            let batch = try await consumer.nextDeliveries(max: 500, timeout: .milliseconds(100))
            if let last = batch.last { try await consumer.ack(last, multiple: true) }
            events += batch
            return events.count >= expected
        }
        // Anything more than expected would be a duplicate: give it a moment to show up.
        events += try await consumer.nextDeliveries(max: 500, timeout: .milliseconds(500))
        await consumer.close()
        return events
    }
}

struct ReadingCommand: Codable {
    var meter: String
    var value: Int
}

/// The event of the harness service (its name differs per test, hence routed by hand in `contract`).
struct ReadingRecorded: Codable, Sendable {
    var meter: String
    var value: Int
}

extension OutgoingMessage {
    static func contract(_ event: ReadingRecorded, causedBy cause: InboundMessage, actor: String?) throws -> OutgoingMessage {
        let service = String(cause.routingKey.split(separator: ".").first!)
        return OutgoingMessage(
            envelope: Envelope(
                correlationId: cause.envelope.correlationId, type: "\(service).reading-recorded.v1",
                causationId: cause.envelope.messageId.uuidString.lowercased(), actor: actor ?? cause.envelope.actor),
            exchange: Exchanges.events, routingKey: "\(service).reading-recorded", body: try JSONBody.encode(event), mandatory: false)
    }
}

/// Runs services in the background for the length of a test.
final class Running: @unchecked Sendable {
    private var tasks: [Task<Void, any Error>] = []
    private var stops: [() -> Void] = []

    func start(_ consumer: MessageConsumer) {
        tasks.append(Task { try await consumer.run() })
        stops.append(consumer.stop)
    }

    func start(_ relay: OutboxRelay) {
        tasks.append(Task { try await relay.run() })
        stops.append(relay.stop)
    }

    func start(_ responder: QueryResponder) {
        tasks.append(Task { try await responder.run() })
        stops.append(responder.stop)
    }

    func stopAll() async {
        for stop in stops { stop() }
        for task in tasks {
            task.cancel()
            _ = try? await task.value
        }
    }
}
