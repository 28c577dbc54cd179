import Contracts
import Foundation
import Messaging
import Postgres

/// A customer's whole picture (details and their history, subscriptions with their service
/// points and meters, requested connections, installation history) and a meter's record.
enum CustomerPicture {
    static let utc = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"

    static func of(_ number: String, on db: PostgresConnection) async throws -> CustomerRecord {
        let rows = try await db.query(
            "SELECT id, details::text, to_char(registered_at AT TIME ZONE 'UTC', \(utc)) FROM customers WHERE customer_number = $1", [number])
        guard let row = rows.first else { throw MessageRejected(field: "customerNumber", "there is no customer \(number)") }
        let id = try row.decode(UUID.self, 0)
        let history = try await db.query(
            "SELECT change, actor, to_char(at AT TIME ZONE 'UTC', \(utc)), details::text FROM customer_history WHERE customer_id = $1 ORDER BY seq", [id])
        let subscriptions = try await db.query(
            """
            SELECT subscription_number, status, use_type, tariff_code, billing_cycle, start_date::text, end_date::text, deposit_amount, deposit_currency,
                   service_point_id
            FROM subscriptions WHERE customer_id = $1 ORDER BY created_at DESC
            """, [id])
        let requested = try await db.query(
            """
            SELECT sp.id FROM service_points sp
            WHERE sp.requested_by = $1 AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.service_point_id = sp.id AND s.customer_id = $1)
            ORDER BY sp.created_at
            """, [id]
        ).column(UUID.self)
        let points = try await servicePoints(try subscriptions.map { try $0.decode(UUID.self, 9) } + requested, on: db)
        return CustomerRecord(
            customerNumber: number, customer: try JSONBody.decode(CustomerDetails.self, from: try row.decode(String.self, 1)),
            registeredAt: try row.decode(String.self, 2),
            history: try history.map {
                CustomerRecord.Change(
                    change: try $0.decode(String.self, 0), actor: try $0.decode(String.self, 1), at: try $0.decode(String.self, 2),
                    customer: try JSONBody.decode(CustomerDetails.self, from: try $0.decode(String.self, 3)))
            },
            subscriptions: try subscriptions.compactMap { row in
                guard let point = points[try row.decode(UUID.self, 9)] else { return nil }
                return SubscriptionView(
                    subscriptionNumber: try row.decode(String.self, 0), status: SubscriptionStatus(rawValue: try row.decode(String.self, 1)) ?? .pending,
                    useType: UseType(rawValue: try row.decode(String.self, 2)) ?? .residential, tariffCode: try row.decode(String.self, 3),
                    billingCycle: try row.decode(String.self, 4), startDate: try row.decode(String.self, 5), endDate: try row.decode(String?.self, 6),
                    deposit: Money(amount: try row.decode(Int.self, 7), currency: try row.decode(String.self, 8)), servicePoint: point)
            },
            connections: requested.compactMap { points[$0] },
            installations: try await installations(where: "h.customer_id = $1", id, on: db))
    }

    static func meter(_ manufacturer: String, _ serialNumber: String, on db: PostgresConnection) async throws -> MeterRecord {
        guard
            let row = try await db.query(
                """
                SELECT m.id, m.specification::text, m.status, m.replacement_due, m.next_test_due::text, sp.service_point_number
                FROM meters m LEFT JOIN service_points sp ON sp.meter_id = m.id WHERE m.manufacturer = $1 AND m.serial_number = $2
                """, [manufacturer, serialNumber]
            ).first
        else { throw MessageRejected(field: "serialNumber", "there is no meter \(manufacturer) \(serialNumber)") }
        var specification = try JSONBody.decode(MeterSpecification.self, from: try row.decode(String.self, 1))
        specification.nextTestDue = try row.decode(String.self, 4)
        return MeterRecord(
            meter: specification, status: MeterStatus(rawValue: try row.decode(String.self, 2)) ?? .inStock, replacementDue: try row.decode(Bool.self, 3),
            servicePointNumber: try row.decode(String?.self, 5),
            history: try await installations(where: "h.meter_id = $1", try row.decode(UUID.self, 0), on: db))
    }

    /// Service points by id, with their premises and current meter.
    static func servicePoints(_ ids: [UUID], on db: PostgresConnection) async throws -> [UUID: ServicePointView] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.query(
            """
            SELECT sp.id, sp.service_point_number, p.premises_number, p.address::text, p.region, p.latitude, p.longitude, sp.latitude, sp.longitude,
                   sp.utility, sp.capacity_value, sp.capacity_unit, m.specification::text, m.next_test_due::text, m.replacement_due
            FROM service_points sp JOIN premises p ON p.id = sp.premises_id LEFT JOIN meters m ON m.id = sp.meter_id
            WHERE sp.id = ANY($1::uuid[])
            """, [ids])
        var points: [UUID: ServicePointView] = [:]
        for row in rows {
            let meter = try row.decode(String?.self, 12).map { try JSONBody.decode(MeterSpecification.self, from: $0) }
            points[try row.decode(UUID.self, 0)] = ServicePointView(
                servicePointNumber: try row.decode(String.self, 1), premisesNumber: try row.decode(String.self, 2),
                premises: PremisesDetails(
                    address: try JSONBody.decode(PostalAddress.self, from: try row.decode(String.self, 3)), region: try row.decode(String.self, 4),
                    location: Coordinates(latitude: try row.decode(Double.self, 5), longitude: try row.decode(Double.self, 6))),
                location: Coordinates(latitude: try row.decode(Double.self, 7), longitude: try row.decode(Double.self, 8)),
                utility: Utility(rawValue: try row.decode(String.self, 9)) ?? .electricity,
                capacity: Capacity(value: try row.decode(Double.self, 10), unit: try row.decode(String.self, 11)),
                meter: try meter.map {
                    ServicePointView.Meter(
                        manufacturer: $0.manufacturer, serialNumber: $0.serialNumber, model: $0.model, registers: $0.registers,
                        nextTestDue: try row.decode(String.self, 13), replacementDue: try row.decode(Bool.self, 14))
                })
        }
        return points
    }

    static func installations(where condition: String, _ id: UUID, on db: PostgresConnection) async throws -> [InstallationChange] {
        try await db.query(
            """
            SELECT h.change, to_char(h.at AT TIME ZONE 'UTC', \(utc)), h.actor, s.subscription_number, sp.service_point_number,
                   m.manufacturer || ' ' || m.serial_number, h.details::text
            FROM installation_history h LEFT JOIN subscriptions s ON s.id = h.subscription_id
            LEFT JOIN service_points sp ON sp.id = h.service_point_id LEFT JOIN meters m ON m.id = h.meter_id
            WHERE \(condition) ORDER BY h.seq
            """, [id]
        ).map {
            InstallationChange(
                change: try $0.decode(String.self, 0), at: try $0.decode(String.self, 1), actor: try $0.decode(String.self, 2),
                subscriptionNumber: try $0.decode(String?.self, 3), servicePointNumber: try $0.decode(String?.self, 4), meter: try $0.decode(String?.self, 5),
                details: try JSONBody.decode(JSONValue.self, from: try $0.decode(String.self, 6)))
        }
    }
}
