import Contracts
import Foundation
import Messaging
import Postgres
import Registry

/// The rows commands work on, read with a row lock so two commands on the same service point
/// or meter happen one after the other.
enum Records {
    struct ServicePoint {
        let id: UUID
        let number: String
        let utility: Utility
        let region: String
        let location: Coordinates
        let meterId: UUID?
        let meterInstalledAt: String?
        /// The subscription that is not terminated, if any.
        let subscription: Subscription?
    }

    struct Subscription {
        let id: UUID
        let number: String
        let status: SubscriptionStatus
        let customerId: UUID
        let customerNumber: String
        let servicePointId: UUID
    }

    struct Meter {
        let id: UUID
        let specification: MeterSpecification
        let status: MeterStatus
        let servicePointId: UUID?
        let servicePointNumber: String?
    }

    static func customerId(_ number: String, on db: PostgresConnection) async throws -> UUID? {
        try await db.query("SELECT id FROM customers WHERE customer_number = $1", [number]).first?.decode(UUID.self, 0)
    }

    static func servicePoint(_ number: String, on db: PostgresConnection) async throws -> ServicePoint? {
        try await servicePoint(where: "sp.service_point_number = $1", number, on: db)
    }

    static func servicePoint(id: UUID, on db: PostgresConnection) async throws -> ServicePoint? {
        try await servicePoint(where: "sp.id = $1", id, on: db)
    }

    private static func servicePoint(where condition: String, _ key: any PostgresBindable, on db: PostgresConnection) async throws -> ServicePoint? {
        guard
            let row = try await db.query(
                """
                SELECT sp.id, sp.service_point_number, sp.utility, p.region, sp.latitude, sp.longitude, sp.meter_id,
                       to_char(sp.meter_installed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                FROM service_points sp JOIN premises p ON p.id = sp.premises_id WHERE \(condition) FOR UPDATE OF sp
                """, [key]
            ).first
        else { return nil }
        let id = try row.decode(UUID.self, 0)
        let live = try await db.query(
            """
            SELECT s.subscription_number FROM subscriptions s WHERE s.service_point_id = $1 AND s.status <> 'terminated'
            """, [id]
        ).first?.decode(String.self, 0)
        return ServicePoint(
            id: id, number: try row.decode(String.self, 1), utility: Utility(rawValue: try row.decode(String.self, 2)) ?? .electricity,
            region: try row.decode(String.self, 3), location: Coordinates(latitude: try row.decode(Double.self, 4), longitude: try row.decode(Double.self, 5)),
            meterId: try row.decode(UUID?.self, 6), meterInstalledAt: try row.decode(String?.self, 7),
            subscription: try await live.asyncMap { try await subscription($0, on: db) } ?? nil)
    }

    static func subscription(_ number: String, on db: PostgresConnection) async throws -> Subscription? {
        guard
            let row = try await db.query(
                """
                SELECT s.id, s.status, s.customer_id, c.customer_number, s.service_point_id
                FROM subscriptions s JOIN customers c ON c.id = s.customer_id WHERE s.subscription_number = $1 FOR UPDATE OF s
                """, [number]
            ).first
        else { return nil }
        return Subscription(
            id: try row.decode(UUID.self, 0), number: number, status: SubscriptionStatus(rawValue: try row.decode(String.self, 1)) ?? .pending,
            customerId: try row.decode(UUID.self, 2), customerNumber: try row.decode(String.self, 3), servicePointId: try row.decode(UUID.self, 4))
    }

    static func meter(manufacturer: String, serialNumber: String, on db: PostgresConnection) async throws -> Meter? {
        try await meter(where: "m.manufacturer = $1 AND m.serial_number = $2", [manufacturer, serialNumber], on: db)
    }

    static func meter(id: UUID, on db: PostgresConnection) async throws -> Meter? {
        try await meter(where: "m.id = $1", [id], on: db)
    }

    private static func meter(where condition: String, _ parameters: [any PostgresBindable], on db: PostgresConnection) async throws -> Meter? {
        guard
            let row = try await db.query(
                """
                SELECT m.id, m.specification::text, m.status, sp.id, sp.service_point_number
                FROM meters m LEFT JOIN service_points sp ON sp.meter_id = m.id WHERE \(condition) FOR UPDATE OF m
                """, parameters
            ).first
        else { return nil }
        return Meter(
            id: try row.decode(UUID.self, 0),
            specification: try JSONBody.decode(MeterSpecification.self, from: try row.decode(String.self, 1)),
            status: MeterStatus(rawValue: try row.decode(String.self, 2)) ?? .inStock, servicePointId: try row.decode(UUID?.self, 3),
            servicePointNumber: try row.decode(String?.self, 4))
    }

    /// Appends to the installation history, which is never changed.
    static func record(
        _ change: String, at: Date, _ request: RegistrationCommands.Request, customer: UUID?, subscription: UUID? = nil, servicePoint: UUID? = nil,
        meter: UUID? = nil, details: JSONValue
    ) async throws {
        try await request.db.query(
            """
            INSERT INTO installation_history (change, at, actor, customer_id, subscription_id, service_point_id, meter_id, details)
            VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8::jsonb)
            """, [change, Moment.dateTime(at), request.actor, customer, subscription, servicePoint, meter, details.canonicalJSON])
    }

    /// The next number of a sequence as a reference with its check digit: `SP-00000017-4`.
    static func nextNumber(_ prefix: String, _ sequence: String, on db: PostgresConnection) async throws -> String {
        CheckDigit.reference(prefix, try await db.query("SELECT nextval('\(sequence)')").scalar(Int.self))
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

/// A value as JSON text for a jsonb column (PostgreSQL keeps its own form of it).
func jsonText(_ value: some Encodable) throws -> String { String(decoding: try JSONBody.encode(value), as: UTF8.self) }
