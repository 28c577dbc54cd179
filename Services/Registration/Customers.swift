import Contracts
import Foundation
import Messaging
import Postgres
import Registry

/// The customers table and its history: registering and changing a customer, each in the
/// handler's transaction with its history row and its event.
enum Customers {
    /// Registers a customer once: the same identifier again with the same details answers with
    /// the number already given; with other details it is refused.
    static func register(_ details: CustomerDetails, _ request: RegistrationCommands.Request) async throws -> RegistrationCommands.Outcome {
        let db = request.db
        let problems = details.problems
        guard problems.isEmpty, let identifier = details.identifier else { return .refused(problems) }
        let number = CheckDigit.reference("C", try await db.query("SELECT nextval('customer_numbers')").scalar(Int.self))
        let id = UUID.timeOrdered()
        let json = try jsonText(details)
        // The row and its history row in one statement.
        let inserted = try await db.query(
            """
            WITH added AS (
                INSERT INTO customers (id, customer_number, kind, identifier, name, city, phones, details)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (kind, identifier) DO NOTHING RETURNING id, registered_at),
            history AS (
                INSERT INTO customer_history (customer_id, change, actor, details) SELECT id, 'registered', $9, $8::jsonb FROM added)
            SELECT to_char(registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM added
            """, [id, number, details.kind.rawValue, identifier.value, details.displayName, details.address.city, details.phones, json, request.actor])
        guard let at = try inserted.first?.decode(String.self, 0) else {
            let existing = try await db.query(
                "SELECT customer_number, details::text FROM customers WHERE kind = $1 AND identifier = $2", [details.kind.rawValue, identifier.value])[0]
            let existingNumber = try existing.decode(String.self, 0)
            let stored = try JSONBody.decode(CustomerDetails.self, from: try existing.decode(String.self, 1))
            if stored == details { return .done(results: ["customerNumber": .string(existingNumber)], events: []) }
            return .refused([FieldProblem(identifier.field, "is already registered, as \(existingNumber)")])
        }
        return .done(
            results: ["customerNumber": .string(number)],
            events: [try request.event(CustomerRegistered(customerNumber: number, customer: details, registeredAt: at))])
    }

    /// Replaces a customer's details; their kind and identifier stay what they were.
    static func update(_ number: String, _ details: CustomerDetails, _ request: RegistrationCommands.Request) async throws -> RegistrationCommands.Outcome {
        let db = request.db
        guard CheckDigit.isValid(number, prefix: "C") else { return .refused([FieldProblem("customerNumber", "\(number) is not a customer number (its check digit is wrong)")]) }
        let rows = try await db.query("SELECT id, kind, identifier FROM customers WHERE customer_number = $1 FOR UPDATE", [number])
        guard let row = rows.first else { return .refused([FieldProblem("customerNumber", "there is no customer \(number)")]) }
        var problems = details.problems
        if try row.decode(String.self, 1) != details.kind.rawValue { problems.insert(FieldProblem("kind", "a customer's kind does not change"), at: 0) }
        if let identifier = details.identifier, try row.decode(String.self, 2) != identifier.value {
            problems.insert(FieldProblem(identifier.field, "does not change; register the new holder as a customer of their own"), at: 0)
        }
        guard problems.isEmpty else { return .refused(problems) }
        let id = try row.decode(UUID.self, 0)
        let json = try jsonText(details)
        let at = try await db.query(
            """
            UPDATE customers SET name = $2, city = $3, phones = $4, details = $5::jsonb, updated_at = now() WHERE id = $1
            RETURNING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            """, [id, details.displayName, details.address.city, details.phones, json]
        ).scalar(String.self)
        try await db.query("INSERT INTO customer_history (customer_id, change, actor, details) VALUES ($1, 'updated', $2, $3::jsonb)", [id, request.actor, json])
        return .done(
            results: ["customerNumber": .string(number)], events: [try request.event(CustomerUpdated(customerNumber: number, customer: details, updatedAt: at))])
    }
}
