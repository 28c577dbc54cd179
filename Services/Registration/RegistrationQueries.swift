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
        let columns = "customer_number, kind, name, identifier, city"
        // The customers of a service point: its live subscription's, else who asked for it.
        let holders = """
            SELECT coalesce(s.customer_id, sp.requested_by) FROM service_points sp
            LEFT JOIN subscriptions s ON s.service_point_id = sp.id AND s.status <> 'terminated'
            """
        let rows: PostgresRows
        if CheckDigit.isValid(text, prefix: "C") {
            rows = try await db.query("SELECT \(columns) FROM customers WHERE customer_number = $1", [text])
        } else if CheckDigit.isValid(text, prefix: "S") {
            rows = try await db.query(
                "SELECT \(columns) FROM customers WHERE id = (SELECT customer_id FROM subscriptions WHERE subscription_number = $1)", [text])
        } else if CheckDigit.isValid(text, prefix: "SP") {
            rows = try await db.query("SELECT \(columns) FROM customers WHERE id IN (\(holders) WHERE sp.service_point_number = $1)", [text])
        } else if text.wholeMatch(of: /\+?[0-9 ()\-]{5,20}/) != nil {
            rows = try await db.query(
                """
                SELECT \(columns) FROM customers WHERE identifier = $1 OR phones @> ARRAY[$1]::text[]
                   OR id IN (\(holders) JOIN meters m ON m.id = sp.meter_id WHERE m.serial_number = $1)
                ORDER BY name LIMIT $2
                """, [text, limit])
        } else {
            rows = try await db.query(
                """
                SELECT \(columns) FROM customers
                WHERE identifier = $1 OR lower(name) LIKE '%' || lower($1) || '%'
                   OR lower(details->'address'->>'line1' || ' ' || city) LIKE '%' || lower($1) || '%'
                   OR id IN (\(holders) JOIN meters m ON m.id = sp.meter_id WHERE m.serial_number = $1)
                   OR id IN (\(holders) JOIN premises p ON p.id = sp.premises_id WHERE p.address_text LIKE '%' || lower($1) || '%')
                ORDER BY similarity(lower(name), lower($1)) DESC, name LIMIT $2
                """, [text, limit])
        }
        return CustomerList(customers: try rows.map {
            CustomerList.Entry(
                customerNumber: try $0.decode(String.self, 0), kind: try $0.decode(String.self, 1), name: try $0.decode(String.self, 2),
                identifier: try $0.decode(String.self, 3), city: try $0.decode(String.self, 4))
        })
    }
}
