import Billing
import Contracts
import Foundation
import Messaging
import Postgres

/// The billing officer's decisions on readings, and interval data taken in.
enum ReadingReviews {
    /// The review process's job: accept, correct or reject the flagged reading. A decision that
    /// cannot be applied is thrown back to the process as `BILLING_REFUSED`, with why.
    static func apply(_ job: WorkerJob, message: InboundMessage, context: MessageContext) async throws {
        do {
            let status = try await apply(try JSONValue.object(job.variables).decodeVariables(ReadingReview.self), on: context.database)
            context.send(try .contract(CompleteJob(jobId: job.jobId, variables: ["readingStatus": .string(status.rawValue)]), causedBy: message))
        } catch let problem as MessageRejected {
            context.send(try .contract(ThrowError(jobId: job.jobId, code: BillingCommands.refusedCode, message: problem.description), causedBy: message))
        } catch let refused as BillingRefused {
            context.send(try .contract(ThrowError(jobId: job.jobId, code: BillingCommands.refusedCode, message: refused.description), causedBy: message))
        }
    }

    static func apply(_ review: ReadingReview, on db: PostgresConnection) async throws -> ReadingStatus {
            let status: ReadingStatus
            switch review.decision {
            case .accept:
                status = try await decide(review.readingId, to: .valid, note: review.note.map { "accepted: \($0)" } ?? "accepted", on: db)
            case .reject:
                status = try await decide(review.readingId, to: .rejected, note: review.note.map { "rejected: \($0)" } ?? "rejected", on: db)
            case .correct:
                guard let index = review.correctedIndex else { throw BillingRefused("variables.correctedIndex", "a correction needs the index read") }
                status = try await correct(review.readingId, index: index, note: review.note.map { "corrected: \($0)" } ?? "corrected", on: db)
            }
            return status
    }

    static func decide(_ readingId: String, to status: ReadingStatus, note: String, on db: PostgresConnection) async throws -> ReadingStatus {
        let rows = try await db.query(
            "UPDATE readings SET status = $2, note = $3 WHERE reading_id = $1 AND source <> 'estimated' RETURNING manufacturer, serial_number, register, read_at",
            [readingId, status.rawValue, note])
        guard let row = rows.first else { throw BillingRefused("readingId", "there is no reading \(readingId) to decide on") }
        if status == .valid { try await supersedeEstimates(before: row, on: db) }
        return status
    }

    /// A reading's index put right, checked again against the reading before it: valid, since
    /// a person read it again, with the check's flags kept as a note.
    static func correct(_ readingId: String, index: Double, note: String, on db: PostgresConnection) async throws -> ReadingStatus {
        let rows = try await db.query(
            """
            SELECT r.manufacturer, r.serial_number, r.register, r.read_at, m.dials, m.multiplier
            FROM readings r JOIN LATERAL (SELECT dials, multiplier FROM meters WHERE manufacturer = r.manufacturer AND serial_number = r.serial_number
                                          ORDER BY installed_at DESC LIMIT 1) m ON true
            WHERE r.reading_id = $1 AND r.source <> 'estimated' FOR UPDATE OF r
            """, [readingId])
        guard let row = rows.first else { throw BillingRefused("readingId", "there is no reading \(readingId) to correct") }
        let moment = try row.decode(Int.self, 3)
        let dials = MeterDials(dials: try row.decode(Int.self, 4), multiplier: try row.decode(Double.self, 5))
        let check = ReadingCheck()
        if let problem = check.problem(index: index, dials: dials) { throw BillingRefused("index", problem) }
        let previous = try await db.query(
            """
            SELECT reading_id, index, unwound, read_at, source FROM readings
            WHERE manufacturer = $1 AND serial_number = $2 AND register = $3 AND status = 'valid' AND source <> 'estimated' AND read_at < $4 AND reading_id <> $5
            ORDER BY read_at DESC LIMIT 1
            """, [try row.decode(String.self, 0), try row.decode(String.self, 1), try row.decode(String.self, 2), moment, readingId])
        let outcome = check.check(index: index, at: moment, previous: try previous.first.map { try ReadingBook.read($0, from: 0) }, dials: dials, dailyUsage: nil)
        let flags = outcome.flags.map(\.rawValue).joined(separator: ", ")
        _ = try await db.query(
            "UPDATE readings SET index = $2, unwound = $3, consumption = $4, status = 'valid', flags = '{}', note = $5 WHERE reading_id = $1",
            [readingId, index, outcome.unwound, outcome.consumption, flags.isEmpty ? note : "\(note) (still \(flags))"])
        try await supersedeEstimates(before: row, on: db)
        return .valid
    }

    static func supersedeEstimates(before row: PostgresRow, on db: PostgresConnection) async throws {
        _ = try await db.query(
            """
            UPDATE readings SET status = 'superseded' WHERE manufacturer = $1 AND serial_number = $2 AND register = $3 AND source = 'estimated'
              AND status = 'valid' AND read_at < $4
            """, [try row.decode(String.self, 0), try row.decode(String.self, 1), try row.decode(String.self, 2), try row.decode(Int.self, 3)])
    }

    static func recordIntervals(_ command: RecordIntervals, message: InboundMessage, context: MessageContext) async throws {
        guard command.series.count <= RecordIntervals.maximumSeries else {
            throw MessageRejected(field: "series", "at most \(RecordIntervals.maximumSeries) a message; there are \(command.series.count)")
        }
        let meters = try await ReadingBook.meters(
            Array(Set(command.series.map { ReadingBook.MeterKey(manufacturer: $0.manufacturer, serialNumber: $0.serialNumber) })), on: context.database)
        var refused: [FieldProblem] = []
        var accepted: [(IntervalSeries, Int)] = []
        for (index, series) in command.series.enumerated() {
            let path = "series[\(index)]."
            guard meters[ReadingBook.MeterKey(manufacturer: series.manufacturer, serialNumber: series.serialNumber)] != nil else {
                refused.append(FieldProblem("\(path)serialNumber", "Billing knows no meter \(series.serialNumber) of \(series.manufacturer)"))
                continue
            }
            guard [15, 30, 60].contains(series.minutes) else {
                refused.append(FieldProblem("\(path)minutes", "\(series.minutes) is not an interval length: 15, 30 or 60"))
                continue
            }
            guard let start = Intervals.minute(series.start), start % series.minutes == 0 else {
                refused.append(FieldProblem("\(path)start", "\"\(series.start)\" is not the start of a \(series.minutes)-minute interval, YYYY-MM-DDTHH:MM"))
                continue
            }
            guard !series.values.isEmpty, series.values.count <= 31 * 96 else {
                refused.append(FieldProblem("\(path)values", "from 1 to \(31 * 96) values a series"))
                continue
            }
            if let bad = series.values.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                refused.append(FieldProblem("\(path)values[\(bad)]", "\(series.values[bad]) is not a consumption: negative or not a number"))
                continue
            }
            accepted.append((series, start))
        }
        if !accepted.isEmpty {
            _ = try await context.database.query(
                """
                INSERT INTO intervals (series_id, manufacturer, serial_number, start_minute, minutes, values)
                SELECT s.id, s.m, s.s, s.start, s.minutes, s.v::float8[] FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::int[], $6::text[])
                  AS s(id, m, s, start, minutes, v)
                ON CONFLICT (series_id) DO NOTHING
                """,
                [
                    accepted.map(\.0.seriesId), accepted.map(\.0.manufacturer), accepted.map(\.0.serialNumber), accepted.map(\.1), accepted.map(\.0.minutes),
                    accepted.map { $0.0.values.postgresText ?? "{}" },
                ])
        }
        context.send(try .contract(ReadingsChecked(stored: accepted.count, duplicates: [], flagged: [], refused: refused), causedBy: message))
    }
}
