import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// The Tariff service as a real process on the test broker and a fresh database, with a queue
/// that catches its events.
struct RunningTariff: ServiceUnderTest {
    let process: ChildProcess
    let broker: AMQPConnection
    let amqp: AMQPConfiguration
    let database: PostgresConfiguration
    let events: String
    var commandActor: String { "user:tariff.manager" }

    func next<M: MessageContract>(_ type: M.Type, on queue: String? = nil) async throws -> M {
        var delivery: AMQPDelivery?
        try await eventually("a message on \(queue ?? events)") {
            delivery = try await broker.get(queue: queue ?? events)
            while let forged = delivery, TestEnvironment.isForged(forged) {
                try await broker.ack(forged)
                delivery = try await broker.get(queue: queue ?? events)
            }
            return delivery != nil
        }
        try await broker.ack(delivery!)
        #expect(delivery!.properties.type == M.type, "\(String(decoding: delivery!.body, as: UTF8.self))")
        return try JSONDecoder().decode(M.self, from: Data(delivery!.body))
    }

    func stop() async {
        process.signal(SIGTERM)
        _ = await process.wait(timeout: .seconds(30))
        await broker.close()
    }
}

func startTariff() async throws -> RunningTariff {
    let amqp = try TestEnvironment.amqp
    let database = try await TestEnvironment.freshDatabase("tariff")
    let broker = AMQPConnection(configuration: amqp, name: "tariff-test")
    let events = TestEnvironment.uniqueName("tariff-events")
    try await broker.declare(AMQPTopology(
        exchanges: [.init(name: Exchanges.events, kind: .topic), .init(name: Exchanges.commands, kind: .direct)],
        queues: [.init(name: events, arguments: ["x-queue-type": .string("quorum")])],
        bindings: [.init(queue: events, exchange: Exchanges.events, routingKey: "tariff.*")]))
    _ = try? await broker.purgeQueue("tariff.commands")
    let port = 19_000 + Int.random(in: 7000..<8000)
    let process = try ChildProcess(
        TestEnvironment.executable("Tariff"),
        environment: TestEnvironment.serviceVariables(amqp: amqp, database: database).merging(["UTILIS_HTTP_PORT": "\(port)"]) { $1 })
    try await eventually("tariff is ready", timeout: .seconds(60)) { (try? await httpGet(port: port, path: "/health"))?.status == 200 }
    return RunningTariff(process: process, broker: broker, amqp: amqp, database: database, events: events)
}

extension Tariff {
    static func residential(_ code: String = "E-RES-T") -> Tariff {
        Tariff(code: code, name: "Residential", utility: .electricity, useType: .residential, region: "CENTRAL", currency: "USD", minorDigits: 2, unit: "kWh")
    }
}

extension TariffVersion {
    /// A fixed charge and three blocks.
    static func blocks(from date: String, fixed: String = "5.5", prices: [String] = ["0.0896", "0.0831", "0.0821"]) -> TariffVersion {
        TariffVersion(
            effectiveFrom: date, fixedCharges: [FixedCharge(name: "Service charge", amount: TariffDecimal(fixed)!, per: .month)],
            energy: EnergyCharge(tiers: [
                Tier(upTo: TariffDecimal(650), price: TariffDecimal(prices[0])!), Tier(upTo: TariffDecimal(1000), price: TariffDecimal(prices[1])!),
                Tier(upTo: nil, price: TariffDecimal(prices[2])!),
            ]))
    }
}

/// A test's body with the service running; the service is stopped before the next test
/// starts, whether the body passed or not (every test's service takes `tariff.commands`).
func withTariff(_ body: (RunningTariff) async throws -> Void) async throws {
    let service = try await startTariff()
    do {
        try await body(service)
    } catch {
        await service.stop()
        throw error
    }
    await service.stop()
}
