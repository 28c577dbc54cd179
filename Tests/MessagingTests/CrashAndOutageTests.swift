import AMQP
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

@Suite struct CrashAndOutageTests {
    @Test func aConsumerKilledAfterCommitAndBeforeAckLeavesExactlyOneEffect() async throws {
        let harness = try await Harness.make("crash", schema: false)
        let environment = TestEnvironment.serviceVariables(amqp: harness.amqp, database: harness.database).merging([
            "PROBE_SERVICE": harness.service, "UTILIS_LOG_LEVEL": "warning",
        ]) { $1 }
        _ = try await harness.broker.publish([harness.command(#"{"meter":"EM-1","value":42}"#)])

        let crashing = try ChildProcess(
            TestEnvironment.executable("MessagingProbe"), environment: environment.merging(["PROBE_CRASH_AFTER_COMMIT": "1"]) { $1 })
        let status = await crashing.wait(timeout: .seconds(60))
        #expect(status == SIGKILL, "the probe did not crash as planned: \(crashing.log)")
        #expect(crashing.log.contains("committed, crashing before the ack"))
        // The effect is committed, the message is not acknowledged: the broker holds it again.
        #expect(try await harness.count("SELECT count(*) FROM readings") == 1)
        try await eventually("the unacknowledged message is back in the queue") {
            try await harness.broker.queueStatus(harness.topology.commandQueue).messages == 1
        }

        let probe = try ChildProcess(TestEnvironment.executable("MessagingProbe"), environment: environment)
        defer { probe.signal(SIGTERM) }
        try await eventually("the redelivery is acknowledged", timeout: .seconds(60)) {
            let status = try await harness.broker.queueStatus(harness.topology.commandQueue)
            return status.messages == 0 && status.consumers > 0
        }
        let events = try await harness.takeEvents(1)
        #expect(events.count == 1, "the event was published \(events.count) times")
        #expect(try await harness.count("SELECT count(*) FROM readings") == 1)
        #expect(try await harness.count("SELECT sum(value) FROM readings") == 42)
    }

    @Test func theOutboxFillsWhileTheBrokerIsDownAndDrainsWhenItReturns() async throws {
        // A broker of this test's own, since it is stopped in the middle.
        let broker = try OwnBroker(port: 5692, distributionPort: 25692)
        try await broker.startFresh()
        defer { Task { try? await broker.stop() } }
        let harness = try await Harness.make("outage", amqp: broker.configuration)
        let running = Running()
        running.start(harness.relay())
        defer { Task { await running.stopAll() } }

        try await broker.stop()
        let events = (0..<500).map { index in
            OutgoingMessage(
                envelope: Envelope(type: "\(harness.service).reading-recorded.v1", actor: "test"), exchange: Exchanges.events,
                routingKey: "\(harness.service).reading-recorded", body: Array(#"{"n":\#(index)}"#.utf8), mandatory: false)
        }
        try await harness.pool.transaction { db in try await Outbox.insert(events, on: db) }
        try await Task.sleep(for: .seconds(2))
        #expect(try await harness.count("SELECT count(*) FROM outbox") == 500)

        try await broker.start()
        try await eventually("the outbox drains", timeout: .seconds(60)) {
            try await harness.count("SELECT count(*) FROM outbox") == 0
        }
        let received = try await harness.takeEvents(500)
        #expect(Set(received.compactMap(\.properties.messageId)).count == 500)
    }
}

/// A RabbitMQ node of one test, started and stopped with the project's own script.
struct OwnBroker {
    let port: Int
    let environment: [String: String]

    init(port: Int, distributionPort: Int) throws {
        self.port = port
        let folder = TestEnvironment.repositoryRoot.appendingPathComponent(".run/test-broker-\(port)").path
        environment = [
            "UTILIS_RUN_DIR": folder, "UTILIS_AMQP_PORT": "\(port)", "UTILIS_DIST_PORT": "\(distributionPort)",
            "UTILIS_MGMT_PORT": "0", "UTILIS_NODE": "utilis-outage-\(port)@localhost",
        ]
        self.folder = folder
    }

    let folder: String

    /// Starts the node on an empty folder, after stopping one an earlier run may have left.
    func startFresh() async throws {
        try? await stop()
        try? FileManager.default.removeItem(atPath: folder)
        try await start()
    }

    var configuration: AMQPConfiguration {
        AMQPConfiguration(host: "127.0.0.1", port: port, user: "utilis", password: "utilis", virtualHost: "utilis", heartbeat: 5)
    }

    func start() async throws { try await run("start") }
    func stop() async throws { try await run("stop") }

    // Foundation's blocking waitUntilExit does not notice the end of a child when called from a
    // task; the child is polled instead.
    private func run(_ action: String) async throws {
        let script = ProcessInfo.processInfo.environment["UTILIS_INFRA_SCRIPT"]
            ?? TestEnvironment.repositoryRoot.appendingPathComponent("deploy/infra.sh").path
        let process = try ChildProcess(URL(fileURLWithPath: script), arguments: [action, "broker"], environment: environment)
        let status = await process.wait(timeout: .seconds(150))
        guard status == 0 else { throw TestSetupError("deploy/infra.sh \(action) broker failed: \(process.log)") }
    }
}
