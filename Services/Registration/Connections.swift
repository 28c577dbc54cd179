import Contracts
import Foundation
import Postgres
import Registry

/// Requested connections (a service point at a premises) and the subscriptions on them. Each
/// command checks everything before it writes, so a refusal leaves nothing behind.
enum Connections {
    static func request(_ command: RequestConnection, _ request: RegistrationCommands.Request) async throws -> RegistrationCommands.Outcome {
        let db = request.db
        var problems: [FieldProblem] = []
        let customer = try await Records.customerId(command.customerNumber, on: db)
        if customer == nil { problems.append(FieldProblem("customerNumber", "there is no customer \(command.customerNumber)")) }
        var known: (id: UUID, premises: PremisesDetails)?
        switch (command.premisesNumber, command.premises) {
        case (let number?, nil):
            known = try await premises(number, on: db)
            if known == nil { problems.append(FieldProblem("premisesNumber", "there is no premises \(number)")) }
        case (nil, let details?): problems += details.problems(at: "premises")
        default: problems.append(FieldProblem("premises", "give either a new premises or the number of a known one"))
        }
        problems += command.capacity.problems(for: command.utility, at: "capacity")
        guard problems.isEmpty, let customer else { return .refused(problems) }

        let premisesId: UUID, premisesNumber: String, details: PremisesDetails
        if let known, let number = command.premisesNumber {
            (premisesId, premisesNumber, details) = (known.id, number, known.premises)
        } else {
            details = command.premises!
            premisesId = UUID.timeOrdered()
            premisesNumber = try await Records.nextNumber("P", "premises_numbers", on: db)
            let address = details.address
            try await db.query(
                """
                INSERT INTO premises (id, premises_number, address, region, latitude, longitude, address_text)
                VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)
                """,
                [premisesId, premisesNumber, try jsonText(address), details.region, details.location.latitude, details.location.longitude,
                 address.searchText])
        }
        let servicePoint = UUID.timeOrdered()
        let number = try await Records.nextNumber("SP", "service_point_numbers", on: db)
        try await db.query(
            """
            INSERT INTO service_points (id, service_point_number, premises_id, requested_by, utility, capacity_value, capacity_unit, latitude, longitude)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            [servicePoint, number, premisesId, customer, command.utility.rawValue, command.capacity.value, command.capacity.unit,
             details.location.latitude, details.location.longitude])
        let event = ConnectionRequested(
            servicePointNumber: number, premisesNumber: premisesNumber, customerNumber: command.customerNumber, premises: details, utility: command.utility,
            capacity: command.capacity)
        try await Records.record("connection-requested", at: request.now, request, customer: customer, servicePoint: servicePoint, details: try .of(event))
        return .done(
            results: ["servicePointNumber": .string(number), "premisesNumber": .string(premisesNumber)], events: [try request.event(event)])
    }

    static func subscribe(_ command: CreateSubscription, _ request: RegistrationCommands.Request) async throws -> RegistrationCommands.Outcome {
        let db = request.db
        var problems: [FieldProblem] = []
        let customer = try await Records.customerId(command.customerNumber, on: db)
        if customer == nil { problems.append(FieldProblem("customerNumber", "there is no customer \(command.customerNumber)")) }
        let point = try await Records.servicePoint(command.servicePointNumber, on: db)
        if point == nil {
            problems.append(FieldProblem("servicePointNumber", "there is no service point \(command.servicePointNumber)"))
        } else if let live = point?.subscription {
            problems.append(FieldProblem("servicePointNumber", "already has subscription \(live.number) (\(live.status.rawValue)); terminate it or change its ownership"))
        }
        problems += SubscriptionTerms.problems(
            tariffCode: command.tariffCode, billingCycle: command.billingCycle, startDate: command.startDate, deposit: command.deposit, at: "")
        guard problems.isEmpty, let customer, let point else { return .refused(problems) }
        let id = UUID.timeOrdered()
        let number = try await Records.nextNumber("S", "subscription_numbers", on: db)
        try await db.query(
            """
            INSERT INTO subscriptions (id, subscription_number, customer_id, service_point_id, use_type, tariff_code, billing_cycle, start_date,
                                       deposit_amount, deposit_currency, status)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9, $10, 'pending')
            """,
            [id, number, customer, point.id, command.useType.rawValue, command.tariffCode, command.billingCycle, command.startDate,
             command.deposit.amount, command.deposit.currency])
        let event = SubscriptionCreated(
            subscriptionNumber: number, customerNumber: command.customerNumber, servicePointNumber: point.number, utility: point.utility, region: point.region,
            useType: command.useType, tariffCode: command.tariffCode, billingCycle: command.billingCycle, startDate: command.startDate,
            deposit: command.deposit, status: .pending)
        try await Records.record(
            "subscription-created", at: request.now, request, customer: customer, subscription: id, servicePoint: point.id, details: try .of(event))
        return .done(results: ["subscriptionNumber": .string(number)], events: [try request.event(event)])
    }

    static func premises(_ number: String, on db: PostgresConnection) async throws -> (id: UUID, premises: PremisesDetails)? {
        guard
            let row = try await db.query(
                "SELECT id, address::text, region, latitude, longitude FROM premises WHERE premises_number = $1", [number]
            ).first
        else { return nil }
        let address = try JSONBody.decode(PostalAddress.self, from: try row.decode(String.self, 1))
        return (
            try row.decode(UUID.self, 0),
            PremisesDetails(
                address: address, region: try row.decode(String.self, 2),
                location: Coordinates(latitude: try row.decode(Double.self, 3), longitude: try row.decode(Double.self, 4)))
        )
    }
}
