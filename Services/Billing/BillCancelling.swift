import Billing
import Contracts
import Foundation
import Messaging
import Postgres

/// Cancel and rebill: the bill marked cancelled, its ledger charge reversed, its subscription
/// put back to where the bill opened (the bill before it, its registers' opening readings),
/// and, if asked, its period billed again from the readings as they are now.
enum BillCancelling {
    static func cancel(_ command: CancelBill, making: BillMaking, message: InboundMessage, context: MessageContext) async throws {
        let db = context.database
        let rows = try await db.query("SELECT status, document, openings FROM bills WHERE bill_id = $1 FOR UPDATE", [command.billId])
        guard let row = rows.first else { throw BillingRefused("billId", "there is no bill \(command.billId)") }
        guard try row.decode(String.self, 0) == BillStatus.issued.rawValue else { throw BillingRefused("billId", "bill \(command.billId) is already cancelled") }
        var bill = try JSONBody.decode(Bill.self, from: try row.decode(String.self, 1))
        let openings = try JSONBody.decode([StoredOpening].self, from: try row.decode(String.self, 2))
        let latest = try await db.query(
            "SELECT bill_id FROM bills WHERE subscription_number = $1 AND status = 'issued' ORDER BY period_to DESC LIMIT 1", [bill.subscriptionNumber])
        if let newest = try latest.first?.decode(String.self, 0), newest != bill.billId {
            throw BillingRefused("billId", "bill \(command.billId) is not its subscription's latest: cancel \(newest) first")
        }
        guard let issueDay = BillingDay.day(bill.issueDate), let dueDay = BillingDay.day(bill.dueDate), let from = BillingDay.day(bill.from),
            let to = BillingDay.day(bill.to)
        else { throw MessageRejected(field: "billId", "bill \(command.billId) is stored with dates Billing cannot read") }

        bill.status = .cancelled
        bill.cancelReason = command.reason
        _ = try await db.query(
            "UPDATE bills SET status = 'cancelled', document = $2 WHERE bill_id = $1", [bill.billId, String(decoding: bill.json, as: UTF8.self)])
        // The subscription as it was before the bill: billed to the day before its period, the bill before it last.
        _ = try await db.query(
            """
            UPDATE subscriptions s SET billed_to = $2::date, last_bill_id = p.bill_id, last_due = coalesce(p.amount_due, 0), last_issue = p.issue_date
            FROM (SELECT $1::text AS number) n
            LEFT JOIN LATERAL (SELECT bill_id, amount_due, issue_date FROM bills WHERE subscription_number = $1 AND status = 'issued'
                               ORDER BY period_to DESC LIMIT 1) p ON true
            WHERE s.number = n.number
            """, [bill.subscriptionNumber, BillingDay.text(day: from - 1)])
        _ = try await db.query(
            """
            INSERT INTO billed_registers (subscription_number, manufacturer, serial_number, register, reading_id, index, unwound, read_at, source)
            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::bigint[], $9::text[])
            ON CONFLICT (subscription_number, manufacturer, serial_number, register) DO UPDATE
            SET reading_id = excluded.reading_id, index = excluded.index, unwound = excluded.unwound, read_at = excluded.read_at, source = excluded.source
            """,
            [
                bill.subscriptionNumber, openings.map(\.manufacturer), openings.map(\.serialNumber), openings.map(\.register), openings.map(\.readingId),
                openings.map(\.index), openings.map(\.unwound), openings.map(\.at), openings.map(\.source.rawValue),
            ])
        // The bill's own estimates go with it.
        _ = try await db.query(
            "UPDATE readings SET status = 'superseded', note = note || ', cancelled with the bill' WHERE reading_id LIKE $1 AND source = 'estimated'",
            ["EST-\(bill.billId)-%"])
        if bill.charges != 0 {
            context.send(try .contract(
                ReverseEntry(
                    reversalId: "cancel:\(bill.billId)", entryId: "bill:\(bill.billId)", valueDate: BillingDay.text(day: today()), reason: command.reason,
                    approvedBy: command.approvedBy),
                causedBy: message, actor: "system:billing"))
        }
        var rebillId: String?
        if command.rebill {
            let made = try await making.make(
                BillMaking.Order(
                    numbers: [bill.subscriptionNumber], kind: .rebill, to: to, issueDay: max(today(), issueDay), dueDays: dueDay - issueDay, runId: bill.runId,
                    statuses: ["active", "suspended", "terminated", "pending"], replacing: bill),
                context: context, cause: message)
            // The cancel stands either way; a rebill that cannot be made is told, with why.
            rebillId = made.bills.first?.billId
            if rebillId == nil {
                context.send(try .contract(
                    BillingCommandRefused(
                        command: message.envelope.type, problems: [FieldProblem("rebill", made.exceptions.first?.reason ?? "the period could not be billed again")]),
                    causedBy: message))
            }
        }
        context.send(try .contract(
            BillCancelled(billId: bill.billId, subscriptionNumber: bill.subscriptionNumber, reason: command.reason, approvedBy: command.approvedBy, rebillId: rebillId),
            causedBy: message))
    }

    static func today() -> Int { Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)) }
}
