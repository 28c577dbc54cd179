import AMQP
import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit

/// `utilis bench billing`: a month's billing run of `--subscriptions` active subscriptions, with
/// Billing (`--replicas` processes), the Ledger and the Tariff service each running as its own
/// process on this machine. The tariff is created through the Tariff service; the
/// subscriptions arrive as Registration's import announces them (customers-imported events, a
/// thousand a message), their month's readings as a meter data system sends them; then one run
/// bills them all and posts every charge to the Ledger.
struct BillingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing", abstract: "Bills per second of one billing run, its wall time, and each service's peak memory.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Active subscriptions billed in the run.") var subscriptions = 1_000_000
    @Option(help: "Billing processes (competing consumers of the run's chunks).") var replicas = 2
    @Option(help: "Subscriptions in a chunk of the run.") var chunk = 500
    @Option(help: "Where the services' executables are (default: beside this one).") var services: String?

    static let tariffCode = "BENCH-E-RES"
    static let installedAt = "2026-09-30T10:00:00Z"

    func executable(_ name: String) -> String {
        services.map { URL(fileURLWithPath: $0).appendingPathComponent(name).path } ?? ServiceProcess.besideThisExecutable(name)
    }

    func run() async throws {
        guard subscriptions > 0, subscriptions <= 10_000_000, (1...BillChunk.maximumSubscriptions).contains(chunk), (1...8).contains(replicas) else {
            throw ValidationError("--subscriptions from 1 to 10,000,000, --chunk from 1 to \(BillChunk.maximumSubscriptions), --replicas from 1 to 8")
        }
        let logger = BenchSetup.logger()
        let amqp = try AMQPConfiguration(url: connection.amqpURL)
        let admin = try PostgresConfiguration(url: connection.databaseURL, applicationName: "utilis-bench")
        let billingDatabase = try await BenchSetup.database("bench_billing", admin: admin, logger: logger)
        let ledgerDatabase = try await BenchSetup.database("bench_billing_ledger", admin: admin, logger: logger)
        let tariffDatabase = try await BenchSetup.database("bench_billing_tariff", admin: admin, logger: logger)
        let broker = AMQPConnection(configuration: amqp, name: "bench-billing", logger: logger)
        for service in ["billing", "ledger", "tariff"] {
            for queue in ["\(service).commands", "\(service).events"] { _ = try? await broker.purgeQueue(queue) }
        }
        let answers = "bench-billing-answers"
        try await broker.declare(AMQPTopology(
            exchanges: [.init(name: Exchanges.events, kind: .topic)],
            queues: [.init(name: answers, arguments: ["x-expires": .int(600_000)], durable: false)],
            bindings: [
                .init(queue: answers, exchange: Exchanges.events, routingKey: RunCompleted.routingKey),
                .init(queue: answers, exchange: Exchanges.events, routingKey: ReadingsChecked.routingKey),
                .init(queue: answers, exchange: Exchanges.events, routingKey: LedgerCommandRefused.routingKey),
                .init(queue: answers, exchange: Exchanges.events, routingKey: BillingCommandRefused.routingKey),
            ]))
        _ = try? await broker.purgeQueue(answers)

        func start(_ name: String, _ database: PostgresConfiguration, _ extra: [String: String] = [:]) throws -> ServiceProcess {
            try ServiceProcess.start(
                executable: executable(name),
                environment: ["UTILIS_AMQP_URL": connection.amqpURL, "UTILIS_DATABASE_URL": database.url, "UTILIS_HTTP_PORT": "0", "UTILIS_LOG_LEVEL": "warning"]
                    .merging(extra) { $1 })
        }
        let tariffService = try start("Tariff", tariffDatabase)
        let ledger = try start("Ledger", ledgerDatabase)
        var billing: [ServiceProcess] = []
        for _ in 0..<replicas { billing.append(try start("Billing", billingDatabase, ["UTILIS_BILLING_CHUNK": "\(chunk)"])) }
        let all = [("tariff", tariffService), ("ledger", ledger)] + billing.enumerated().map { ("billing \($0.offset + 1)", $0.element) }
        defer { for (_, process) in all { process.stop() } }
        for (queue, process) in [("tariff.commands", tariffService), ("ledger.commands", ledger), ("billing.commands", billing[0])] {
            try await process.waitUntil("\(queue) is consumed") { ((try? await broker.queueStatus(queue).consumers) ?? 0) > 0 }
        }
        let billingDB = PostgresConnection(configuration: billingDatabase, logger: logger)
        let ledgerDB = PostgresConnection(configuration: ledgerDatabase, logger: logger)
        print("utilis bench billing")
        print("setup: \(ProcessInfo.processInfo.activeProcessorCount) cores shared by the broker, the database, Billing (\(replicas) processes, pids \(billing.map { String($0.pid) }.joined(separator: ", "))),")
        print("       the Ledger (pid \(ledger.pid)), the Tariff service (pid \(tariffService.pid)) and this one; broker \(amqp.redacted), databases on \(admin.redacted)")
        print("       \(subscriptions) active subscriptions (one meter each) announced as Registration's import does, 1,000 a customers-imported event;")
        print("       a month's reading each sent in record-readings of 1,000; one run of chunks of \(chunk), every charge posted to the Ledger")

        // The tariff, through the Tariff service; Billing keeps it from its event, the Ledger opens its accounts.
        let tariff = Tariff(
            code: Self.tariffCode, name: "Residential (bench)", utility: .electricity, useType: .residential, region: "TEHRAN", currency: "IRR", minorDigits: 0,
            unit: "kWh")
        try await publish([try RegistrationBench.message(CreateTariff(tariff: tariff, firstVersion: Self.version, reason: "bench"))], on: broker)
        try await tariffService.waitUntil("Billing has the tariff") {
            try await billingDB.query("SELECT count(*) FROM tariffs WHERE code = $1", [Self.tariffCode]).scalar(Int.self) == 1
        }

        // The subscriptions, as Registration announces an import.
        var begin = ContinuousClock.now
        let installed = ISO8601DateFormatter().date(from: Self.installedAt)!
        for start in stride(from: 0, to: subscriptions, by: 1_000) {
            let event = CustomersImported(entries: (start..<min(start + 1_000, subscriptions)).map(Self.entry))
            let outcomes = try await broker.publish([
                AMQPOutgoingMessage(
                    exchange: Exchanges.events, routingKey: CustomersImported.routingKey,
                    properties: Envelope(type: CustomersImported.type, timestamp: installed, actor: "system:bench").properties(), body: try JSONBody.encode(event),
                    mandatory: false)
            ])
            guard outcomes == [.confirmed] else { throw ValidationError("the broker did not confirm an import event") }
        }
        var known = 0, accounts = 0
        try await ledger.waitUntil("the subscriptions are known to Billing and the Ledger", within: .seconds(7_200)) {
            known = try await billingDB.query("SELECT count(*) FROM subscriptions WHERE status = 'active'").scalar(Int.self)
            accounts = try await ledgerDB.query("SELECT count(*) FROM accounts WHERE kind = 'receivable'").scalar(Int.self)
            if known < subscriptions || accounts < subscriptions { try await Task.sleep(for: .seconds(1)) }
            return known >= subscriptions && accounts >= subscriptions
        }
        print(String(format: "subscriptions: %d in Billing, %d receivables in the Ledger, in %.0f s", known, accounts, (ContinuousClock.now - begin).seconds))

        // A month's reading each.
        begin = ContinuousClock.now
        var readings: [AMQPOutgoingMessage] = []
        let batch = Contracts.RecordReadings.maximumReadings
        for start in stride(from: 0, to: subscriptions, by: batch) {
            let month: [MeterReading] = (start..<min(start + batch, subscriptions)).map(Self.reading)
            readings.append(try RegistrationBench.message(Contracts.RecordReadings(readings: month)))
        }
        try await publish(readings, on: broker)
        var stored = 0, flagged = 0, refused = 0
        for _ in readings {
            let checked = try await next(ReadingsChecked.self, on: answers, broker: broker)
            stored += checked.stored
            flagged += checked.flagged.count
            refused += checked.refused.count
        }
        let readingSeconds = (ContinuousClock.now - begin).seconds
        print(String(format: "readings: %d stored (%d flagged, %d refused) in %.0f s: %.0f readings/s", stored, flagged, refused, readingSeconds, Double(stored) / readingSeconds))

        // The run.
        try await billingDB.run(script: "ANALYZE")
        try await ledgerDB.run(script: "ANALYZE")
        let runId = "BENCH-2026-10"
        let cpuBefore = all.map { $0.1.cpuSeconds() }
        begin = ContinuousClock.now
        try await publish([try RegistrationBench.message(StartBillingRun(runId: runId, cycle: "B1", periodEnd: "2026-10-31", issueDate: "2026-11-01"))], on: broker)
        let client = RequestClient(amqp: amqp, actor: "system:bench", logger: logger)
        let runStart = begin
        let progress = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(30))
                if let status = try? await client.ask(GetRun(runId: runId), timeout: .seconds(10)) {
                    let seconds = (ContinuousClock.now - runStart).seconds
                    print(String(format: "  … %d of %d chunks, %d bills after %.0f s (%.0f bills/s)", status.chunksDone, status.chunks, status.billed, seconds, Double(status.billed) / seconds))
                }
            }
        }
        let completed = try await next(RunCompleted.self, on: answers, broker: broker, timeout: .seconds(7_200))
        let runSeconds = (ContinuousClock.now - begin).seconds
        // Every bill that charges something is an entry in the Ledger.
        let charged = try await billingDB.query("SELECT count(*) FROM bills WHERE status = 'issued' AND charges <> 0").scalar(Int.self)
        try await ledger.waitUntil("the Ledger has posted every charge", within: .seconds(7_200)) {
            let posted = try await ledgerDB.query("SELECT count(*) FROM entries WHERE kind = 'charge'").scalar(Int.self)
            if posted < charged { try await Task.sleep(for: .milliseconds(200)) }
            return posted >= charged
        }
        let postedSeconds = (ContinuousClock.now - begin).seconds
        progress.cancel()
        print(String(format: "run: %d billed, %d skipped, %d not billed in %.1f s: %.0f bills/s (target: the run in under 600 s, at least 1,700 bills/s)",
            completed.billed, completed.skipped, completed.exceptions, runSeconds, Double(completed.billed) / runSeconds))
        let entries = try await ledgerDB.query("SELECT count(*), coalesce(sum(p.amount), 0) FROM entries e JOIN postings p ON p.entry_id = e.id AND p.amount > 0 WHERE e.kind = 'charge'")[0]
        let billed = try await billingDB.query("SELECT count(*), coalesce(sum(charges), 0), count(DISTINCT subscription_number) FROM bills WHERE status = 'issued'")[0]
        print(String(format: "ledger: every charge posted %.1f s after the start (%.0f bills/s end to end); %d charge entries of %@ for %d bills of %@ (%d subscriptions)",
            postedSeconds, Double(completed.billed) / postedSeconds, try entries.decode(Int.self, 0), "\(try entries.decode(Int.self, 1))",
            try billed.decode(Int.self, 0), "\(try billed.decode(Int.self, 1))", try billed.decode(Int.self, 2)))
        for ((name, process), before) in zip(all, cpuBefore) {
            let memory = process.residentMemory()
            print(String(format: "  %@: peak resident memory %.0f MiB (now %.0f MiB); %.1f CPU seconds in the run (%.0f µs a bill)", name, memory.peak, memory.current,
                process.cpuSeconds() - before, (process.cpuSeconds() - before) / Double(max(completed.billed, 1)) * 1e6))
        }
        await client.close()
        await billingDB.close()
        await ledgerDB.close()
        await broker.close()
    }

    /// 10,000 a month; 1,250 a kWh to 100, 2,900 to 200, 6,400 above; VAT 10%.
    static var version: TariffVersion {
        TariffVersion(
            effectiveFrom: "2026-01-01", fixedCharges: [FixedCharge(name: "Meter rental", amount: TariffDecimal(10_000), per: .month)],
            energy: EnergyCharge(tiers: [
                Tier(upTo: TariffDecimal(100), price: TariffDecimal(1_250)), Tier(upTo: TariffDecimal(200), price: TariffDecimal(2_900)),
                Tier(upTo: nil, price: TariffDecimal(6_400)),
            ]),
            weekendDays: [5], taxes: [Tax(name: "VAT", percent: TariffDecimal(10), on: [.fixed, .energy])], rounding: Rounding(mode: .halfUp, per: .bill))
    }

    /// October's reading: 150 to 349 kWh since the import's 1,000.
    static func reading(_ index: Int) -> MeterReading {
        MeterReading(
            readingId: "BENCH-\(index)-2026-10", manufacturer: "Bench Meters", serialNumber: "BM-\(index)", register: "total",
            index: Double(1_150 + index % 200), readAt: "2026-10-31T09:00:00Z", source: .actual)
    }

    static func entry(_ index: Int) -> CustomersImported.Entry {
        let digits = String(format: "%08d", index)
        return CustomersImported.Entry(
            reference: "BENCH-\(index)", customerNumber: "C-\(digits)-0",
            subscriptions: [
                CustomersImported.Entry.Subscription(
                    subscriptionNumber: "S-\(digits)-0", servicePointNumber: "SP-\(digits)-0", premisesNumber: "P-\(digits)-0", utility: .electricity,
                    region: "TEHRAN", useType: .residential, tariffCode: tariffCode, billingCycle: "B1", startDate: "2019-04-01", manufacturer: "Bench Meters",
                    serialNumber: "BM-\(index)", dials: 6, multiplier: 1, readings: [RegisterReading(register: "total", index: 1_000)])
            ], problems: [])
    }

    func publish(_ messages: [AMQPOutgoingMessage], on broker: AMQPConnection) async throws {
        for group in stride(from: 0, to: messages.count, by: 20) {
            let outcomes = try await broker.publish(Array(messages[group..<min(group + 20, messages.count)]))
            guard outcomes.allSatisfy({ $0 == .confirmed }) else { throw ValidationError("the broker did not confirm every command") }
        }
    }

    /// Waits until the queues stay empty for two seconds.
    func drained(_ queues: [String], broker: AMQPConnection, what: String) async throws {
        let deadline = ContinuousClock.now + .seconds(7_200)
        var emptySince: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            var empty = true
            for queue in queues where try await broker.queueStatus(queue).messages > 0 { empty = false }
            if empty {
                if let since = emptySince, ContinuousClock.now - since > .seconds(2) { return }
                emptySince = emptySince ?? .now
            } else {
                emptySince = nil
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ValidationError("not within two hours: \(what)")
    }

    /// The next message of a type on the answers queue; a refusal on the way is shown and fails the benchmark.
    func next<M: MessageContract>(_ type: M.Type, on queue: String, broker: AMQPConnection, timeout: Duration = .seconds(1_800)) async throws -> M {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let delivery = try await broker.get(queue: queue) else {
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            try await broker.ack(delivery)
            if delivery.properties.type == M.type { return try JSONBody.decode(M.self, from: delivery.body) }
            if delivery.properties.type == LedgerCommandRefused.type || delivery.properties.type == BillingCommandRefused.type {
                throw ValidationError("refused: \(String(decoding: delivery.body, as: UTF8.self).prefix(500))")
            }
        }
        throw ValidationError("no \(M.type) within \(timeout)")
    }
}
