import Contracts
import Foundation
import Messaging
import Postgres
import Registry

/// Customers with their installed connections, up to a thousand at a time, stored set-based:
/// one statement per table for the whole batch rather than a round trip per row. Each entry is
/// checked on its own; refused entries are answered with their fields and the others stored.
enum Imports {
    typealias Outcome = RegistrationCommands.Outcome

    /// An entry that passed every check, with the numbers and ids it is stored under.
    struct Accepted {
        let index: Int
        let entry: CustomerImport
        let id = UUID.timeOrdered()
        var number = ""
        var connections: [Connection] = []
    }

    /// What the history keeps of a connection taken over; the rest is in its rows.
    struct Taken: Encodable {
        let readings: [RegisterReading]
        let useType: UseType
        let tariffCode: String
        let startDate: String
    }

    struct Connection {
        let details: ConnectionImport
        let premises = UUID.timeOrdered(), servicePoint = UUID.timeOrdered(), meter = UUID.timeOrdered(), subscription = UUID.timeOrdered()
        var premisesNumber = "", servicePointNumber = "", subscriptionNumber = ""
    }

    static func run(_ command: ImportCustomers, _ request: RegistrationCommands.Request) async throws -> Outcome {
        let entries = command.entries
        guard (1...ImportCustomers.maximumEntries).contains(entries.count) else {
            return .refused([FieldProblem("entries", "must hold 1 to \(ImportCustomers.maximumEntries) entries")])
        }
        var problems = try await check(entries, request)
        var accepted = entries.indices.filter { problems[$0].isEmpty }.map { Accepted(index: $0, entry: entries[$0]) }
        if !accepted.isEmpty {
            try await number(&accepted, on: request.db)
            let stored = try await store(accepted, request)
            // An identifier another replica registered since the check: that entry is refused.
            for (position, item) in accepted.enumerated().reversed() where !stored.contains(item.id) {
                let identifier = item.entry.customer.identifier
                problems[item.index].append(FieldProblem("entries[\(item.index)].customer.\(identifier?.field ?? "nationalId")", "is already registered"))
                accepted.remove(at: position)
            }
            try await storeConnections(accepted, request)
        }
        let byIndex = Dictionary(uniqueKeysWithValues: accepted.map { ($0.index, $0) })
        let answer = CustomersImported(entries: entries.indices.map { index in
            guard let item = byIndex[index] else {
                return CustomersImported.Entry(reference: entries[index].reference, customerNumber: nil, subscriptions: [], problems: problems[index])
            }
            return CustomersImported.Entry(
                reference: item.entry.reference, customerNumber: item.number,
                subscriptions: item.connections.map {
                    CustomersImported.Entry.Subscription(
                        subscriptionNumber: $0.subscriptionNumber, servicePointNumber: $0.servicePointNumber, premisesNumber: $0.premisesNumber,
                        utility: $0.details.utility, region: $0.details.premises.region, useType: $0.details.useType, tariffCode: $0.details.tariffCode,
                        billingCycle: $0.details.billingCycle, startDate: $0.details.startDate, manufacturer: $0.details.meter.manufacturer,
                        serialNumber: $0.details.meter.serialNumber, dials: $0.details.meter.dials,
                        multiplier: $0.details.meter.multiplier, readings: $0.details.readings)
                }, problems: [])
        })
        return .done(results: [:], events: [try request.event(answer)])
    }

    /// Every entry's problems: its fields, the same customer or meter twice in the batch, and
    /// customers or meters already stored.
    static func check(_ entries: [CustomerImport], _ request: RegistrationCommands.Request) async throws -> [[FieldProblem]] {
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: request.now)
        var problems = [[FieldProblem]](repeating: [], count: entries.count)
        var customers: [String: Int] = [:], meters: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let path = "entries[\(index)]"
            if entry.reference.allSatisfy(\.isWhitespace) || entry.reference.count > 100 {
                problems[index].append(FieldProblem("\(path).reference", "is required, at most 100 characters"))
            }
            problems[index] += entry.customer.problems.map { FieldProblem("\(path).customer.\($0.field)", $0.message) }
            if let identifier = entry.customer.identifier {
                let key = "\(entry.customer.kind.rawValue) \(identifier.value)"
                if let first = customers[key] {
                    problems[index].append(FieldProblem("\(path).customer.\(identifier.field)", "is entries[\(first)]'s too"))
                } else {
                    customers[key] = index
                }
            }
            for (position, connection) in entry.connections.enumerated() {
                let at = "\(path).connections[\(position)]"
                problems[index] += connection.problems(at: at, thisYear: thisYear)
                let key = "\(connection.meter.manufacturer)\u{1F}\(connection.meter.serialNumber)"
                if let first = meters[key] {
                    problems[index].append(FieldProblem("\(at).meter.serialNumber", "is entries[\(first)]'s meter too"))
                } else {
                    meters[key] = index
                }
            }
        }
        let checked = entries.indices.filter { problems[$0].isEmpty }
        let known = try await request.db.query(
            """
            SELECT c.kind || ' ' || c.identifier, c.customer_number FROM customers c
            JOIN unnest($1::text[], $2::text[]) AS given (kind, identifier) ON c.kind = given.kind AND c.identifier = given.identifier
            """, [checked.map { entries[$0].customer.kind.rawValue }, checked.map { entries[$0].customer.identifier?.value ?? "" }])
        for row in known {
            guard let index = customers[try row.decode(String.self, 0)], let field = entries[index].customer.identifier?.field else { continue }
            problems[index].append(FieldProblem("entries[\(index)].customer.\(field)", "is already registered, as \(try row.decode(String.self, 1))"))
        }
        let givenMeters = checked.flatMap { index in entries[index].connections.map(\.meter) }
        let knownMeters = try await request.db.query(
            """
            SELECT m.manufacturer || chr(31) || m.serial_number FROM meters m
            JOIN unnest($1::text[], $2::text[]) AS given (manufacturer, serial) ON m.manufacturer = given.manufacturer AND m.serial_number = given.serial
            """, [givenMeters.map(\.manufacturer), givenMeters.map(\.serialNumber)]
        ).column(String.self)
        for key in knownMeters {
            guard let index = meters[key] else { continue }
            problems[index].append(FieldProblem("entries[\(index)].connections", "meter \(key.replacingOccurrences(of: "\u{1F}", with: " ")) is already known"))
        }
        return problems
    }

    /// The numbers of the customers, premises, service points and subscriptions, drawn from
    /// their sequences a batch at a time.
    static func number(_ accepted: inout [Accepted], on db: PostgresConnection) async throws {
        func draw(_ sequence: String, _ count: Int, _ prefix: String) async throws -> [String] {
            guard count > 0 else { return [] }
            return try await db.query("SELECT nextval('\(sequence)') FROM generate_series(1, $1)", [count]).column(Int.self)
                .map { CheckDigit.reference(prefix, $0) }
        }
        let customerNumbers = try await draw("customer_numbers", accepted.count, "C")
        let connections = accepted.reduce(0) { $0 + $1.entry.connections.count }
        var premises = try await draw("premises_numbers", connections, "P").makeIterator()
        var points = try await draw("service_point_numbers", connections, "SP").makeIterator()
        var subscriptions = try await draw("subscription_numbers", connections, "S").makeIterator()
        for position in accepted.indices {
            accepted[position].number = customerNumbers[position]
            accepted[position].connections = accepted[position].entry.connections.map { details in
                var connection = Connection(details: details)
                (connection.premisesNumber, connection.servicePointNumber, connection.subscriptionNumber) = (premises.next()!, points.next()!, subscriptions.next()!)
                return connection
            }
        }
    }

    /// The customers and their history rows; the ids of those stored.
    static func store(_ accepted: [Accepted], _ request: RegistrationCommands.Request) async throws -> Set<UUID> {
        let details = try accepted.map { try jsonText($0.entry.customer) }
        let ids = try await request.db.query(
            """
            WITH given AS (
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[])
                    AS given (id, number, kind, identifier, name, city, phones, details)),
            added AS (
                INSERT INTO customers (id, customer_number, kind, identifier, name, city, phones, details)
                SELECT id, number, kind, identifier, name, city, string_to_array(phones, chr(31)), details FROM given
                ON CONFLICT (kind, identifier) DO NOTHING RETURNING id)
            INSERT INTO customer_history (customer_id, change, actor, details)
            SELECT given.id, 'registered', $9, given.details FROM given JOIN added ON added.id = given.id
            RETURNING customer_id
            """,
            [accepted.map(\.id), accepted.map(\.number), accepted.map(\.entry.customer.kind.rawValue), accepted.map { $0.entry.customer.identifier?.value ?? "" },
             accepted.map(\.entry.customer.displayName), accepted.map(\.entry.customer.address.city),
             accepted.map { $0.entry.customer.phones.joined(separator: "\u{1F}") }, details, request.actor]
        ).column(UUID.self)
        return Set(ids)
    }

    /// Premises, meters (installed), service points, active subscriptions and one history row
    /// for each connection taken over.
    static func storeConnections(_ accepted: [Accepted], _ request: RegistrationCommands.Request) async throws {
        let items = accepted.flatMap { item in item.connections.map { (customer: item.id, connection: $0) } }
        guard !items.isEmpty else { return }
        let connections = items.map(\.connection)
        let details = connections.map(\.details)
        let db = request.db
        let now = Moment.dateTime(request.now)
        try await db.query(
            """
            INSERT INTO premises (id, premises_number, address, region, latitude, longitude, address_text)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[], $5::float8[], $6::float8[], $7::text[])
            """,
            [connections.map(\.premises), connections.map(\.premisesNumber), try details.map { try jsonText($0.premises.address) },
             details.map(\.premises.region), details.map(\.premises.location.latitude), details.map(\.premises.location.longitude),
             details.map(\.premises.address.searchText)])
        try await db.query(
            """
            INSERT INTO meters (id, manufacturer, serial_number, utility, specification, status, next_test_due)
            SELECT id, manufacturer, serial, utility, specification, 'installed', due FROM
                unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::date[]) AS given (id, manufacturer, serial, utility, specification, due)
            """,
            [connections.map(\.meter), details.map(\.meter.manufacturer), details.map(\.meter.serialNumber), details.map(\.meter.utility.rawValue),
             try details.map { try jsonText($0.meter) }, details.map(\.meter.nextTestDue)])
        try await db.query(
            """
            INSERT INTO service_points (id, service_point_number, premises_id, requested_by, utility, capacity_value, capacity_unit, latitude, longitude,
                                        meter_id, meter_installed_at)
            SELECT id, number, premises, customer, utility, capacity, unit, latitude, longitude, meter, $11::timestamptz FROM
                unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::float8[], $7::text[], $8::float8[], $9::float8[], $10::uuid[])
                AS given (id, number, premises, customer, utility, capacity, unit, latitude, longitude, meter)
            """,
            [connections.map(\.servicePoint), connections.map(\.servicePointNumber), connections.map(\.premises), items.map(\.customer),
             details.map(\.utility.rawValue), details.map(\.capacity.value), details.map(\.capacity.unit), details.map(\.premises.location.latitude),
             details.map(\.premises.location.longitude), connections.map(\.meter), now])
        try await db.query(
            """
            INSERT INTO subscriptions (id, subscription_number, customer_id, service_point_id, use_type, tariff_code, billing_cycle, start_date,
                                       deposit_amount, deposit_currency, status)
            SELECT *, 'active' FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::date[], $9::int8[], $10::text[])
            """,
            [connections.map(\.subscription), connections.map(\.subscriptionNumber), items.map(\.customer), connections.map(\.servicePoint),
             details.map(\.useType.rawValue), details.map(\.tariffCode), details.map(\.billingCycle), details.map(\.startDate), details.map(\.deposit.amount),
             details.map(\.deposit.currency)])
        try await db.query(
            """
            INSERT INTO installation_history (change, at, actor, customer_id, subscription_id, service_point_id, meter_id, details)
            SELECT 'connection-imported', $1::timestamptz, $2, customer, subscription, point, meter, details FROM
                unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::jsonb[]) AS given (customer, subscription, point, meter, details)
            """,
            [now, request.actor, items.map(\.customer), connections.map(\.subscription), connections.map(\.servicePoint), connections.map(\.meter),
             try details.map { try jsonText(Taken(readings: $0.readings, useType: $0.useType, tariffCode: $0.tariffCode, startDate: $0.startDate)) }])
    }
}
