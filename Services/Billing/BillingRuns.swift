import Billing
import Contracts
import Foundation
import Messaging
import Postgres

/// A billing run: its subscriptions cut into chunks that Billing sends itself, so that every
/// replica takes a share (competing consumers); each chunk billed in one transaction with the
/// run's counters, and the chunk that finishes the run tells it.
enum BillingRuns {
    static func start(_ command: StartBillingRun, message: InboundMessage, context: MessageContext) async throws {
        let db = context.database
        guard let periodEnd = BillingDay.day(command.periodEnd) else { throw BillingRefused("periodEnd", "\"\(command.periodEnd)\" is not a date YYYY-MM-DD") }
        let issueDay = try command.issueDate.map { text throws(BillingRefused) in
            guard let day = BillingDay.day(text) else { throw BillingRefused("issueDate", "\"\(text)\" is not a date YYYY-MM-DD") }
            return day
        } ?? periodEnd + 1
        guard issueDay > periodEnd else { throw BillingRefused("issueDate", "a bill is issued after its period: \(command.issueDate ?? "") is not after \(command.periodEnd)") }
        let dueDays = command.dueDays ?? 14
        guard (1...90).contains(dueDays) else { throw BillingRefused("dueDays", "\(dueDays) is not from 1 to 90") }
        guard !command.cycle.isEmpty else { throw BillingRefused("cycle", "name the billing cycle") }

        let existing = try await db.query("SELECT cycle, period_end::text FROM runs WHERE run_id = $1", [command.runId])
        if let run = existing.first {
            guard try run.decode(String.self, 0) == command.cycle, try run.decode(String.self, 1) == command.periodEnd else {
                throw BillingRefused("runId", "run \(command.runId) is already a run of another cycle or period")
            }
            return  // The same run asked for again: it is under way or done.
        }
        let numbers = try await db.query(
            "SELECT number FROM subscriptions WHERE billing_cycle = $1 AND status = 'active' ORDER BY number", [command.cycle]).column(String.self)
        let chunks = stride(from: 0, to: numbers.count, by: BillingCommands.chunkSize).map { Array(numbers[$0..<min($0 + BillingCommands.chunkSize, numbers.count)]) }
        _ = try await db.query(
            "INSERT INTO runs (run_id, cycle, period_end, issue_date, due_days, chunks, subscriptions) VALUES ($1, $2, $3::date, $4::date, $5, $6, $7)",
            [command.runId, command.cycle, command.periodEnd, BillingDay.text(day: issueDay), dueDays, chunks.count, numbers.count])
        for (index, chunk) in chunks.enumerated() {
            context.send(try .contract(BillChunk(runId: command.runId, chunk: index, subscriptions: chunk), causedBy: message, actor: "system:billing"))
        }
        if chunks.isEmpty { try await complete(command.runId, message: message, context: context) }
    }

    static func bill(_ chunk: BillChunk, making: BillMaking, message: InboundMessage, context: MessageContext) async throws {
        let db = context.database
        guard chunk.subscriptions.count <= BillChunk.maximumSubscriptions else {
            throw MessageRejected(field: "subscriptions", "at most \(BillChunk.maximumSubscriptions) a chunk")
        }
        let rows = try await db.query("SELECT period_end::text, issue_date::text, due_days FROM runs WHERE run_id = $1", [chunk.runId])
        guard let run = rows.first, let periodEnd = BillingDay.day(try run.decode(String.self, 0)), let issueDay = BillingDay.day(try run.decode(String.self, 1)) else {
            throw MessageRejected(field: "runId", "there is no run \(chunk.runId)")
        }
        let done = try await db.query(
            "INSERT INTO run_chunks (run_id, chunk) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING chunk", [chunk.runId, chunk.chunk])
        guard !done.isEmpty else { return }  // Billed already, by a copy of this chunk.
        let made = try await making.make(
            BillMaking.Order(numbers: chunk.subscriptions, kind: .regular, to: periodEnd, issueDay: issueDay, dueDays: try run.decode(Int.self, 2), runId: chunk.runId),
            context: context, cause: message)
        if !made.exceptions.isEmpty {
            _ = try await db.query(
                """
                INSERT INTO run_exceptions (run_id, subscription_number, reason) SELECT $1, * FROM unnest($2::text[], $3::text[])
                ON CONFLICT (run_id, subscription_number) DO UPDATE SET reason = excluded.reason
                """, [chunk.runId, made.exceptions.map(\.subscriptionNumber), made.exceptions.map(\.reason)])
        }
        var charges: [String: Int] = [:]
        for bill in made.bills { charges[bill.quote.currency, default: 0] += bill.charges }
        if !charges.isEmpty {
            _ = try await db.query(
                """
                INSERT INTO run_charges (run_id, currency, amount) SELECT $1, * FROM unnest($2::text[], $3::bigint[])
                ON CONFLICT (run_id, currency) DO UPDATE SET amount = run_charges.amount + excluded.amount
                """, [chunk.runId, Array(charges.keys), Array(charges.values)])
        }
        let progress = try await db.query(
            """
            UPDATE runs SET chunks_done = chunks_done + 1, billed = billed + $2, skipped = skipped + $3, exceptions = exceptions + $4
            WHERE run_id = $1 RETURNING chunks_done, chunks
            """, [chunk.runId, made.bills.count, made.skipped, made.exceptions.count])
        if let row = progress.first, try row.decode(Int.self, 0) == (try row.decode(Int.self, 1)) {
            try await complete(chunk.runId, message: message, context: context)
        }
    }

    static func complete(_ runId: String, message: InboundMessage, context: MessageContext) async throws {
        let db = context.database
        let rows = try await db.query(
            "UPDATE runs SET completed_at = now() WHERE run_id = $1 RETURNING cycle, period_end::text, subscriptions, billed, skipped, exceptions", [runId])
        guard let run = rows.first else { return }
        let charges = try await db.query("SELECT currency, amount FROM run_charges WHERE run_id = $1 ORDER BY currency", [runId]).map {
            Money(amount: try $0.decode(Int.self, 1), currency: try $0.decode(String.self, 0))
        }
        context.send(try .contract(
            RunCompleted(
                runId: runId, cycle: try run.decode(String.self, 0), periodEnd: try run.decode(String.self, 1), subscriptions: try run.decode(Int.self, 2),
                billed: try run.decode(Int.self, 3), skipped: try run.decode(Int.self, 4), exceptions: try run.decode(Int.self, 5), charges: charges),
            causedBy: message, actor: "system:billing"))
    }
}
