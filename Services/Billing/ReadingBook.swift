import Billing
import Contracts
import Foundation
import Messaging
import Postgres

/// Readings taken in: each checked against the register's reading before it (`ReadingCheck`),
/// stored with its unwound index and consumption, estimates it overtakes set aside, and the
/// flagged ones put before the billing officer as a review process.
enum ReadingBook {
    /// The process a flagged reading opens (deploy/processes/reading-review.bpmn).
    static let reviewProcess = "reading-review"

    struct Incoming {
        var reading: MeterReading
        var moment: Int
        /// Where the reading is in its message, for problems: `readings[3].`.
        var path: String
        /// Registration's readings are taken by staff at the meter: stored valid, whatever the check says.
        var trusted: Bool
    }

    struct Outcome {
        var stored = 0
        var duplicates: [String] = []
        var flagged: [ReadingsChecked.Flagged] = []
        var refused: [FieldProblem] = []
        var reviews: [OutgoingMessage] = []
    }

    struct MeterKey: Hashable {
        var manufacturer: String
        var serialNumber: String
    }

    struct MeterOnPoint {
        var servicePoint: String
        var dials: MeterDials
        var registers: [String]
    }

    /// The meters' latest places, by meter.
    static func meters(_ keys: [MeterKey], on db: PostgresConnection) async throws -> [MeterKey: MeterOnPoint] {
        let rows = try await db.query(
            """
            SELECT DISTINCT ON (m.manufacturer, m.serial_number) m.manufacturer, m.serial_number, m.service_point, m.dials, m.multiplier, m.registers
            FROM meters m JOIN unnest($1::text[], $2::text[]) AS k(manufacturer, serial_number)
              ON m.manufacturer = k.manufacturer AND m.serial_number = k.serial_number
            ORDER BY m.manufacturer, m.serial_number, m.installed_at DESC
            """, [keys.map(\.manufacturer), keys.map(\.serialNumber)])
        var meters: [MeterKey: MeterOnPoint] = [:]
        for row in rows {
            meters[MeterKey(manufacturer: try row.decode(String.self, 0), serialNumber: try row.decode(String.self, 1))] = MeterOnPoint(
                servicePoint: try row.decode(String.self, 2), dials: MeterDials(dials: try row.decode(Int.self, 3), multiplier: try row.decode(Double.self, 4)),
                registers: try row.decode([String].self, 5))
        }
        return meters
    }

    static func record(_ incoming: [Incoming], check: ReadingCheck = ReadingCheck(), cause: InboundMessage, on db: PostgresConnection) async throws -> Outcome {
        var outcome = Outcome()
        guard !incoming.isEmpty else { return outcome }
        let keys = Array(Set(incoming.map { MeterKey(manufacturer: $0.reading.manufacturer, serialNumber: $0.reading.serialNumber) }))
        let meters = try await meters(keys, on: db)

        // Ids seen before, and readings of the same register at the same moment.
        let ids = incoming.map(\.reading.readingId)
        var known: [String: (key: String, index: Double)] = [:]
        for row in try await db.query(
            "SELECT reading_id, manufacturer || chr(1) || serial_number || chr(1) || register || chr(1) || read_at, index FROM readings WHERE reading_id = ANY($1)", [ids])
        {
            known[try row.decode(String.self, 0)] = (try row.decode(String.self, 1), try row.decode(Double.self, 2))
        }
        var sameMoment: [String: Double] = [:]
        for row in try await db.query(
            """
            SELECT r.manufacturer || chr(1) || r.serial_number || chr(1) || r.register || chr(1) || r.read_at, r.index
            FROM readings r JOIN unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS k(manufacturer, serial_number, register, read_at)
              ON r.manufacturer = k.manufacturer AND r.serial_number = k.serial_number AND r.register = k.register AND r.read_at = k.read_at
            WHERE r.status <> 'rejected'
            """,
            [incoming.map(\.reading.manufacturer), incoming.map(\.reading.serialNumber), incoming.map(\.reading.register), incoming.map(\.moment)])
        {
            sameMoment[try row.decode(String.self, 0)] = try row.decode(Double.self, 1)
        }

        // Each register's last valid actual reading before the batch's first of it.
        var firstOf: [String: (Incoming, Int)] = [:]
        for item in incoming {
            let key = registerKey(item.reading)
            if firstOf[key].map({ item.moment < $0.1 }) ?? true { firstOf[key] = (item, item.moment) }
        }
        let firsts = Array(firstOf.values)
        var previous: [String: Read] = [:]
        for row in try await db.query(
            """
            SELECT k.manufacturer || chr(1) || k.serial_number || chr(1) || k.register, p.reading_id, p.index, p.unwound, p.read_at, p.source
            FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS k(manufacturer, serial_number, register, before)
            CROSS JOIN LATERAL (
                SELECT reading_id, index, unwound, read_at, source FROM readings r
                WHERE r.manufacturer = k.manufacturer AND r.serial_number = k.serial_number AND r.register = k.register
                  AND r.status = 'valid' AND r.source <> 'estimated' AND r.read_at < k.before
                ORDER BY r.read_at DESC LIMIT 1) p
            """,
            [firsts.map(\.0.reading.manufacturer), firsts.map(\.0.reading.serialNumber), firsts.map(\.0.reading.register), firsts.map(\.1)])
        {
            previous[try row.decode(String.self, 0)] = try read(row, from: 1)
        }

        // The subscription's average a day on each register, for high and low.
        var usage: [String: [String: Double]] = [:]
        for row in try await db.query(
            "SELECT service_point, daily_usage FROM subscriptions WHERE service_point = ANY($1) AND status = 'active'", [Array(Set(meters.values.map(\.servicePoint)))])
        {
            usage[try row.decode(String.self, 0)] = StoredJSON.usage(try row.decode(String.self, 1))
        }

        var rows: [StoredReading] = []
        var seenInBatch: Set<String> = []
        for item in incoming.sorted(by: { $0.moment < $1.moment }) {
            let reading = item.reading
            let key = MeterKey(manufacturer: reading.manufacturer, serialNumber: reading.serialNumber)
            guard let meter = meters[key] else {
                outcome.refused.append(FieldProblem(
                    "\(item.path)serialNumber", "Billing knows no meter \(reading.serialNumber) of \(reading.manufacturer): Registration announces a meter when it is installed"))
                continue
            }
            guard meter.registers.contains(reading.register) else {
                outcome.refused.append(FieldProblem("\(item.path)register", "\"\(reading.register)\" is not a register of this meter (\(meter.registers.joined(separator: ", ")))"))
                continue
            }
            if let problem = check.problem(index: reading.index, dials: meter.dials) {
                outcome.refused.append(FieldProblem("\(item.path)index", problem))
                continue
            }
            let momentKey = "\(registerKey(reading))\u{1}\(item.moment)"
            if let stored = known[reading.readingId] {
                if stored.key == momentKey, stored.index == reading.index {
                    outcome.duplicates.append(reading.readingId)
                } else {
                    outcome.refused.append(FieldProblem("\(item.path)readingId", "\(reading.readingId) is already another reading"))
                }
                continue
            }
            guard seenInBatch.insert(reading.readingId).inserted else {
                outcome.refused.append(FieldProblem("\(item.path)readingId", "\(reading.readingId) is twice in the message"))
                continue
            }
            if let index = sameMoment[momentKey], index == reading.index {
                outcome.duplicates.append(reading.readingId)
                continue
            }
            let registerKey = registerKey(reading)
            var checked = check.check(
                index: reading.index, at: item.moment, previous: previous[registerKey], dials: meter.dials,
                dailyUsage: usage[meter.servicePoint]?[reading.register])
            if sameMoment[momentKey] != nil { checked.flags.append(.conflicting) }
            sameMoment[momentKey] = reading.index
            let flagged = !checked.flags.isEmpty && !item.trusted && reading.source != .estimated
            let status: ReadingStatus = flagged ? .flagged : .valid
            rows.append(StoredReading(reading: reading, moment: item.moment, unwound: checked.unwound, status: status, flags: checked.flags, consumption: checked.consumption))
            if status == .valid, reading.source != .estimated {
                previous[registerKey] = Read(readingId: reading.readingId, index: reading.index, unwound: checked.unwound, at: item.moment, source: reading.source)
            }
            if flagged {
                outcome.flagged.append(ReadingsChecked.Flagged(readingId: reading.readingId, flags: checked.flags))
                outcome.reviews.append(try review(reading, checked, previous: previous[registerKey], servicePoint: meter.servicePoint, cause: cause))
            }
        }
        try await store(rows, on: db)
        outcome.stored = rows.count
        return outcome
    }

    struct StoredReading {
        var reading: MeterReading
        var moment: Int
        var unwound: Double
        var status: ReadingStatus
        var flags: [ReadingFlag]
        var consumption: Double?
        var note: String? = nil
    }

    static func store(_ rows: [StoredReading], on db: PostgresConnection) async throws {
        guard !rows.isEmpty else { return }
        _ = try await db.query(
            """
            INSERT INTO readings (reading_id, manufacturer, serial_number, register, index, unwound, read_at, source, status, flags, consumption, note)
            SELECT r.id, r.m, r.s, r.reg, r.i, r.u, r.at, r.src, r.st, coalesce(string_to_array(nullif(r.f, ''), ','), '{}'), r.c, r.n
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::bigint[], $8::text[], $9::text[], $10::text[],
                        $11::float8[], $12::text[]) AS r(id, m, s, reg, i, u, at, src, st, f, c, n)
            """,
            [
                rows.map(\.reading.readingId), rows.map(\.reading.manufacturer), rows.map(\.reading.serialNumber), rows.map(\.reading.register),
                rows.map(\.reading.index), rows.map(\.unwound), rows.map(\.moment), rows.map(\.reading.source.rawValue), rows.map(\.status.rawValue),
                rows.map { $0.flags.map(\.rawValue).joined(separator: ",") }, rows.map(\.consumption), rows.map(\.note),
            ])
        // An actual reading takes the place of the estimates before it.
        let actual = rows.filter { $0.status == .valid && $0.reading.source != .estimated }
        if !actual.isEmpty {
            _ = try await db.query(
                """
                UPDATE readings r SET status = 'superseded'
                FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS k(manufacturer, serial_number, register, read_at)
                WHERE r.manufacturer = k.manufacturer AND r.serial_number = k.serial_number AND r.register = k.register
                  AND r.source = 'estimated' AND r.status = 'valid' AND r.read_at < k.read_at
                """,
                [actual.map(\.reading.manufacturer), actual.map(\.reading.serialNumber), actual.map(\.reading.register), actual.map(\.moment)])
        }
    }

    /// The review process of a flagged reading, with what the officer needs to decide.
    static func review(_ reading: MeterReading, _ checked: ReadingCheck.Outcome, previous: Read?, servicePoint: String, cause: InboundMessage) throws -> OutgoingMessage {
        var variables: [String: JSONValue] = [
            "readingId": .string(reading.readingId), "manufacturer": .string(reading.manufacturer), "serialNumber": .string(reading.serialNumber),
            "register": .string(reading.register), "index": .number(reading.index), "readAt": .string(reading.readAt),
            "servicePointNumber": .string(servicePoint), "flags": .string(checked.flags.map(\.rawValue).joined(separator: ", ")),
        ]
        if let previous {
            variables["previousIndex"] = .number(previous.index)
            variables["previousReadAt"] = .string(BillingDay.text(moment: previous.at))
        }
        if let consumption = checked.consumption { variables["consumption"] = .number(consumption) }
        return try .contract(StartProcess(processId: reviewProcess, version: nil, businessKey: reading.readingId, variables: variables), causedBy: cause)
    }

    static func registerKey(_ reading: MeterReading) -> String { "\(reading.manufacturer)\u{1}\(reading.serialNumber)\u{1}\(reading.register)" }

    /// A `Read` from five columns: id, index, unwound, read_at, source.
    static func read(_ row: PostgresRow, from column: Int) throws -> Read {
        let source = try row.decode(String.self, column + 4)
        guard let known = ReadingSource(rawValue: source) else { throw PostgresError(.decoding, "reading source \(source) is not one Billing knows") }
        return Read(
            readingId: try row.decode(String.self, column), index: try row.decode(Double.self, column + 1), unwound: try row.decode(Double.self, column + 2),
            at: try row.decode(Int.self, column + 3), source: known)
    }
}
