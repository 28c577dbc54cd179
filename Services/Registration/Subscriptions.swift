import Contracts
import Foundation
import Postgres
import Registry

/// A subscription's life: activated, suspended, reconnected, terminated, and handed to a new
/// owner. Each command checks everything before it writes.
enum Subscriptions {
    typealias Outcome = RegistrationCommands.Outcome
    typealias Request = RegistrationCommands.Request

    static let pastTense = [
        Activation.name: "activated", Suspension.name: "suspended", Reconnection.name: "reconnected", Termination.name: "terminated",
    ]

    static func move<Kind>(_ command: SubscriptionTransition<Kind>, _ request: Request) async throws -> Outcome {
        var problems: [FieldProblem] = []
        let at = Moment.of(command.at, now: request.now, problems: &problems)
        problems += command.reason.reasonProblems(at: "reason")
        guard let subscription = try await Records.subscription(command.subscriptionNumber, on: request.db) else {
            return .refused(problems + [FieldProblem("subscriptionNumber", "there is no subscription \(command.subscriptionNumber)")])
        }
        if let refusal = subscription.status.refusal(moving: Kind.target) { problems.append(FieldProblem("subscriptionNumber", refusal)) }
        let point = try await servicePoint(of: subscription, on: request.db)
        let meter = try await point.meterId.asyncMap { try await Records.meter(id: $0, on: request.db) } ?? nil
        if let readings = command.readings, let meter {
            problems += meter.specification.problems(of: readings, at: "readings")
        } else if Kind.target == .terminated, meter != nil {
            problems.append(FieldProblem("readings", "the final readings of the meter are required to terminate"))
        }
        if Kind.self == Activation.self, meter == nil { problems.append(FieldProblem("subscriptionNumber", "has no meter yet; install one first")) }
        guard problems.isEmpty else { return .refused(problems) }

        let endDate = Kind.target == .terminated ? Moment.day(at) : nil
        try await request.db.query(
            "UPDATE subscriptions SET status = $2, end_date = $3::date WHERE id = $1", [subscription.id, Kind.target.rawValue, endDate])
        let event = SubscriptionStatusChanged(
            subscriptionNumber: subscription.number, servicePointNumber: point.number, customerNumber: subscription.customerNumber,
            from: subscription.status, to: Kind.target, reason: command.reason, readings: command.readings, at: Moment.dateTime(at))
        let change = "subscription-" + (pastTense[Kind.name] ?? Kind.name)
        try await Records.record(
            change, at: at, request, customer: subscription.customerId, subscription: subscription.id, servicePoint: point.id, meter: meter?.id,
            details: try .of(event))
        return .done(results: ["subscriptionStatus": .string(Kind.target.rawValue)], events: [try request.event(event)])
    }

    /// The old owner's subscription ends at the readings; the new owner's opens, active, on
    /// the same service point and terms, from the same readings.
    static func changeOwnership(_ command: ChangeOwnership, _ request: Request) async throws -> Outcome {
        var problems: [FieldProblem] = []
        let at = Moment.of(command.at, now: request.now, problems: &problems)
        let newOwner = try await Records.customerId(command.newCustomerNumber, on: request.db)
        if newOwner == nil { problems.append(FieldProblem("newCustomerNumber", "there is no customer \(command.newCustomerNumber)")) }
        if let deposit = command.deposit { problems += deposit.problems(at: "deposit") }
        guard let old = try await Records.subscription(command.subscriptionNumber, on: request.db) else {
            return .refused(problems + [FieldProblem("subscriptionNumber", "there is no subscription \(command.subscriptionNumber)")])
        }
        if ![.active, .suspended].contains(old.status) {
            problems.append(FieldProblem("subscriptionNumber", "is \(old.status.rawValue); only an active or suspended subscription changes hands"))
        }
        if newOwner == old.customerId { problems.append(FieldProblem("newCustomerNumber", "is already the subscription's customer")) }
        let point = try await servicePoint(of: old, on: request.db)
        let meter = try await point.meterId.asyncMap { try await Records.meter(id: $0, on: request.db) } ?? nil
        if let meter { problems += meter.specification.problems(of: command.readings, at: "readings") }
        guard problems.isEmpty, let newOwner else { return .refused(problems) }

        let day = Moment.day(at)
        try await request.db.query("UPDATE subscriptions SET status = 'terminated', end_date = $2::date WHERE id = $1", [old.id, day])
        let id = UUID.timeOrdered()
        let number = try await Records.nextNumber("S", "subscription_numbers", on: request.db)
        let terms = try await request.db.query(
            """
            INSERT INTO subscriptions (id, subscription_number, customer_id, service_point_id, use_type, tariff_code, billing_cycle, start_date,
                                       deposit_amount, deposit_currency, status, previous_id)
            SELECT $1, $2, $3, service_point_id, use_type, tariff_code, billing_cycle, $4::date, coalesce($5, deposit_amount),
                   coalesce($6, deposit_currency), 'active', id
            FROM subscriptions WHERE id = $7
            RETURNING use_type, tariff_code, billing_cycle, deposit_amount, deposit_currency
            """, [id, number, newOwner, day, command.deposit?.amount, command.deposit?.currency, old.id])[0]
        let readings = command.readings
        let moment = Moment.dateTime(at)
        let ended = SubscriptionStatusChanged(
            subscriptionNumber: old.number, servicePointNumber: point.number, customerNumber: old.customerNumber, from: old.status, to: .terminated,
            reason: "Change of ownership to \(command.newCustomerNumber)", readings: readings, at: moment)
        let opened = SubscriptionCreated(
            subscriptionNumber: number, customerNumber: command.newCustomerNumber, servicePointNumber: point.number, utility: point.utility,
            region: point.region, useType: UseType(rawValue: try terms.decode(String.self, 0)) ?? .residential, tariffCode: try terms.decode(String.self, 1),
            billingCycle: try terms.decode(String.self, 2), startDate: day,
            deposit: Money(amount: try terms.decode(Int.self, 3), currency: try terms.decode(String.self, 4)), status: .active)
        let changed = OwnershipChanged(
            servicePointNumber: point.number, previousSubscriptionNumber: old.number, subscriptionNumber: number, previousCustomerNumber: old.customerNumber,
            customerNumber: command.newCustomerNumber, readings: readings, at: moment)
        // In both customers' histories: the one it left and the one it went to.
        for (customer, subscription) in [(old.customerId, old.id), (newOwner, id)] {
            try await Records.record(
                "ownership-transferred", at: at, request, customer: customer, subscription: subscription, servicePoint: point.id, meter: meter?.id,
                details: try .of(changed))
        }
        return .done(
            results: ["newSubscriptionNumber": .string(number)],
            events: [try request.event(ended), try request.event(opened), try request.event(changed)])
    }

    static func servicePoint(of subscription: Records.Subscription, on db: PostgresConnection) async throws -> Records.ServicePoint {
        guard let point = try await Records.servicePoint(id: subscription.servicePointId, on: db) else {
            throw PostgresError(.server, "the service point of \(subscription.number) is missing")
        }
        return point
    }
}
