import Contracts
import Postgres
import Reporting

/// Writes a batch's changes to the read model: one upsert per table and set of columns, the
/// payments' settlements, the dimensions a fact takes from its subscription, and the bills'
/// monthly summary, all in the caller's transaction.
enum FactStore {
    static func write(_ changes: FactChanges, on db: PostgresConnection) async throws {
        let bills = changes.rows(of: .bills)?.keys ?? []
        if !bills.isEmpty { try await summarize(bills, sign: "-", on: db) }
        for table in FactTable.all {
            guard let rows = changes.rows(of: table) else { continue }
            try await upsert(rows, into: table, on: db)
        }
        if !changes.settlements.isEmpty {
            try await db.query(
                """
                UPDATE bills b SET settled = b.settled + s.amount
                FROM (SELECT id, sum(amount) AS amount FROM unnest($1::text[], $2::bigint[]) AS u(id, amount) GROUP BY id) s
                WHERE b.bill_id = s.id
                """, [changes.settlements.map(\.billId), changes.settlements.map(\.amount)])
        }
        try await enrich(changes, on: db)
        if !bills.isEmpty {
            try await summarize(bills, sign: "+", on: db)
            try await db.query("DELETE FROM bill_months WHERE bills = 0")
        }
    }

    /// `INSERT … ON CONFLICT DO UPDATE` of the columns the events gave, rows grouped by them.
    static func upsert(_ rows: FactChanges.Rows, into table: FactTable, on db: PostgresConnection) async throws {
        var groups: [[String]: [String]] = [:]
        var order: [[String]] = []
        for key in rows.keys {
            let columns = rows.columns[key]!.keys.sorted()
            if groups[columns] == nil { order.append(columns) }
            groups[columns, default: []].append(key)
        }
        for columns in order {
            let keys = groups[columns]!
            let arrays: [any PostgresBindable] = columns.map { column in keys.map { rows.columns[$0]![column] ?? nil } }
            let updated = columns.filter { !table.key.contains($0) }
            let sql = """
                INSERT INTO \(table.name) (\(columns.joined(separator: ", ")))
                SELECT \(columns.map { "u.\($0)::\(table.types[$0]!)" }.joined(separator: ", "))
                FROM unnest(\(columns.indices.map { "$\($0 + 1)::text[]" }.joined(separator: ", "))) AS u(\(columns.joined(separator: ", ")))
                ON CONFLICT (\(table.key.joined(separator: ", "))) DO \(updated.isEmpty ? "NOTHING" : "UPDATE SET " + updated.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                """
            try await db.query(sql, arrays)
        }
    }

    /// What facts take from their subscription (a bill's use type, a payment's region), looked
    /// up for the rows this batch touched.
    static func enrich(_ changes: FactChanges, on db: PostgresConnection) async throws {
        let lookups: [(FactTable, String, String)] = [
            (.bills, "bill_id", "use_type = s.use_type"),
            (.payments, "payment_id", "region = s.region, utility = s.utility"),
            (.balances, "subscription_number", "region = s.region, utility = s.utility, use_type = s.use_type"),
            (.disputes, "dispute_id", "region = s.region, utility = s.utility"),
        ]
        for (table, key, assignments) in lookups {
            guard let keys = changes.rows(of: table)?.keys, !keys.isEmpty else { continue }
            try await db.query(
                "UPDATE \(table.name) x SET \(assignments) FROM subscriptions s WHERE x.\(key) = ANY($1::text[]) AND s.subscription_number = x.subscription_number",
                [keys])
        }
        if let keys = changes.rows(of: .meters)?.keys, !keys.isEmpty {
            try await db.query(
                """
                UPDATE meters m SET region = (SELECT s.region FROM subscriptions s WHERE s.subscription_number = m.subscription_number)
                WHERE m.manufacturer || chr(1) || m.serial_number = ANY($1::text[])
                """, [keys])
        }
    }

    /// Takes the bills' present contribution out of `bill_months` (`-`), or puts it in (`+`):
    /// around a change, so that the summary follows whatever the change did.
    static func summarize(_ bills: [String], sign: String, on db: PostgresConnection) async throws {
        try await db.query(
            """
            INSERT INTO bill_months AS m (month, status, kind, utility, region, use_type, tariff_code, currency, bills, charges, amount_due, consumption)
            SELECT date_trunc('month', issued_on)::date, coalesce(status, ''), coalesce(kind, ''), coalesce(utility, ''), coalesce(region, ''),
                   coalesce(use_type, ''), coalesce(tariff_code, ''), coalesce(currency, ''),
                   \(sign)count(*), \(sign)coalesce(sum(charges), 0), \(sign)coalesce(sum(amount_due), 0), \(sign)coalesce(sum(consumption), 0)
            FROM bills WHERE bill_id = ANY($1::text[]) AND issued_on IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT (month, status, kind, utility, region, use_type, tariff_code, currency) DO UPDATE
            SET bills = m.bills + excluded.bills, charges = m.charges + excluded.charges, amount_due = m.amount_due + excluded.amount_due,
                consumption = m.consumption + excluded.consumption
            """, [bills])
    }

    static let factTables = FactTable.all.map(\.name) + ["bill_months"]
}
