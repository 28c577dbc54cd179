import Contracts
import Foundation
import Messaging
import Postgres
import Registry
import ServiceKit

/// Registration's queries: finding customers and one customer's record.
enum RegistrationQueries {
    static func handlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler] {
        [
            FindCustomers.type: { message in
                let query = try message.decode(FindCustomers.self)
                return try await environment.database.withConnection { db in try JSONBody.encode(try await find(query, on: db)) }
            },
            GetCustomer.type: { message in
                let query = try message.decode(GetCustomer.self)
                return try await environment.database.withConnection { db in try JSONBody.encode(try await record(query.customerNumber, on: db)) }
            },
        ]
    }

    /// A customer number or an identifier is looked up exactly; a phone by its digits; other
    /// text in the names and addresses (trigram indexes), the closest first.
    static func find(_ query: FindCustomers, on db: PostgresConnection) async throws -> CustomerList {
        let text = query.text.trimmingCharacters(in: .whitespaces)
        guard text.count >= 2 else { throw MessageRejected(field: "text", "must be at least 2 characters") }
        let limit = min(max(query.limit ?? 20, 1), 100)
        let columns = "customer_number, kind, name, identifier, city"
        let rows: PostgresRows
        if CheckDigit.isValid(text, prefix: "C") {
            rows = try await db.query("SELECT \(columns) FROM customers WHERE customer_number = $1", [text])
        } else if text.wholeMatch(of: /\+?[0-9 ()\-]{5,20}/) != nil {
            rows = try await db.query(
                "SELECT \(columns) FROM customers WHERE identifier = $1 OR phones @> ARRAY[$2]::text[] ORDER BY name LIMIT $3",
                [text, text, limit])
        } else {
            rows = try await db.query(
                """
                SELECT \(columns) FROM customers
                WHERE identifier = $1 OR lower(name) LIKE '%' || lower($1) || '%'
                   OR lower(details->'address'->>'line1' || ' ' || city) LIKE '%' || lower($1) || '%'
                ORDER BY similarity(lower(name), lower($1)) DESC, name LIMIT $2
                """, [text, limit])
        }
        return CustomerList(customers: try rows.map {
            CustomerList.Entry(
                customerNumber: try $0.decode(String.self, 0), kind: try $0.decode(String.self, 1), name: try $0.decode(String.self, 2),
                identifier: try $0.decode(String.self, 3), city: try $0.decode(String.self, 4))
        })
    }

    static func record(_ number: String, on db: PostgresConnection) async throws -> CustomerRecord {
        let rows = try await db.query(
            """
            SELECT id, details::text, to_char(registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM customers WHERE customer_number = $1
            """, [number])
        guard let row = rows.first else { throw MessageRejected(field: "customerNumber", "there is no customer \(number)") }
        let decoder = JSONDecoder()
        let history = try await db.query(
            """
            SELECT change, actor, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), details::text FROM customer_history
            WHERE customer_id = $1 ORDER BY seq
            """, [try row.decode(UUID.self, 0)])
        return CustomerRecord(
            customerNumber: number, customer: try decoder.decode(CustomerDetails.self, from: Data(try row.decode(String.self, 1).utf8)),
            registeredAt: try row.decode(String.self, 2),
            history: try history.map {
                CustomerRecord.Change(
                    change: try $0.decode(String.self, 0), actor: try $0.decode(String.self, 1), at: try $0.decode(String.self, 2),
                    customer: try decoder.decode(CustomerDetails.self, from: Data(try $0.decode(String.self, 3).utf8)))
            })
    }
}
