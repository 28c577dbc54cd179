import AMQP
import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit
import Synchronization

/// `utilis bench messaging`: the broker's raw ceiling, then the full runtime (consume, inbox +
/// state + outbox in one transaction, ack, relay publishing the result with confirms), in one run.
struct MessagingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messaging", abstract: "Raw broker ceiling and handled messages per second through the runtime.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Messages in each throughput phase.") var messages = 100_000
    @Option(help: "Consumers of the command queue in the process.") var consumers = 2
    @Option(help: "Messages per transaction.") var batchSize = 256
    @Option(help: "Outbox rows the relay publishes per transaction.") var relayBatch = 2048
    @Option(help: "Seconds of the fixed-rate latency phase.") var latencySeconds = 10
    @Option(help: "Messages per second in the latency phase (default: half the measured handled rate).") var latencyRate: Int?

    func run() async throws {
        let logger = BenchSetup.logger()
        let amqp = try AMQPConfiguration(url: connection.amqpURL)
        let admin = try PostgresConfiguration(url: connection.databaseURL, applicationName: "utilis-bench")
        let database = try await BenchSetup.database("bench_messaging", admin: admin, logger: logger)
        try await Migrator.apply([try .messaging(), Self.schema], to: database, logger: logger)
        let settings = try await PostgresConnection(configuration: admin, logger: logger)
            .query("SELECT current_setting('fsync'), current_setting('synchronous_commit'), version()")[0]

        let topology = ServiceTopology(service: "bench", commands: ["record-reading"], deliveryLimit: 5)
        let broker = AMQPConnection(configuration: amqp, name: "bench-setup", logger: logger)
        try await broker.declare(topology.amqp)
        try await broker.declare(
            AMQPTopology(
                queues: [
                    .quorum("bench.raw", deliveryLimit: 5, deadLetterExchange: Exchanges.dead, deadLetterRoutingKey: "bench.raw"),
                    .quorum("bench.results", deliveryLimit: 5, deadLetterExchange: Exchanges.dead, deadLetterRoutingKey: "bench.results"),
                ],
                bindings: [.init(queue: "bench.results", exchange: Exchanges.events, routingKey: "bench.reading-recorded")]))
        for queue in ["bench.raw", "bench.results", topology.commandQueue] { try await broker.purgeQueue(queue) }

        print("utilis bench messaging")
        print("setup: \(ProcessInfo.processInfo.activeProcessorCount) cores, broker \(amqp.redacted) (quorum queues, persistent messages, publisher confirms),")
        print("       database \(database.redacted) (fsync=\(settings[0] ?? "?"), synchronous_commit=\(settings[1] ?? "?"); \(settings[2]?.split(separator: ",").first ?? "")),")
        print("       \(messages) messages per phase, \(consumers) consumers, \(batchSize) messages per transaction, relay batches of \(relayBatch), all in this one process")

        // The ceiling for messages as the services send them (envelope headers causation-id and actor),
        // and, for reference, for the same bodies with no headers table at all.
        let raw = try await rawCeiling(amqp: amqp, logger: logger, envelope: Envelope(type: "bench.raw.v1", causationId: UUID().uuidString, actor: "bench"))
        let bare = try await rawCeiling(amqp: amqp, logger: logger, envelope: Envelope(type: "bench.raw.v1"))
        print(String(format: "raw broker ceiling:  %8.0f msg/s  (publish with confirms and consume with acks at once, no database, messages with the envelope's headers)", raw))
        print(String(format: "                     %8.0f msg/s  (the same without a headers table, for reference)", bare))

        let pool = PostgresPool(configuration: database, maximumConnections: consumers + 4, logger: logger)
        let published = Mutex(0)
        var relayOptions = OutboxRelay.Options()
        relayOptions.batchSize = relayBatch
        let relay = OutboxRelay(amqp: amqp, database: pool, options: relayOptions, logger: logger, onPublished: { count in published.withLock { $0 += count } })
        let relayTask = Task { try await relay.run() }
        let workers = (0..<consumers).map { _ in
            MessageConsumer(
                queue: topology.commandQueue, topology: topology, amqp: amqp, database: pool, handler: RecordReadings(),
                options: .init(batchSize: batchSize, prefetch: UInt16(min(batchSize * 4, 4096))), logger: logger)
        }

        // Throughput: a full queue of commands, drained through the whole runtime; timed from the
        // start of the consumers to the last result confirmed by the broker.
        try await publishCommands(count: messages, amqp: amqp, logger: logger)
        let started = ContinuousClock.now
        let workerTasks = workers.map { worker in Task { try await worker.run() } }
        while published.withLock({ $0 }) < messages { try await Task.sleep(for: .milliseconds(5)) }
        let handledSeconds = (ContinuousClock.now - started).seconds
        let handled = Double(messages) / handledSeconds
        print(String(format: "handled:             %8.0f msg/s  (%.1f%% of the raw ceiling; %d commands in %.2f s, each: consume, inbox + state + outbox in one transaction, ack, relay publish of the result with confirms into a quorum queue)",
            handled, handled / raw * 100, messages, handledSeconds))

        // The results stored so far are taken off before the latency phase.
        let sink = ResultSink()
        let sinkConnection = AMQPConnection(configuration: amqp, name: "bench-sink", logger: logger)
        try await sinkConnection.consume(queue: "bench.results", prefetch: 2048)
        let sinkTask = Task { await sink.drain(sinkConnection) }
        await sink.waitFor(messages)

        // Latency: a steady rate below the ceiling, measured from publish to the result's arrival.
        let rate = latencyRate ?? max(100, Int(handled / 2))
        sink.resetLatencies()
        let sent = try await pacedCommands(rate: rate, seconds: latencySeconds, amqp: amqp, logger: logger)
        await sink.waitFor(messages + sent)
        let latencies = sink.latencies.sorted()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        print(String(format: "latency at %d msg/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms  (%d messages over %d s, publish to result received)",
            rate, percentile(0.5) * 1000, percentile(0.99) * 1000, (latencies.last ?? .nan) * 1000, latencies.count, latencySeconds))
        let memory = ResidentMemory.read()
        print(String(format: "resident memory:     %.0f MiB now, %.0f MiB peak (this process: publisher, consumers, relay and sink)", memory.current, memory.peak))
        let stored = try await pool.withConnection { try await $0.query("SELECT count(*) FROM bench_readings").scalar(Int.self) }
        print("check: \(stored) readings stored for \(messages + sent) commands sent, \(sink.count) results received")

        for worker in workers { worker.stop() }
        relay.stop()
        for task in workerTasks { _ = try? await task.value }
        _ = try? await relayTask.value
        sinkTask.cancel()
        await sinkConnection.close()
        await pool.close()
        if stored != messages + sent { throw ValidationError("the runtime lost or doubled messages") }
    }

    static let schema = MigrationSet(component: "bench", migrations: [
        Migration(version: 1, name: "readings", sql: """
            CREATE TABLE bench_readings (message_id uuid PRIMARY KEY, meter text NOT NULL, value bigint NOT NULL,
                                         recorded_at timestamptz NOT NULL DEFAULT now());
            """)
    ])

    func command(_ index: Int, sentAt: Double) -> AMQPOutgoingMessage {
        let envelope = Envelope(type: "bench.record-reading.v1", actor: "bench")
        let body = #"{"meter":"EM-\#(index)","value":\#(index),"sentAt":\#(sentAt)}"#
        return AMQPOutgoingMessage(
            exchange: Exchanges.commands, routingKey: "bench.record-reading", properties: envelope.properties(),
            body: Array(body.utf8), mandatory: true)
    }

    func publishCommands(count: Int, amqp: AMQPConfiguration, logger: Logger) async throws {
        let publisher = AMQPConnection(configuration: amqp, name: "bench-publisher", logger: logger)
        var index = 0
        while index < count {
            let now = Date().timeIntervalSince1970
            let chunk = (index..<min(index + 4096, count)).map { command($0, sentAt: now) }
            _ = try await publisher.publish(chunk)
            index += chunk.count
        }
        await publisher.close()
    }

    func waitForConsumers(_ queue: String, count: Int, broker: AMQPConnection) async throws {
        while try await broker.queueStatus(queue).consumers < count { try await Task.sleep(for: .milliseconds(20)) }
    }

    /// Publishes `rate` commands a second in 10 ms slices; returns how many were sent.
    func pacedCommands(rate: Int, seconds: Int, amqp: AMQPConfiguration, logger: Logger) async throws -> Int {
        let publisher = AMQPConnection(configuration: amqp, name: "bench-paced", logger: logger)
        let slices = seconds * 100
        let perSlice = max(1, rate / 100)
        let start = ContinuousClock.now
        var sent = 0
        for slice in 0..<slices {
            let now = Date().timeIntervalSince1970
            _ = try await publisher.publish((0..<perSlice).map { command(1_000_000_000 + sent + $0, sentAt: now) })
            sent += perSlice
            let next = start + .milliseconds(10 * (slice + 1))
            if next > .now { try await Task.sleep(until: next) }
        }
        await publisher.close()
        return sent
    }

    /// Publishes and consumes `messages` at the same time on one quorum queue, without a database.
    func rawCeiling(amqp: AMQPConfiguration, logger: Logger, envelope: Envelope) async throws -> Double {
        let consumer = AMQPConnection(configuration: amqp, name: "raw-consumer", logger: logger)
        try await consumer.consume(queue: "bench.raw", prefetch: 2048)
        let started = ContinuousClock.now
        async let published: Void = publishRaw(amqp: amqp, logger: logger, properties: envelope.properties())
        var received = 0
        while received < messages {
            let batch = try await consumer.nextDeliveries(max: 512, timeout: .seconds(10))
            guard let last = batch.last else { throw ValidationError("raw consumer stalled at \(received)") }
            try await consumer.ack(last, multiple: true)
            received += batch.count
        }
        try await published
        let seconds = (ContinuousClock.now - started).seconds
        await consumer.close()
        return Double(messages) / seconds
    }

    func publishRaw(amqp: AMQPConfiguration, logger: Logger, properties: AMQPProperties) async throws {
        let publisher = AMQPConnection(configuration: amqp, name: "raw-publisher", logger: logger)
        let body = Array(#"{"meter":"EM-1","value":1,"sentAt":1764577012.5}"#.utf8)
        var sent = 0
        while sent < messages {
            let chunk = (0..<min(4096, messages - sent)).map { _ in
                AMQPOutgoingMessage(
                    exchange: "", routingKey: "bench.raw", properties: properties, body: body)
            }
            _ = try await publisher.publish(chunk)
            sent += chunk.count
        }
        await publisher.close()
    }
}

/// The benchmark's handler: one multi-row insert per batch, one event per command.
struct RecordReadings: MessageHandler {
    struct Reading: Codable {
        var meter: String
        var value: Int
        var sentAt: Double
    }

    func handle(_ messages: [InboundMessage], context: MessageContext) async throws {
        let readings = try messages.map { try $0.decode(Reading.self) }
        try await context.database.query(
            "INSERT INTO bench_readings (message_id, meter, value) SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[])",
            [messages.map(\.envelope.messageId), readings.map(\.meter), readings.map { Int64($0.value) }])
        for (message, reading) in zip(messages, readings) {
            context.send(
                OutgoingMessage(
                    envelope: Envelope(
                        correlationId: message.envelope.correlationId, type: "bench.reading-recorded.v1",
                        causationId: message.envelope.messageId.lowercasedText, actor: message.envelope.actor),
                    exchange: Exchanges.events, routingKey: "bench.reading-recorded", body: try JSONBody.encode(reading), mandatory: false))
        }
    }
}

/// Counts results and measures their latency from the `sentAt` in the body.
final class ResultSink: Sendable {
    private let state = Mutex<(count: Int, latencies: [Double])>((0, []))

    var count: Int { state.withLock { $0.count } }
    var latencies: [Double] { state.withLock { $0.latencies } }
    func resetLatencies() { state.withLock { $0.latencies.removeAll() } }

    func drain(_ connection: AMQPConnection) async {
        let decoder = JSONDecoder()
        while !Task.isCancelled {
            guard let batch = try? await connection.nextDeliveries(max: 1024, timeout: .milliseconds(50)), let last = batch.last else { continue }
            let now = Date().timeIntervalSince1970
            let latencies = batch.compactMap { try? decoder.decode(RecordReadings.Reading.self, from: Data($0.body)) }.map { now - $0.sentAt }
            _ = try? await connection.ack(last, multiple: true)
            state.withLock {
                $0.count += batch.count
                $0.latencies += latencies
            }
        }
    }

    func waitFor(_ total: Int) async {
        while count < total { try? await Task.sleep(for: .milliseconds(5)) }
    }
}

enum ResidentMemory {
    /// VmRSS and VmHWM of a process (this one by default), in MiB.
    static func read(path: String = "/proc/self/status") -> (current: Double, peak: Double) {
        let status = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        func field(_ name: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return .nan }
            return (Double(line.split(separator: " ").dropFirst().first ?? "") ?? .nan) / 1024
        }
        return (field("VmRSS:"), field("VmHWM:"))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
