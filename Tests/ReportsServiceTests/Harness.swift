import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// Reports as a real process on its own vhost (it follows every service's events, and must
/// see only the test's) and a fresh database; the test plays every other service by
/// publishing their events.
final class RunningReports: ServiceUnderTest, @unchecked Sendable {
    let process: ChildProcess
    let broker: AMQPConnection
    let amqp: AMQPConfiguration
    let database: PostgresConfiguration
    /// Reports' own events.
    let events: String
    var commandActor: String { "user:parisa" }
    /// The followed events published so far: what a rebuild replays.
    var published = 0

    init(process: ChildProcess, broker: AMQPConnection, amqp: AMQPConfiguration, database: PostgresConfiguration, events: String) {
        (self.process, self.broker, self.amqp, self.database, self.events) = (process, broker, amqp, database, events)
    }

    /// An event as its service publishes it, sent at `at`.
    func tell<M: MessageContract>(_ event: M, at: Date = Date()) async throws {
        try await publish(event: event, at: at)
        published += 1
    }

    /// A body that does not fit the event its type names.
    func tellRaw(_ body: String, type: String, routingKey: String) async throws {
        let outcomes = try await broker.publish([
            AMQPOutgoingMessage(exchange: Exchanges.events, routingKey: routingKey, properties: Envelope(type: type, actor: "test").properties(), body: Array(body.utf8))
        ])
        #expect(outcomes == [.confirmed])
    }

    /// Waits until Reports has applied everything sent to it.
    func drained() async throws {
        try await eventually("reports' queues are empty", timeout: .seconds(60)) {
            for queue in ["reports.events", "reports.commands"] where try await broker.queueStatus(queue).messages > 0 { return false }
            return true
        }
        try await Task.sleep(for: .milliseconds(500))
    }

    func run(_ report: ReportDefinition) async throws -> ReportTable { try await ask(RunReport(report: report)) }

    func stop() async {
        process.signal(SIGTERM)
        _ = await process.wait(timeout: .seconds(30))
        await broker.close()
    }
}

func withReports(_ body: (RunningReports) async throws -> Void) async throws {
    var amqp = try TestEnvironment.amqp
    amqp.virtualHost = "utilis-reports"
    let broker = AMQPConnection(configuration: amqp, name: "reports-test")
    let events = TestEnvironment.uniqueName("reports-events")
    try await broker.declare(AMQPTopology(
        exchanges: [.init(name: Exchanges.events, kind: .topic), .init(name: Exchanges.commands, kind: .direct)],
        queues: [.init(name: events, arguments: ["x-queue-type": .string("quorum")])],
        bindings: [.init(queue: events, exchange: Exchanges.events, routingKey: "reports.*")]))
    for queue in ["reports.commands", "reports.events", "reports.events.dead", "reports.commands.dead"] { _ = try? await broker.purgeQueue(queue) }
    let database = try await TestEnvironment.freshDatabase("reports")
    let port = 19_000 + Int.random(in: 6000..<7000)
    let process = try ChildProcess(
        TestEnvironment.executable("Reports"),
        environment: TestEnvironment.serviceVariables(amqp: amqp, database: database).merging(["UTILIS_HTTP_PORT": "\(port)"]) { $1 })
    try await eventually("Reports is ready", timeout: .seconds(60)) { (try? await httpGet(port: port, path: "/health"))?.status == 200 }
    let reports = RunningReports(process: process, broker: broker, amqp: amqp, database: database, events: events)
    do {
        try await body(reports)
    } catch {
        print("--- reports log ---\n" + process.log.split(separator: "\n").filter { !$0.contains(" debug ") }.suffix(20).joined(separator: "\n"))
        await reports.stop()
        throw error
    }
    await reports.stop()
}
