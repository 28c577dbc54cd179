import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// The Ledger service as real processes (one or more replicas of it) on the test broker and a
/// fresh database, with a queue that catches its events.
struct RunningLedger: ServiceUnderTest {
    let processes: [ChildProcess]
    let broker: AMQPConnection
    let amqp: AMQPConfiguration
    let database: PostgresConfiguration
    let events: String
    var commandActor: String { "user:maryam" }

    /// Many commands at once, as integrations publish them.
    func sendAll<M: MessageContract>(_ messages: [M], actor: String = "system:bank") async throws {
        let outgoing = try messages.map {
            AMQPOutgoingMessage(
                exchange: Exchanges.commands, routingKey: M.routingKey, properties: Envelope(type: M.type, actor: actor).properties(),
                body: try JSONBody.encode($0), mandatory: true)
        }
        let outcomes = try await broker.publish(outgoing)
        #expect(outcomes.allSatisfy { $0 == .confirmed })
    }

    /// The next event of type `M`, skipping others.
    func next<M: MessageContract>(_ type: M.Type) async throws -> M { try await next(type, on: events, timeout: .seconds(30)) }

    /// Waits until the service has handled everything sent to it.
    func drained() async throws {
        try await eventually("the ledger's queues are empty", timeout: .seconds(120)) {
            let commands = try await broker.queueStatus("ledger.commands")
            let events = try await broker.queueStatus("ledger.events")
            return commands.messages == 0 && events.messages == 0
        }
        // A batch taken off the queue may still be committing.
        try await Task.sleep(for: .milliseconds(500))
    }

    func stop() async {
        for process in processes { process.signal(SIGTERM) }
        for process in processes { _ = await process.wait(timeout: .seconds(30)) }
        await broker.close()
    }
}

func startLedger(replicas: Int = 1) async throws -> RunningLedger {
    // A vhost of its own: on the shared one, other suites' customer imports reach `ledger.events`
    // by the thousand, and a test waiting for the Ledger's queues to empty timed out behind them.
    var amqp = try TestEnvironment.amqp
    amqp.virtualHost = "utilis-ledger"
    let database = try await TestEnvironment.freshDatabase("ledger")
    let broker = AMQPConnection(configuration: amqp, name: "ledger-test")
    let events = TestEnvironment.uniqueName("ledger-events")
    try await broker.declare(AMQPTopology(
        exchanges: [.init(name: Exchanges.events, kind: .topic), .init(name: Exchanges.commands, kind: .direct)],
        queues: [.init(name: events, arguments: ["x-queue-type": .string("quorum")])],
        bindings: [.init(queue: events, exchange: Exchanges.events, routingKey: "ledger.*")]))
    for queue in ["ledger.commands", "ledger.events", "ledger.commands.dead"] { _ = try? await broker.purgeQueue(queue) }
    var processes: [ChildProcess] = []
    for _ in 0..<replicas {
        let port = 19_000 + Int.random(in: 6000..<7000)
        let process = try ChildProcess(
            TestEnvironment.executable("Ledger"),
            environment: TestEnvironment.serviceVariables(amqp: amqp, database: database).merging(["UTILIS_HTTP_PORT": "\(port)"]) { $1 })
        try await eventually("ledger is ready", timeout: .seconds(60)) { (try? await httpGet(port: port, path: "/health"))?.status == 200 }
        processes.append(process)
    }
    return RunningLedger(processes: processes, broker: broker, amqp: amqp, database: database, events: events)
}

/// A test's body with the service running, stopped before the next test whether it passed or not.
func withLedger(replicas: Int = 1, _ body: (RunningLedger) async throws -> Void) async throws {
    let service = try await startLedger(replicas: replicas)
    do {
        try await body(service)
    } catch {
        await service.stop()
        throw error
    }
    await service.stop()
}

/// A subscription opened as Registration announces it.
func subscriptionCreated(_ subscription: String, customer: String = "C-90000001-1") -> SubscriptionCreated {
    SubscriptionCreated(
        subscriptionNumber: subscription, customerNumber: customer, servicePointNumber: "SP-00000001-1", utility: .electricity, region: "TEH-1",
        useType: .residential, tariffCode: "E-RES-1", billingCycle: "M01", startDate: "2026-01-01", deposit: Money(amount: 0, currency: "IRR"), status: .active)
}

/// A tariff created as the Tariff service announces it: its revenue account is opened.
func tariffCreated(_ code: String = "E-RES-1") -> TariffCreated {
    TariffCreated(
        tariff: Tariff(code: code, name: "Residential", utility: .electricity, useType: .residential, region: "TEH-1", currency: "IRR", minorDigits: 0, unit: "kWh"),
        version: .example, actor: "user:omid", reason: "test")
}

func charge(_ bill: String, _ subscription: String, _ energy: Int, vat: Int = 0, issued: String = "2026-10-01", due: String = "2026-10-15") -> BillCharge {
    BillCharge(
        billId: bill, subscriptionNumber: subscription, currency: "IRR", issueDate: issued, dueDate: due,
        lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: energy)] + (vat > 0 ? [LedgerLine(account: "tax:vat:IRR", amount: vat)] : []))
}

func payment(_ id: String, _ subscription: String, _ amount: Int, currency: String = "IRR", on date: String = "2026-10-10") -> Payment {
    Payment(paymentId: id, subscriptionNumber: subscription, channel: .bank, amount: Money(amount: amount, currency: currency), valueDate: date, reference: "ref \(id)")
}
