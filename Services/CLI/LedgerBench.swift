import AMQP
import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit

/// `utilis bench ledger`: the Ledger service as a process of its own, its database first filled
/// with a history of `--stored` postings (a year of bills and payments for each subscription,
/// written straight into its tables as the service would have), then sent bill charges and
/// payments in batches through the broker as fast as it takes them; then the invariant check
/// over everything, and balance queries one at a time.
struct LedgerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Postings per second through the Ledger service, the invariant check, and the balance query's latency.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Postings stored before the run (50 a subscription: ten bills and ten payments).") var stored = 10_000_000
    @Option(help: "Subscriptions billed and paid through the service (5 postings each: a bill of 3, a payment of 2).") var billed = 200_000
    @Option(help: "Bills or payments per message.") var batch = 1_000
    @Option(help: "Balance queries timed after the run.") var queries = 3_000
    @Flag(help: "Keep the database of an earlier run with the same --stored, and skip filling it.") var keep = false
    @Option(help: "Ledger's executable (default: beside this one).") var ledger: String?

    var subscriptions: Int { stored / 50 }

    func run() async throws {
        guard subscriptions >= billed, billed > 0, (1...PostBillCharges.maximumCharges).contains(batch) else {
            throw ValidationError("--billed must be from 1 to --stored / 50, --batch from 1 to \(PostBillCharges.maximumCharges)")
        }
        let logger = BenchSetup.logger()
        let amqp = try AMQPConfiguration(url: connection.amqpURL)
        let admin = try PostgresConfiguration(url: connection.databaseURL, applicationName: "utilis-bench")
        let database = try await BenchSetup.database("bench_ledger_\(stored)", admin: admin, keep: keep, logger: logger)
        let broker = AMQPConnection(configuration: amqp, name: "bench-ledger", logger: logger)
        for queue in ["ledger.commands", "ledger.events"] { _ = try? await broker.purgeQueue(queue) }
        let answers = "bench-ledger-answers"
        try await broker.declare(AMQPTopology(
            exchanges: [.init(name: Exchanges.events, kind: .topic)],
            queues: [.init(name: answers, arguments: ["x-expires": .int(600_000)], durable: false)],
            bindings: [
                .init(queue: answers, exchange: Exchanges.events, routingKey: BalanceChanged.routingKey),
                .init(queue: answers, exchange: Exchanges.events, routingKey: LedgerCommandRefused.routingKey),
            ]))
        _ = try? await broker.purgeQueue(answers)
        let service = try ServiceProcess.start(
            executable: ledger ?? ServiceProcess.besideThisExecutable("Ledger"),
            environment: ["UTILIS_AMQP_URL": connection.amqpURL, "UTILIS_DATABASE_URL": database.url, "UTILIS_HTTP_PORT": "0", "UTILIS_LOG_LEVEL": "warning"])
        defer { service.stop() }
        try await service.waitUntil("the ledger consumes its commands") { ((try? await broker.queueStatus("ledger.commands").consumers) ?? 0) > 0 }
        let db = PostgresConnection(configuration: database, logger: logger)
        print("utilis bench ledger")
        print("setup: \(ProcessInfo.processInfo.activeProcessorCount) cores shared by the broker, the database, the Ledger (one process, pid \(service.pid), 2 command consumers) and this one,")
        print("       \(subscriptions) subscriptions (two a customer) with a history of \(stored) postings; then \(billed) of them billed (3 postings: receivable, revenue, VAT)")
        print("       and paid (2 postings: bank, receivable; each payment settles two open bills) in post-bill-charges and record-payments messages of \(batch),")
        print("       encoded beforehand, published with confirms to \(amqp.redacted), into \(database.redacted)")

        let present = try await db.query("SELECT count(*) FROM postings").scalar(Int.self)
        if present < stored {
            guard present == 0 else { throw ValidationError("bench_ledger_\(stored) has \(present) postings, not 0 or \(stored): run without --keep") }
            let begin = ContinuousClock.now
            try await LedgerHistory.fill(subscriptions: subscriptions, on: db)
            print(String(format: "history: %d postings of %d subscriptions written in %.0f s", stored, subscriptions, (ContinuousClock.now - begin).seconds))
        } else {
            print("history: \(present) postings kept from an earlier run")
        }
        let round = try await db.query("SELECT count(*) FROM entries WHERE id LIKE 'bill:R%'").scalar(Int.self) / max(1, billed) + 1

        // Charges and payments: each chunk's bills, then its payments; done when every message's
        // balance-changed event is out, after its transaction committed.
        var messages: [AMQPOutgoingMessage] = []
        var payments: [AMQPOutgoingMessage] = []
        for start in stride(from: 1, through: billed, by: batch) {
            let chunk = start..<min(start + batch, billed + 1)
            let bills = chunk.map { index in
                BillCharge(
                    billId: "R\(round)-\(index)", subscriptionNumber: LedgerHistory.subscription(index), currency: "IRR", issueDate: "2026-11-01", dueDate: "2026-11-15",
                    lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 200_000 + index % 1000), LedgerLine(account: "tax:vat:IRR", amount: 20_000)])
            }
            messages.append(try RegistrationBench.message(PostBillCharges(charges: bills)))
            // Each chunk's payments eight chunks after its bills, as money comes in days after a billing run.
            if payments.count >= 8 { messages.append(payments.removeFirst()) }
            payments.append(try RegistrationBench.message(RecordPayments(payments: bills.map { bill in
                Payment(
                    paymentId: "R\(round)-\(bill.billId)", subscriptionNumber: bill.subscriptionNumber, channel: .bank, amount: Money(amount: bill.total, currency: "IRR"),
                    valueDate: "2026-11-10", reference: "bench")
            })))
        }
        messages += payments
        let before = try await db.query("SELECT (SELECT count(*) FROM postings), (SELECT count(*) FROM entries)")[0]
        let begin = ContinuousClock.now
        let publishing = Task {
            for group in stride(from: 0, to: messages.count, by: 10) {
                let outcomes = try await broker.publish(Array(messages[group..<min(group + 10, messages.count)]))
                guard outcomes.allSatisfy({ $0 == .confirmed }) else { throw ValidationError("the broker did not confirm every command") }
            }
        }
        var answered = 0, refused = 0, lastProgress = ContinuousClock.now
        while answered < messages.count {
            guard let delivery = try await broker.get(queue: answers) else {
                try await Task.sleep(for: .milliseconds(10))
                if ContinuousClock.now - begin > .seconds(3600) { throw ValidationError("only \(answered) of \(messages.count) messages answered within an hour") }
                continue
            }
            try await broker.ack(delivery)
            if delivery.properties.type == LedgerCommandRefused.type {
                refused += 1
                if refused == 1 { print("  refused: \(String(decoding: delivery.body, as: UTF8.self).prefix(300))") }
                continue
            }
            answered += 1
            if ContinuousClock.now - lastProgress > .seconds(30) {
                lastProgress = .now
                print(String(format: "  … %d of %d messages after %.0f s", answered, messages.count, (ContinuousClock.now - begin).seconds))
            }
        }
        try await publishing.value
        let elapsed = (ContinuousClock.now - begin).seconds
        // Counted, not assumed: a payment taken before its bill leaves credit, applied when the bill comes (two entries more).
        let after = try await db.query("SELECT (SELECT count(*) FROM postings), (SELECT count(*) FROM entries)")[0]
        let postings = try after.decode(Int.self, 0) - before.decode(Int.self, 0), entries = try after.decode(Int.self, 1) - before.decode(Int.self, 1)
        print(String(format: "postings: %d in %d entries (%d bills, %d payments) in %.1f s: %.0f postings/s, %.0f entries/s (target ≥ 20000 postings/s); %d requests refused",
            postings, entries, billed, billed, elapsed, Double(postings) / elapsed, Double(entries) / elapsed, refused))

        // The proof, over everything stored.
        let client = RequestClient(amqp: amqp, actor: "system:bench", logger: logger)
        var checkStarted = ContinuousClock.now
        let check = try await client.ask(CheckLedger(), timeout: .seconds(1800))
        print(String(format: "check: %@ in %.1f s over %d entries, %d postings, %d accounts; sums %@",
            check.sound ? "sound" : "NOT SOUND", (ContinuousClock.now - checkStarted).seconds, check.entries, check.postings, check.accounts,
            check.sums.map { "\($0.currency) \($0.posted) posted, \($0.pending) pending" }.joined(separator: "; ")))
        if !check.sound { print("  unbalanced \(check.unbalancedEntries.prefix(5)), accounts off \(check.accountsOff.prefix(5)), receivables off \(check.receivablesOffItems.prefix(5))") }

        // Balances one at a time by request/reply, of subscriptions anywhere in the history.
        try await db.run(script: "ANALYZE")
        var latencies: [Double] = []
        checkStarted = ContinuousClock.now
        for _ in 0..<queries {
            let index = Int.random(in: 1...subscriptions)
            let sent = ContinuousClock.now
            let balance = try await client.ask(
                index % 2 == 0 ? GetBalance(subscriptionNumber: LedgerHistory.subscription(index)) : GetBalance(customerNumber: LedgerHistory.customer(index)),
                timeout: .seconds(10))
            latencies.append((ContinuousClock.now - sent).seconds * 1000)
            guard !balance.subscriptions.isEmpty else { throw ValidationError("no balance for subscription \(index)") }
        }
        // The same round trip with no database behind it: what the broker and the two processes cost.
        var pings: [Double] = []
        for _ in 0..<min(queries, 1000) {
            let sent = ContinuousClock.now
            _ = try await client.ask(Ping(), service: "ledger", timeout: .seconds(10))
            pings.append((ContinuousClock.now - sent).seconds * 1000)
        }
        func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        print(String(format: "balance: %d queries (half by subscription, half by customer): p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 < 5 ms)",
            queries, percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(latencies, 1)))
        print(String(format: "ping: %d queries, the same round trip without the database: p50 %.2f ms, p99 %.2f ms", pings.count, percentile(pings, 0.5), percentile(pings, 0.99)))
        let size = try await db.query(
            """
            SELECT pg_size_pretty(pg_database_size(current_database())), pg_size_pretty(pg_total_relation_size('postings')),
                   pg_size_pretty(pg_total_relation_size('entries')), pg_size_pretty(pg_total_relation_size('open_items')), pg_size_pretty(pg_total_relation_size('requests'))
            """)[0]
        print("database: \(try size.decode(String.self, 0)) (postings \(try size.decode(String.self, 1)), entries \(try size.decode(String.self, 2)), open items \(try size.decode(String.self, 3)), requests \(try size.decode(String.self, 4)))")
        let memory = service.residentMemory()
        print(String(format: "ledger: resident memory %.0f MiB now, %.0f MiB peak", memory.current, memory.peak))
        await client.close()
        await db.close()
        await broker.close()
    }
}
