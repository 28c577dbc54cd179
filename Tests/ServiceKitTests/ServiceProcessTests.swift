import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// A real service process (the probe, built on `UtilisService`): health, metrics, ping over the
/// broker, and a graceful stop on SIGTERM that finishes its work and flushes its outbox.
@Suite struct ServiceProcessTests {
    @Test func aServiceAnswersHealthAndPingAndStopsGracefully() async throws {
        let probe = try await Probe.start("svc", variables: ["UTILIS_LOG_LEVEL": "info", "UTILIS_INSTANCE": "probe-1"])
        let (service, amqp, database, port, process) = (probe.service, probe.amqp, probe.database, probe.port, probe.process)

        var health: (status: Int, body: String) = (0, "")
        try await eventually("the health port answers", timeout: .seconds(60)) {
            health = (try? await httpGet(port: port, path: "/health")) ?? (0, "")
            return health.status == 200
        }
        let status = try JSONValue.parse(Array(health.body.utf8))
        #expect(status["status"] == .string("ok"))
        #expect(status["database"] == .string("ok"))
        #expect(status["broker"] == .string("ok"))
        #expect(status["consumers"] == .string("ok"))
        #expect(status["instance"] == .string("probe-1"))

        let client = RequestClient(amqp: amqp, actor: "operator:test", logger: TestEnvironment.logger)
        let pong = try await client.ask(Ping(), service: service, timeout: .seconds(10))
        #expect(pong.service == service)
        #expect(pong.instance == "probe-1")
        #expect(pong.database == "ok")
        await client.close()

        // Work sent just before the stop is finished, and its event leaves the outbox.
        let broker = AMQPConnection(configuration: amqp, name: "svc-test")
        let events = "\(service).watch"
        try await broker.declare(
            AMQPTopology(queues: [.init(name: events, arguments: ["x-queue-type": .string("quorum")])],
                bindings: [.init(queue: events, exchange: Exchanges.events, routingKey: "\(service).reading-recorded")]))
        let commands = (0..<200).map { index in
            AMQPOutgoingMessage(
                exchange: Exchanges.commands, routingKey: "\(service).record-reading",
                properties: Envelope(type: "\(service).record-reading.v1", actor: "test").properties(),
                body: Array(#"{"meter":"EM-\#(index)","value":\#(index)}"#.utf8), mandatory: true)
        }
        #expect(try await broker.publish(commands).allSatisfy { $0 == .confirmed })
        try await eventually("the commands are taken") { try await broker.queueStatus("\(service).commands").messages == 0 }
        process.signal(SIGTERM)
        let exit = await process.wait(timeout: .seconds(30))
        #expect(exit == 0, "the service did not stop cleanly: \(process.log)")
        #expect(process.log.contains("stopped"))

        let db = PostgresConnection(configuration: database)
        let recorded = try await db.query("SELECT count(*) FROM readings").scalar(Int.self)
        let unsent = try await db.query("SELECT count(*) FROM outbox").scalar(Int.self)
        #expect(unsent == 0)
        // Whatever was not handled before the stop is still in the queue for the next replica.
        let waiting = try await broker.queueStatus("\(service).commands").messages
        #expect(recorded + Int(waiting) == 200)
        #expect(try await broker.queueStatus(events).messages == UInt32(recorded))
    }

    @Test func metricsAreServedInPrometheusFormat() async throws {
        let probe = try await Probe.start("metrics")
        let (service, amqp, port, process) = (probe.service, probe.amqp, probe.port, probe.process)
        defer { process.signal(SIGTERM) }
        try await eventually("the service is up", timeout: .seconds(60)) { (try? await httpGet(port: port, path: "/health"))?.status == 200 }
        let broker = AMQPConnection(configuration: amqp, name: "metrics-test")
        // Healthy means subscribed: the command is routed to the service's queue, not returned.
        let outcome = try await broker.publish([
            AMQPOutgoingMessage(
                exchange: Exchanges.commands, routingKey: "\(service).record-reading",
                properties: Envelope(type: "\(service).record-reading.v1", actor: "test").properties(),
                body: Array(#"{"meter":"EM-1","value":1}"#.utf8), mandatory: true)
        ])
        #expect(outcome == [.confirmed])
        try await eventually("the handled message is counted") {
            let metrics = try await httpGet(port: port, path: "/metrics").body
            return metrics.contains(#"utilis_messages_handled_total{queue="\#(service).commands"} 1"#)
        }
    }
}

extension ServiceProcessTests {
    /// A service started by a process that is gone (a test run that crashed) stops by itself,
    /// gracefully, instead of taking the next run's messages.
    @Test func aServiceWhoseStarterIsGoneStopsGracefully() async throws {
        let service = TestEnvironment.uniqueName("orphan")
        let database = try await TestEnvironment.freshDatabase("orphan")
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(service).pid").path
        // The shell starts the service, leaves it running and ends, as a crashed test run would.
        let starter = try ChildProcess(
            URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", #""$0" & echo $! > "$1"; sleep 3"#, TestEnvironment.executable("MessagingProbe").path, pidFile],
            environment: TestEnvironment.serviceVariables(amqp: try TestEnvironment.amqp, database: database)
                .merging(["PROBE_SERVICE": service, "UTILIS_HTTP_PORT": "0", "UTILIS_LOG_LEVEL": "info"]) { $1 })
        #expect(await starter.wait(timeout: .seconds(20)) == 0)
        let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // Gone, or a zombie left for whoever adopted it to reap.
        try await eventually("the orphaned service stops", timeout: .seconds(30)) {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
            return stat[stat.index(close, offsetBy: 2)] == "Z"
        }
        #expect(starter.log.contains("stopped"), "the service did not stop gracefully: \(starter.log)")
    }
}

/// The probe service started as a process of its own, with a fresh database and a health port.
struct Probe {
    let service: String
    let amqp: AMQPConfiguration
    let database: PostgresConfiguration
    let port: Int
    let process: ChildProcess

    static func start(_ label: String, variables: [String: String] = [:]) async throws -> Probe {
        let service = TestEnvironment.uniqueName(label)
        let amqp = try TestEnvironment.amqp
        let database = try await TestEnvironment.freshDatabase(label)
        let port = 19_000 + Int.random(in: 0..<2000)
        let process = try ChildProcess(
            TestEnvironment.executable("MessagingProbe"),
            environment: TestEnvironment.serviceVariables(amqp: amqp, database: database)
                .merging(["PROBE_SERVICE": service, "UTILIS_HTTP_PORT": "\(port)"]) { $1 }
                .merging(variables) { $1 })
        return Probe(service: service, amqp: amqp, database: database, port: port, process: process)
    }
}
