import Billing
import Contracts
import Foundation
import Postgres

/// Bills stored with what they change: the estimates they were billed to, where each
/// register's next bill opens, and the subscription's billed-to day, last bill and average.
enum BillStore {
    /// The bills as stored: their JSON, made before their numbers are taken (see `BillMaking`).
    static func documents(_ bills: [Bill]) -> [String] { bills.map { String(decoding: $0.json, as: UTF8.self) } }

    static func save(_ bills: [Bill], documents: [String], drafts: [String: (BillDraft, BillInputs.Subscription)], on db: PostgresConnection) async throws {
        guard !bills.isEmpty else { return }
        _ = try await db.query(
            """
            INSERT INTO bills (bill_id, subscription_number, customer_number, run_id, kind, status, period_from, period_to, issue_date, currency, charges,
                               amount_due, consumption, estimated, document, openings)
            SELECT b.id, b.sub, b.customer, b.run, b.kind, 'issued', b.f::date, b.t::date, b.issued::date, b.currency, b.charges, b.due, b.used, b.est, b.doc,
                   b.openings
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[],
                        $11::bigint[], $12::float8[], $13::bool[], $14::text[], $15::text[])
                 AS b(id, sub, customer, run, kind, f, t, issued, currency, charges, due, used, est, doc, openings)
            """,
            [
                bills.map(\.billId), bills.map(\.subscriptionNumber), bills.map(\.customerNumber), bills.map(\.runId), bills.map(\.kind.rawValue),
                bills.map(\.from), bills.map(\.to), bills.map(\.issueDate), bills.map(\.quote.currency), bills.map(\.charges), bills.map(\.amountDue),
                bills.map { $0.consumption.values.reduce(0, +) }, bills.map(\.estimated),
                documents,
                bills.map { StoredJSON.openings(drafts[$0.subscriptionNumber]?.0.openings ?? []) },
            ])

        var estimates: [ReadingBook.StoredReading] = []
        var openings: [(String, BillDraft.Closing)] = []
        var closedMeters: [(String, String, String)] = []
        var usage: [String] = []
        for bill in bills {
            guard let (draft, subscription) = drafts[bill.subscriptionNumber] else { continue }
            // An estimate is named by its bill: a rebill's estimates are its own.
            func named(_ closing: BillDraft.Closing) -> BillDraft.Closing {
                guard closing.read.source == .estimated, draft.estimates.contains(closing) else { return closing }
                var renamed = closing
                renamed.read.readingId = "EST-\(bill.billId)-\(closing.serialNumber)-\(closing.register)"
                return renamed
            }
            for estimate in draft.estimates.map(named) {
                let reading = MeterReading(
                    readingId: estimate.read.readingId, manufacturer: estimate.manufacturer, serialNumber: estimate.serialNumber, register: estimate.register,
                    index: estimate.read.index, readAt: BillingDay.text(moment: estimate.read.at), source: .estimated)
                estimates.append(ReadingBook.StoredReading(
                    reading: reading, moment: estimate.read.at, unwound: estimate.read.unwound, status: .valid, flags: [], consumption: nil,
                    note: "estimated for bill \(bill.billId)"))
            }
            openings += draft.nextOpenings.map { (bill.subscriptionNumber, named($0)) }
            let open = Set(draft.nextOpenings.map { "\($0.manufacturer)\u{1}\($0.serialNumber)" })
            for register in draft.registers where !open.contains("\(register.manufacturer)\u{1}\(register.serialNumber)") {
                closedMeters.append((bill.subscriptionNumber, register.manufacturer, register.serialNumber))
            }
            usage.append(StoredJSON.usage(draft.dailyUsage(after: subscription.dailyUsage)))
        }
        try await ReadingBook.store(estimates, on: db)
        if !openings.isEmpty {
            _ = try await db.query(
                """
                INSERT INTO billed_registers (subscription_number, manufacturer, serial_number, register, reading_id, index, unwound, read_at, source)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::bigint[], $9::text[])
                ON CONFLICT (subscription_number, manufacturer, serial_number, register) DO UPDATE
                SET reading_id = excluded.reading_id, index = excluded.index, unwound = excluded.unwound, read_at = excluded.read_at, source = excluded.source
                """,
                [
                    openings.map(\.0), openings.map(\.1.manufacturer), openings.map(\.1.serialNumber), openings.map(\.1.register), openings.map(\.1.read.readingId),
                    openings.map(\.1.read.index), openings.map(\.1.read.unwound), openings.map(\.1.read.at), openings.map(\.1.read.source.rawValue),
                ])
        }
        if !closedMeters.isEmpty {
            _ = try await db.query(
                """
                DELETE FROM billed_registers b USING unnest($1::text[], $2::text[], $3::text[]) AS k(sub, manufacturer, serial_number)
                WHERE b.subscription_number = k.sub AND b.manufacturer = k.manufacturer AND b.serial_number = k.serial_number
                """, [closedMeters.map(\.0), closedMeters.map(\.1), closedMeters.map(\.2)])
        }
        let billed = bills.filter { drafts[$0.subscriptionNumber] != nil }
        _ = try await db.query(
            """
            UPDATE subscriptions s SET billed_to = u.t::date, last_bill_id = u.id, last_due = u.due, last_issue = u.issued::date, daily_usage = u.usage
            FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[]) AS u(sub, t, id, due, issued, usage)
            WHERE s.number = u.sub AND s.number = ANY($1)
            """, [billed.map(\.subscriptionNumber), billed.map(\.to), billed.map(\.billId), billed.map(\.amountDue), billed.map(\.issueDate), usage])
    }
}

/// A register's opening reading as a bill keeps it (written by `StoredJSON.openings`).
struct StoredOpening: Codable {
    var manufacturer: String
    var serialNumber: String
    var register: String
    var readingId: String
    var index: Double
    var unwound: Double
    var at: Int
    var source: ReadingSource
}
