import Billing
import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Billing's queries: a bill to print (with its subscription's last periods), a subscription's
/// or customer's bills, a run's progress and exceptions, a meter's readings.
enum BillingQueries {
    static let names = [GetBill.name, FindBills.name, GetRun.name, GetReadings.name]

    static func handlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler] {
        let database = environment.database
        return [
            GetBill.type: { message in
                let query = try message.decode(GetBill.self)
                return try await database.withConnection { db in try JSONBody.encode(try await bill(query.billId, on: db)) }
            },
            FindBills.type: { message in
                let query = try message.decode(FindBills.self)
                let (filter, key): (String, String) = switch (query.subscriptionNumber, query.customerNumber) {
                case (let subscription?, nil): ("subscription_number = $1", subscription)
                case (nil, let customer?): ("customer_number = $1", customer)
                default: throw MessageRejected(field: "subscriptionNumber", "name a subscription or a customer, one of them")
                }
                let limit = query.limit ?? 24
                guard (1...200).contains(limit) else { throw MessageRejected(field: "limit", "must be from 1 to 200") }
                return try await database.withConnection { db in
                    let rows = try await db.query(
                        "SELECT status, document FROM bills WHERE \(filter) ORDER BY period_to DESC, issued_at DESC LIMIT $2", [key, limit])
                    return try JSONBody.encode(BillList(bills: try rows.map { BillList.Entry(bill: try stored($0)) }))
                }
            },
            GetRun.type: { message in
                let query = try message.decode(GetRun.self)
                return try await database.withConnection { db in try JSONBody.encode(try await run(query.runId, on: db)) }
            },
            GetReadings.type: { message in
                let query = try message.decode(GetReadings.self)
                let limit = query.limit ?? 50
                guard (1...500).contains(limit) else { throw MessageRejected(field: "limit", "must be from 1 to 500") }
                return try await database.withConnection { db in
                    let rows = try await db.query(
                        """
                        SELECT reading_id, register, index, read_at, source, status, array_to_string(flags, ','), consumption, note FROM readings
                        WHERE manufacturer = $1 AND serial_number = $2 ORDER BY read_at DESC, register LIMIT $3
                        """, [query.manufacturer, query.serialNumber, limit])
                    return try JSONBody.encode(ReadingList(readings: try rows.map { row in
                        ReadingList.Entry(
                            reading: MeterReading(
                                readingId: try row.decode(String.self, 0), manufacturer: query.manufacturer, serialNumber: query.serialNumber,
                                register: try row.decode(String.self, 1), index: try row.decode(Double.self, 2),
                                readAt: BillingDay.text(moment: try row.decode(Int.self, 3)), source: ReadingSource(rawValue: try row.decode(String.self, 4)) ?? .actual),
                            status: ReadingStatus(rawValue: try row.decode(String.self, 5)) ?? .flagged,
                            flags: try row.decode(String.self, 6).split(separator: ",").compactMap { ReadingFlag(rawValue: String($0)) },
                            consumption: try row.decode(Double?.self, 7), note: try row.decode(String?.self, 8))
                    }))
                }
            },
        ]
    }

    /// A stored bill with its status as the column has it.
    static func stored(_ row: PostgresRow) throws -> Bill {
        var bill = try JSONBody.decode(Bill.self, from: try row.decode(String.self, 1))
        guard let status = BillStatus(rawValue: try row.decode(String.self, 0)) else { throw PostgresError(.decoding, "a bill's status is not one Billing knows") }
        bill.status = status
        return bill
    }

    static func bill(_ billId: String, on db: PostgresConnection) async throws -> BillRecord {
        guard let row = try await db.query("SELECT status, document FROM bills WHERE bill_id = $1", [billId]).first else {
            throw MessageRejected(field: "billId", "there is no bill \(billId)")
        }
        let bill = try stored(row)
        let history = try await db.query(
            """
            SELECT bill_id, period_from::text, period_to::text, consumption, estimated FROM bills
            WHERE subscription_number = $1 AND status = 'issued' AND period_to <= $2::date ORDER BY period_to DESC LIMIT 12
            """, [bill.subscriptionNumber, bill.to])
        return BillRecord(bill: bill, history: try history.reversed().map { row in
            BillRecord.Period(
                billId: try row.decode(String.self, 0), from: try row.decode(String.self, 1), to: try row.decode(String.self, 2),
                consumption: try row.decode(Double.self, 3), estimated: try row.decode(Bool.self, 4))
        })
    }

    static func run(_ runId: String, on db: PostgresConnection) async throws -> RunStatus {
        guard let row = try await db.query(
            """
            SELECT cycle, period_end::text, issue_date::text, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), chunks, chunks_done, subscriptions, billed, skipped
            FROM runs WHERE run_id = $1
            """, [runId]).first
        else { throw MessageRejected(field: "runId", "there is no run \(runId)") }
        let exceptions = try await db.query(
            "SELECT subscription_number, reason FROM run_exceptions WHERE run_id = $1 ORDER BY subscription_number LIMIT 1000", [runId])
        return RunStatus(
            runId: runId, cycle: try row.decode(String.self, 0), periodEnd: try row.decode(String.self, 1), issueDate: try row.decode(String.self, 2),
            startedAt: try row.decode(String.self, 3), completedAt: try row.decode(String?.self, 4), chunks: try row.decode(Int.self, 5),
            chunksDone: try row.decode(Int.self, 6), subscriptions: try row.decode(Int.self, 7), billed: try row.decode(Int.self, 8),
            skipped: try row.decode(Int.self, 9),
            exceptions: try exceptions.map { RunStatus.Exception(subscriptionNumber: try $0.decode(String.self, 0), reason: try $0.decode(String.self, 1)) })
    }
}
