import AMQP
import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit

/// `utilis bench reports`: the Reports service (its own process) over a read model of
/// `--customers` customers and subscriptions and `--bills` bill facts, loaded in bulk into its
/// database (as years of events would leave it). Then (1) the report of billed amount by region
/// and month, asked over the broker as the cartable asks it, and (2) bill-issued events sent at
/// `--rate` a second for `--seconds`, with how long each takes to show in a report.
struct ReportsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports", abstract: "A report's time over millions of facts, and how soon events show in reports under load.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Customers, each with one subscription.") var customers = 1_000_000
    @Option(help: "Bill facts: a bill a month for each subscription, back from November 2026.") var bills = 10_000_000
    @Option(help: "Events a second sent during the freshness test.") var rate = 5_000
    @Option(help: "How long the freshness test sends.") var seconds = 30
    @Option(help: "Times the report is run.") var runs = 20
    @Flag(help: "Keep the loaded read model of an earlier run when it has as many facts.") var keep = false
    @Option(help: "Where the services' executables are (default: beside this one).") var services: String?

    static let regions = 30, tariffs = 12
    static let lagRegion = "BENCH-LAG"

    func run() async throws {
        guard (1...10_000_000).contains(customers), (0...100_000_000).contains(bills), (1...50_000).contains(rate), (1...600).contains(seconds), (1...1000).contains(runs) else {
            throw ValidationError("--customers 1 to 10,000,000, --bills to 100,000,000, --rate 1 to 50,000, --seconds 1 to 600, --runs 1 to 1000")
        }
        let logger = BenchSetup.logger()
        let amqp = try AMQPConfiguration(url: connection.amqpURL)
        let admin = try PostgresConfiguration(url: connection.databaseURL, applicationName: "utilis-bench")
        let database = try await BenchSetup.database("bench_reports", admin: admin, keep: keep, logger: logger)
        let broker = AMQPConnection(configuration: amqp, name: "bench-reports", logger: logger)
        for queue in ["reports.commands", "reports.events", "reports.queries"] { _ = try? await broker.purgeQueue(queue) }
        let executable = services.map { URL(fileURLWithPath: $0).appendingPathComponent("Reports").path } ?? ServiceProcess.besideThisExecutable("Reports")
        let reports = try ServiceProcess.start(
            executable: executable,
            environment: ["UTILIS_AMQP_URL": connection.amqpURL, "UTILIS_DATABASE_URL": database.url, "UTILIS_HTTP_PORT": "0", "UTILIS_LOG_LEVEL": "warning"])
        defer { reports.stop() }
        try await reports.waitUntil("reports.events is consumed") { ((try? await broker.queueStatus("reports.events").consumers) ?? 0) > 0 }
        let db = PostgresConnection(configuration: database, logger: logger)

        print("utilis bench reports")
        print("setup: \(ProcessInfo.processInfo.activeProcessorCount) cores shared by the broker, the database, Reports (pid \(reports.pid)) and this one;")
        print("       broker \(amqp.redacted), database bench_reports on \(admin.redacted)")
        print("       read model: \(customers) customers and subscriptions (\(Self.regions) regions, 4 utilities, 5 use types, \(Self.tariffs) tariffs),")
        print("       \(bills) bills (one a month a subscription, back from 2026-11) loaded in bulk with the summary by month Reports keeps beside them")
        try await load(db)

        // (1) The report, as the cartable asks it: over the broker, compiled and run by Reports.
        let client = RequestClient(amqp: amqp, actor: "system:bench", logger: logger)
        let report = ReportDefinition(subject: "bills", dimensions: ["region", "issued.month"], measures: [ReportMeasure(.sum, "charges"), ReportMeasure(.count)])
        var times: [Double] = []
        var table: ReportTable?
        for _ in 0..<(runs + 2) {
            let begin = ContinuousClock.now
            table = try await client.ask(RunReport(report: report), timeout: .seconds(60))
            times.append((ContinuousClock.now - begin).seconds * 1000)
        }
        times.removeFirst(2)  // the first runs warm the caches
        let rows = table?.rows ?? []
        let counted = rows.compactMap { $0.last.flatMap { $0 }.flatMap(Int.init) }.reduce(0, +)
        print(String(format: "report: billed amount and bills by region and month (%d rows, %d bills, read from %@): median %.1f ms, p95 %.1f ms, max %.1f ms over %d runs (target: under 1 s)",
            rows.count, counted, table?.source ?? "?", percentile(times, 0.5), percentile(times, 0.95), times.max() ?? 0, runs))
        // The same measures by customer's region and due month cannot use the summary: the facts themselves.
        let facts = ReportDefinition(subject: "bills", dimensions: ["region", "due.month"], measures: [ReportMeasure(.sum, "charges"), ReportMeasure(.count)])
        var factTimes: [Double] = []
        var factTable: ReportTable?
        for _ in 0..<3 {
            let begin = ContinuousClock.now
            factTable = try await client.ask(RunReport(report: facts), timeout: .seconds(60))
            factTimes.append((ContinuousClock.now - begin).seconds * 1000)
        }
        print(String(format: "  for comparison, by region and due month (read from %@, every bill scanned): median %.0f ms over 3 runs",
            factTable?.source ?? "?", percentile(factTimes, 0.5)))

        // (2) Freshness: bills issued at `rate` a second, each counted in a report of its region.
        try await freshness(client: client, broker: broker, reports: reports, db: db)
        await client.close()
        await db.close()
        await broker.close()
    }

    func freshness(client: RequestClient, broker: AMQPConnection, reports: ServiceProcess, db: PostgresConnection) async throws {
        try await db.query("DELETE FROM bills WHERE region = $1", [Self.lagRegion])
        try await db.query("DELETE FROM bill_months WHERE region = $1", [Self.lagRegion])
        let total = rate * seconds
        let counting = ReportDefinition(subject: "bills", dimensions: [], measures: [ReportMeasure(.count)], filters: [ReportFilter("region", .equals, [Self.lagRegion])])
        let template = BillIssued.example.bills[0]
        let events: [AMQPOutgoingMessage] = try (0..<total).map { index in
            var bill = template
            let subscription = index % customers + 1
            bill.billId = "BL-\(index)"
            bill.subscriptionNumber = Self.subscriptionNumber(subscription)
            bill.customerNumber = Self.customerNumber(subscription)
            bill.region = Self.lagRegion
            (bill.issueDate, bill.dueDate, bill.from, bill.to) = ("2026-12-01", "2026-12-15", "2026-11-01", "2026-11-30")
            bill.charges = 100_000 + index % 1000
            bill.amountDue = bill.charges
            return AMQPOutgoingMessage(
                exchange: Exchanges.events, routingKey: BillIssued.routingKey, properties: Envelope(type: BillIssued.type, actor: "system:bench").properties(),
                body: try JSONBody.encode(BillIssued(runId: nil, bills: [bill])), mandatory: false)
        }
        // The sender: `rate / 50` events each 20 ms, on the clock, so that the load is steady.
        let slice = max(1, rate / 50)
        let sent = SentClock(count: total)
        let start = ContinuousClock.now
        let sender = Task {
            var next = 0, tick = 0
            while next < total {
                let batch = Array(events[next..<min(next + slice, total)])
                let outcomes = try await broker.publish(batch)
                guard outcomes.allSatisfy({ $0 == .confirmed }) else { throw ValidationError("the broker did not confirm every event") }
                sent.mark(next..<(next + batch.count), at: ContinuousClock.now)
                next += batch.count
                tick += 1
                try await Task.sleep(until: start + .milliseconds(20 * tick), clock: .continuous)
            }
            return (ContinuousClock.now - start).seconds
        }
        // The reader: a report every 250 ms; an event shows when its bill is counted. Events are
        // applied in batches in the order of the queue, so the count says which have shown.
        var lags: [Double] = [], reportTimes: [Double] = []
        var shown = 0
        let cpuBefore = reports.cpuSeconds()
        while shown < total {
            let asked = ContinuousClock.now
            guard asked - start < .seconds(seconds + 120) else { break }
            let table = try await client.ask(RunReport(report: counting), timeout: .seconds(30))
            let answered = ContinuousClock.now
            reportTimes.append((answered - asked).seconds * 1000)
            let count = table.rows.first?.first.flatMap { $0 }.flatMap(Int.init) ?? 0
            // Each event shown since the last report waited from its sending until at most this report.
            for index in shown..<min(count, total) { if let at = sent.at(index) { lags.append((answered - at).seconds) } }
            shown = max(shown, count)
            // And the first not shown has waited this long already: a lag no smaller.
            if shown < total, let oldest = sent.at(shown) { lags.append((answered - oldest).seconds) }
            try await Task.sleep(for: .milliseconds(250))
        }
        let sendSeconds = try await sender.value
        let drained = (ContinuousClock.now - start).seconds
        let cpu = reports.cpuSeconds() - cpuBefore
        print(String(format: "freshness: %d bill-issued events sent in %.1f s (%.0f events/s); %d shown in reports after %.1f s", total, sendSeconds,
            Double(total) / sendSeconds, shown, drained))
        print(String(format: "  time from an event's sending to a report showing it: median %.2f s, p95 %.2f s, max %.2f s (target: within 5 s at %d events/s)",
            percentile(lags, 0.5), percentile(lags, 0.95), lags.max() ?? 0, rate))
        print(String(format: "  a report during the load: median %.1f ms, p95 %.1f ms; Reports used %.1f CPU seconds (%.0f µs an event), peak resident memory %.0f MiB",
            percentile(reportTimes, 0.5), percentile(reportTimes, 0.95), cpu, cpu / Double(max(shown, 1)) * 1e6, reports.residentMemory().peak))
    }

    /// The read model in bulk: what the events of years would have left, written by SQL.
    func load(_ db: PostgresConnection) async throws {
        let have = try await db.query("SELECT (SELECT count(*) FROM subscriptions), (SELECT count(*) FROM bills WHERE region <> $1)", [Self.lagRegion])[0]
        if keep, try have.decode(Int.self, 0) == customers, try have.decode(Int.self, 1) == bills {
            print("load: kept from an earlier run")
            return
        }
        let begin = ContinuousClock.now
        try await db.run(script: "SET synchronous_commit = off; TRUNCATE customers, subscriptions, bills, bill_months, event_log")
        // The same formulas give a subscription's region, utility, use type and tariff wherever it is needed.
        try await db.query(
            """
            INSERT INTO customers (customer_number, kind, city, country, language, registered_on)
            SELECT 'C-' || lpad(i::text, 8, '0'), CASE WHEN i % 20 = 0 THEN 'organisation' ELSE 'person' END, 'City ' || (i % 50), 'IR', 'fa',
                   date '2016-01-01' + (i % 3650)
            FROM generate_series(1, $1::int) i
            """, [customers])
        try await db.query(
            """
            INSERT INTO subscriptions (subscription_number, customer_number, service_point_number, utility, region, use_type, tariff_code, billing_cycle,
                                       start_date, status, status_since)
            SELECT 'S-' || lpad(i::text, 8, '0') || '-' || (i % 10), 'C-' || lpad(i::text, 8, '0'), 'SP-' || lpad(i::text, 8, '0'),
                   (ARRAY['electricity', 'water', 'gas', 'heat'])[1 + i % 4], 'R' || lpad((i % $2::int)::text, 2, '0'),
                   (ARRAY['residential', 'commercial', 'industrial', 'agricultural', 'public'])[1 + (i / 4) % 5], 'T-' || (i % $3::int),
                   'M' || lpad((i % 20)::text, 2, '0'), date '2016-01-01' + (i % 3650), 'active', date '2016-01-01' + (i % 3650)
            FROM generate_series(1, $1::int) i
            """, [customers, Self.regions, Self.tariffs])
        print(String(format: "load: %d customers and subscriptions in %.0f s", customers, (ContinuousClock.now - begin).seconds))
        let step = 1_000_000
        for first in stride(from: 0, to: bills, by: step) {
            // Bill j is subscription j mod customers' bill of the month j div customers before November 2026.
            try await db.query(
                """
                INSERT INTO bills (bill_id, kind, status, subscription_number, customer_number, utility, region, use_type, tariff_code,
                                   period_from, period_to, issued_on, due_on, currency, charges, amount_due, consumption, estimated, settled)
                SELECT 'B-' || j, 'regular', 'issued', 'S-' || lpad(i::text, 8, '0') || '-' || (i % 10), 'C-' || lpad(i::text, 8, '0'),
                       (ARRAY['electricity', 'water', 'gas', 'heat'])[1 + i % 4], 'R' || lpad((i % $4::int)::text, 2, '0'),
                       (ARRAY['residential', 'commercial', 'industrial', 'agricultural', 'public'])[1 + (i / 4) % 5], 'T-' || (i % $5::int),
                       (month - interval '1 month')::date, (month - interval '1 day')::date, month, month + 14, 'IRR',
                       charges, charges, 100 + j % 400, j % 17 = 0, CASE WHEN month < date '2026-10-01' OR j % 3 = 0 THEN charges ELSE 0 END
                FROM generate_series($1::bigint, $2::bigint) j,
                     LATERAL (SELECT (j % $3::int) + 1 AS i, (date '2026-11-01' - make_interval(months => (j / $3::int)::int))::date AS month,
                                     100000 + (j * 7919) % 900000 AS charges) f
                """, [Int64(first), Int64(min(first + step, bills) - 1), customers, Self.regions, Self.tariffs])
            print(String(format: "  … %d bills after %.0f s", min(first + step, bills), (ContinuousClock.now - begin).seconds))
        }
        // The summary, by the grouping FactStore.summarize keeps it by.
        try await db.query(
            """
            INSERT INTO bill_months (month, status, kind, utility, region, use_type, tariff_code, currency, bills, charges, amount_due, consumption)
            SELECT date_trunc('month', issued_on)::date, coalesce(status, ''), coalesce(kind, ''), coalesce(utility, ''), coalesce(region, ''),
                   coalesce(use_type, ''), coalesce(tariff_code, ''), coalesce(currency, ''),
                   count(*), coalesce(sum(charges), 0), coalesce(sum(amount_due), 0), coalesce(sum(consumption), 0)
            FROM bills WHERE issued_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            """)
        try await db.run(script: "VACUUM ANALYZE")
        let summary = try await db.query("SELECT count(*) FROM bill_months").scalar(Int.self)
        print(String(format: "load: %d bills and %d summary rows in %.0f s", bills, summary, (ContinuousClock.now - begin).seconds))
    }

    static func subscriptionNumber(_ i: Int) -> String { "S-" + String(i).leftPadded(8) + "-\(i % 10)" }
    static func customerNumber(_ i: Int) -> String { "C-" + String(i).leftPadded(8) }

    func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}

/// When each event was confirmed sent, shared by the sender and the reader.
final class SentClock: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [ContinuousClock.Instant?]
    init(count: Int) { times = Array(repeating: nil, count: count) }
    func mark(_ range: Range<Int>, at instant: ContinuousClock.Instant) { lock.withLock { for index in range { times[index] = instant } } }
    func at(_ index: Int) -> ContinuousClock.Instant? { lock.withLock { times[index] } }
}
