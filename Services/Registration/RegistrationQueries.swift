import Contracts
import Foundation
import Messaging
import Postgres
import Registry
import ServiceKit

/// Registration's queries: finding customers, one customer's whole picture, one meter.
enum RegistrationQueries {
    static func handlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler] {
        [
            FindCustomers.type: { message in
                let query = try message.decode(FindCustomers.self)
                return try await environment.database.withConnection { db in try JSONBody.encode(try await find(query, on: db)) }
            },
            GetCustomer.type: { message in
                let query = try message.decode(GetCustomer.self)
                return try await environment.database.withConnection { db in try JSONBody.encode(try await CustomerPicture.of(query.customerNumber, on: db)) }
            },
            GetMeter.type: { message in
                let query = try message.decode(GetMeter.self)
                return try await environment.database.withConnection { db in
                    try JSONBody.encode(try await CustomerPicture.meter(query.manufacturer, query.serialNumber, on: db))
                }
            },
        ]
    }

    /// A customer, subscription or service point number is looked up exactly; digits as an
    /// identifier, a phone or a meter serial; other text in the names, the customers' and the
    /// premises' addresses (trigram indexes) and the meter serials, the closest name first.
    static func find(_ query: FindCustomers, on db: PostgresConnection) async throws -> CustomerList {
        let text = query.text.trimmingCharacters(in: .whitespaces)
        guard text.count >= 2 else { throw MessageRejected(field: "text", "must be at least 2 characters") }
        let limit = min(max(query.limit ?? 20, 1), 100)
        guard (0...1000).contains(query.offset ?? 0) else { throw MessageRejected(field: "offset", "must be 0 to 1000") }
        let offset = query.offset ?? 0
        // Every way reads as far as the page's end; the page is cut from their matches.
        let window = offset + limit
        let columns = "customer_number, kind, name, identifier, city"
        // The customers of a service point: its live subscription's, else who asked for it.
        let holders = """
            SELECT coalesce(s.customer_id, sp.requested_by) FROM service_points sp
            LEFT JOIN subscriptions s ON s.service_point_id = sp.id AND s.status <> 'terminated'
            """
        let rows: [PostgresRow]
        if CheckDigit.isValid(text, prefix: "C") {
            rows = Array(try await db.query("SELECT \(columns) FROM customers WHERE customer_number = $1", [text]))
        } else if CheckDigit.isValid(text, prefix: "S") {
            rows = Array(try await db.query(
                "SELECT \(columns) FROM customers WHERE id = (SELECT customer_id FROM subscriptions WHERE subscription_number = $1)", [text]))
        } else if CheckDigit.isValid(text, prefix: "SP") {
            rows = Array(try await db.query("SELECT \(columns) FROM customers WHERE id IN (\(holders) WHERE sp.service_point_number = $1)", [text]))
        } else if text.isPhoneNumber {
            // Each way on its own index: an OR of them would read the whole table.
            rows = Array(try await db.query(
                """
                (SELECT \(columns) FROM customers WHERE identifier = $1 LIMIT $2)
                UNION ALL (SELECT \(columns) FROM customers WHERE phones @> ARRAY[$1]::text[] ORDER BY name, customer_number LIMIT $2)
                UNION ALL (SELECT \(columns) FROM customers WHERE id IN (\(holders) JOIN meters m ON m.id = sp.meter_id WHERE m.serial_number = $1) LIMIT $2)
                """, [text, window]))
        } else {
            rows = try await byName(text, limit: window, columns: columns, holders: holders, on: db)
        }
        var seen = Set<String>()
        let entries = try rows.map {
            CustomerList.Entry(
                customerNumber: try $0.decode(String.self, 0), kind: try $0.decode(String.self, 1), name: try $0.decode(String.self, 2),
                identifier: try $0.decode(String.self, 3), city: try $0.decode(String.self, 4))
        }
        return CustomerList(customers: Array(entries.filter { seen.insert($0.customerNumber).inserted }.dropFirst(offset).prefix(limit)))
    }

    /// Text: first the fast ways, an identifier or a meter serial as it is, and names that
    /// begin with it (the full name, or a person's last name) read in order off their
    /// b-trees; only when they find no one, the slow way: the text anywhere in a name or an
    /// address (trigram indexes), the closest first.
    static func byName(_ text: String, limit: Int, columns: String, holders: String, on db: PostgresConnection) async throws -> [PostgresRow] {
        let prefix = text.lowercased()
        // Every string that begins with `prefix` sorts (by code point) from it to it + U+10FFFF.
        let range = [prefix, prefix + "\u{10FFFF}"]
        var rows = Array(try await db.query(
            """
            (SELECT \(columns) FROM customers WHERE identifier = $1 LIMIT $4)
            UNION ALL
            (SELECT \(columns) FROM customers WHERE id IN (\(holders) JOIN meters m ON m.id = sp.meter_id WHERE m.serial_number = $1) LIMIT $4)
            UNION ALL
            (SELECT \(columns) FROM customers WHERE lower(name) COLLATE "C" >= $2 AND lower(name) COLLATE "C" < $3 ORDER BY lower(name) COLLATE "C", customer_number LIMIT $4)
            UNION ALL
            (SELECT \(columns) FROM customers WHERE lower(details->>'lastName') COLLATE "C" >= $2 AND lower(details->>'lastName') COLLATE "C" < $3
             ORDER BY lower(details->>'lastName') COLLATE "C", lower(name) COLLATE "C", customer_number LIMIT $4)
            """, [text, range[0], range[1], limit]))
        guard rows.isEmpty else { return rows }
        // LIKE's own characters in the text are taken as they are.
        let pattern = "%" + prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        rows += try await db.query(
            """
            SELECT \(columns) FROM customers
            WHERE lower(name) LIKE $1 OR lower(details->'address'->>'line1' || ' ' || city) LIKE $1
               OR id IN (\(holders) JOIN premises p ON p.id = sp.premises_id WHERE p.address_text LIKE $1)
            ORDER BY similarity(lower(name), $2) DESC, name, customer_number LIMIT $3
            """, [pattern, prefix, limit])
        return rows
    }
}
