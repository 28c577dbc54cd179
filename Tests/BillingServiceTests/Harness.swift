import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// Billing and the Ledger as real processes, on the broker's isolated vhost (no other suite's
/// Ledger takes their messages) and fresh databases; the tests play Registration and the Tariff
/// service by publishing their events, and the orchestrator by catching its commands.
final class RunningBilling: ServiceUnderTest, @unchecked Sendable {
    var billing: [ChildProcess]
    let ledger: ChildProcess
    let broker: AMQPConnection
    let amqp: AMQPConfiguration
    let database: PostgresConfiguration
    /// Billing's events.
    let events: String
    /// The commands Billing sends the orchestrator.
    let orchestrator: String
    let chunk: Int
    var commandActor: String { "user:omid" }

    init(billing: [ChildProcess], ledger: ChildProcess, broker: AMQPConnection, amqp: AMQPConfiguration, database: PostgresConfiguration, events: String, orchestrator: String, chunk: Int) {
        (self.billing, self.ledger, self.broker, self.amqp, self.database, self.events, self.orchestrator, self.chunk) =
            (billing, ledger, broker, amqp, database, events, orchestrator, chunk)
    }

    /// The next message of type `M` on a queue (Billing's events when none is named), skipping others.
    func next<M: MessageContract>(_ type: M.Type, on queue: String? = nil, timeout: Duration = .seconds(60)) async throws -> M {
        try await next(type, on: queue ?? events, timeout: timeout)
    }

    /// Waits until Billing and the Ledger have handled everything sent to them.
    func drained() async throws {
        try await eventually("the queues are empty", timeout: .seconds(120)) {
            for queue in ["billing.commands", "billing.events", "ledger.commands", "ledger.events"] where try await broker.queueStatus(queue).messages > 0 {
                return false
            }
            return true
        }
        try await Task.sleep(for: .milliseconds(700))
    }

    /// Starts another Billing replica.
    func startBilling() async throws {
        billing.append(try await Self.start("Billing", amqp: amqp, database: database, chunk: chunk))
    }

    static func start(_ executable: String, amqp: AMQPConfiguration, database: PostgresConfiguration, chunk: Int) async throws -> ChildProcess {
        let port = 19_000 + Int.random(in: 7000..<8000)
        let process = try ChildProcess(
            TestEnvironment.executable(executable),
            environment: TestEnvironment.serviceVariables(amqp: amqp, database: database).merging([
                "UTILIS_HTTP_PORT": "\(port)", "UTILIS_BILLING_CHUNK": "\(chunk)",
            ]) { $1 })
        try await eventually("\(executable) is ready", timeout: .seconds(60)) { (try? await httpGet(port: port, path: "/health"))?.status == 200 }
        return process
    }

    func stop() async {
        for process in billing + [ledger] { process.signal(SIGTERM) }
        for process in billing + [ledger] { _ = await process.wait(timeout: .seconds(30)) }
        await broker.close()
    }
}

func withBilling(replicas: Int = 1, chunk: Int = 500, _ body: (RunningBilling) async throws -> Void) async throws {
    var amqp = try TestEnvironment.amqp
    amqp.virtualHost = "utilis-isolated"
    let broker = AMQPConnection(configuration: amqp, name: "billing-test")
    let events = TestEnvironment.uniqueName("billing-events"), orchestrator = TestEnvironment.uniqueName("orchestrator-commands")
    try await broker.declare(AMQPTopology(
        exchanges: [.init(name: Exchanges.events, kind: .topic), .init(name: Exchanges.commands, kind: .direct)],
        queues: [.init(name: events, arguments: ["x-queue-type": .string("quorum")]), .init(name: orchestrator, arguments: ["x-queue-type": .string("quorum")])],
        bindings: [
            .init(queue: events, exchange: Exchanges.events, routingKey: "billing.*"), .init(queue: events, exchange: Exchanges.events, routingKey: "ledger.*"),
            .init(queue: orchestrator, exchange: Exchanges.commands, routingKey: StartProcess.routingKey),
            .init(queue: orchestrator, exchange: Exchanges.commands, routingKey: CompleteJob.routingKey),
            .init(queue: orchestrator, exchange: Exchanges.commands, routingKey: ThrowError.routingKey),
        ]))
    for queue in ["billing.commands", "billing.events", "billing.commands.dead", "ledger.commands", "ledger.events", "ledger.commands.dead"] {
        _ = try? await broker.purgeQueue(queue)
    }
    let ledgerDatabase = try await TestEnvironment.freshDatabase("ledger")
    let billingDatabase = try await TestEnvironment.freshDatabase("billing")
    let ledger = try await RunningBilling.start("Ledger", amqp: amqp, database: ledgerDatabase, chunk: chunk)
    var billing: [ChildProcess] = []
    for _ in 0..<replicas { billing.append(try await RunningBilling.start("Billing", amqp: amqp, database: billingDatabase, chunk: chunk)) }
    let service = RunningBilling(
        billing: billing, ledger: ledger, broker: broker, amqp: amqp, database: billingDatabase, events: events, orchestrator: orchestrator, chunk: chunk)
    do {
        try await body(service)
    } catch {
        service.showLogs()
        await service.stop()
        throw error
    }
    await service.stop()
}

extension RunningBilling {
    /// What the processes logged above debug, for a test that failed.
    func showLogs() {
        for (name, process) in billing.map({ ("billing", $0) }) + [("ledger", ledger)] {
            let lines = process.log.split(separator: "\n").filter { !$0.contains(" debug ") && !$0.contains(" info ") }.suffix(15)
            print("--- \(name) log ---\n" + lines.joined(separator: "\n"))
        }
    }
}

/// The test's residential tariff: 10,000 rials a month, 1,000 a kWh up to 100 and 2,000 above,
/// VAT 10% on both, rounded per bill.
func residential(from date: String = "2026-01-01", fixed: Int = 10_000, lowPrice: Int = 1_000) -> TariffVersion {
    TariffVersion(
        effectiveFrom: date, fixedCharges: [FixedCharge(name: "Meter rental", amount: TariffDecimal(fixed), per: .month)],
        energy: EnergyCharge(tiers: [Tier(upTo: TariffDecimal(100), price: TariffDecimal(lowPrice)), Tier(upTo: nil, price: TariffDecimal(2_000))]),
        weekendDays: [5], taxes: [Tax(name: "VAT", percent: TariffDecimal(10), on: [.fixed, .energy])], rounding: Rounding(mode: .halfUp, per: .bill))
}

let tariff = Tariff(code: "E-RES-T", name: "Residential (test)", utility: .electricity, useType: .residential, region: "TEHRAN", currency: "IRR", minorDigits: 0, unit: "kWh")

func subscription(_ number: String, point: String, customer: String = "C-90000001-1", cycle: String = "T1", start: String = "2026-10-01") -> SubscriptionCreated {
    SubscriptionCreated(
        subscriptionNumber: number, customerNumber: customer, servicePointNumber: point, utility: .electricity, region: "TEHRAN", useType: .residential,
        tariffCode: tariff.code, billingCycle: cycle, startDate: start, deposit: Money(amount: 0, currency: "IRR"), status: .active)
}

func installed(_ serial: String, on point: String, subscription: String?, index: Double, dials: Int = 6, multiplier: Double = 1, at: String) -> MeterInstalled {
    MeterInstalled(installation: MeterReadingsTaken(
        servicePointNumber: point, subscriptionNumber: subscription, manufacturer: "Afzar Azma", serialNumber: serial, multiplier: multiplier, dials: dials,
        readings: [RegisterReading(register: "total", index: index)], reason: nil, at: at))
}

func reading(_ id: String, _ serial: String, _ index: Double, at: String, source: ReadingSource = .actual) -> MeterReading {
    MeterReading(readingId: id, manufacturer: "Afzar Azma", serialNumber: serial, register: "total", index: index, readAt: at, source: source)
}
