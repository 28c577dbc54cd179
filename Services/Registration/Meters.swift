import Contracts
import Foundation
import Messaging
import Postgres
import Registry

/// Meters: into stock, onto a service point and off it, replaced, moved. Every change goes
/// into the installation history with the readings of that moment, and out as an event that
/// Billing takes the readings from. Each command checks everything before it writes.
enum Meters {
    typealias Outcome = RegistrationCommands.Outcome
    typealias Request = RegistrationCommands.Request

    static func receive(_ command: ReceiveMeter, _ request: Request) async throws -> Outcome {
        let meter = command.meter
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: request.now)
        var problems = meter.problems(at: "meter", thisYear: thisYear)
        guard problems.isEmpty else { return .refused(problems) }
        if let known = try await Records.meter(manufacturer: meter.manufacturer, serialNumber: meter.serialNumber, on: request.db) {
            if known.specification == meter { return .done(results: [:], events: []) }
            problems.append(FieldProblem("meter.serialNumber", "\(meter.manufacturer) \(meter.serialNumber) is already known, with other details"))
            return .refused(problems)
        }
        let id = UUID.timeOrdered()
        try await request.db.query(
            """
            INSERT INTO meters (id, manufacturer, serial_number, utility, specification, status, next_test_due)
            VALUES ($1, $2, $3, $4, $5::jsonb, 'in-stock', $6::date)
            """, [id, meter.manufacturer, meter.serialNumber, meter.utility.rawValue, try jsonText(meter), meter.nextTestDue])
        try await Records.record("meter-received", at: request.now, request, customer: nil, meter: id, details: try .of(meter))
        return .done(results: [:], events: [try request.event(MeterReceived(meter: meter))])
    }

    static func install(_ command: InstallMeter, _ request: Request) async throws -> Outcome {
        var problems: [FieldProblem] = []
        let at = Moment.of(command.at, now: request.now, problems: &problems)
        let point = try await servicePoint(command.servicePointNumber, on: request.db, problems: &problems)
        if let point, point.meterId != nil { problems.append(FieldProblem("servicePointNumber", "already has a meter; replace it instead")) }
        let meter = try await stockMeter(command.manufacturer, command.serialNumber, for: point, readings: command.readings, at: "", request, &problems)
        guard problems.isEmpty, let point, let meter else { return .refused(problems) }
        return .done(results: [:], events: [try await put(meter, on: point, readings: command.readings, reason: nil, at: at, request)])
    }

    static func remove(_ command: RemoveMeter, _ request: Request) async throws -> Outcome {
        var problems: [FieldProblem] = []
        let at = Moment.of(command.at, now: request.now, problems: &problems)
        problems += command.reason.reasonProblems(at: "reason")
        let point = try await servicePoint(command.servicePointNumber, on: request.db, problems: &problems)
        let meter = try await installedMeter(on: point, readings: command.readings, at: "readings", request, &problems)
        guard problems.isEmpty, let point, let meter else { return .refused(problems) }
        return .done(results: [:], events: [try await take(meter, off: point, readings: command.readings, reason: command.reason, at: at, request)])
    }

    /// The old meter's final readings, then the new one's initial readings: two events, in
    /// that order, so Billing closes one meter's consumption before it opens the other's.
    static func replace(_ command: ReplaceMeter, _ request: Request) async throws -> Outcome {
        var problems: [FieldProblem] = []
        let at = Moment.of(command.at, now: request.now, problems: &problems)
        problems += command.reason.reasonProblems(at: "reason")
        let point = try await servicePoint(command.servicePointNumber, on: request.db, problems: &problems)
        let old = try await installedMeter(on: point, readings: command.finalReadings, at: "finalReadings", request, &problems)
        let new = try await stockMeter(
            command.manufacturer, command.serialNumber, for: point, readings: command.initialReadings, at: "initial", request, &problems)
        guard problems.isEmpty, let point, let old, let new else { return .refused(problems) }
        let removed = try await take(old, off: point, readings: command.finalReadings, reason: command.reason, at: at, request)
        let installed = try await put(new, on: point, readings: command.initialReadings, reason: command.reason, at: at, request)
        return .done(results: [:], events: [removed, installed])
    }

    static func relocate(_ command: RelocateMeter, _ request: Request) async throws -> Outcome {
        var problems: [FieldProblem] = []
        let at = Moment.of(command.at, now: request.now, problems: &problems)
        problems += command.reason.reasonProblems(at: "reason")
        problems += command.location.problems(at: "location")
        let point = try await servicePoint(command.servicePointNumber, on: request.db, problems: &problems)
        let meter = try await installedMeter(on: point, readings: command.readings, at: "readings", request, &problems)
        guard problems.isEmpty, let point, let meter else { return .refused(problems) }
        try await request.db.query(
            "UPDATE service_points SET latitude = $2, longitude = $3 WHERE id = $1", [point.id, command.location.latitude, command.location.longitude])
        let event = MeterRelocated(
            relocation: taken(meter, point, command.readings, command.reason, at), from: point.location, to: command.location)
        try await Records.record(
            "meter-relocated", at: at, request, customer: point.subscription?.customerId, subscription: point.subscription?.id, servicePoint: point.id,
            meter: meter.id, details: try .of(event))
        return .done(results: [:], events: [try request.event(event)])
    }

    /// Stock, lab and scrap, for a meter that is on no service point.
    static func changeStatus(_ command: ChangeMeterStatus, _ request: Request) async throws -> Outcome {
        var problems = command.reason.reasonProblems(at: "reason")
        guard let meter = try await Records.meter(manufacturer: command.manufacturer, serialNumber: command.serialNumber, on: request.db) else {
            return .refused(problems + [FieldProblem("serialNumber", "there is no meter \(command.manufacturer) \(command.serialNumber)")])
        }
        if let point = meter.servicePointNumber {
            problems.append(FieldProblem("serialNumber", "is installed on \(point); remove or replace it first"))
        } else if ![MeterStatus.inStock, .underTest, .scrapped].contains(command.status) {
            problems.append(FieldProblem("status", "a meter goes onto and off a service point by install-meter and remove-meter"))
        } else if !meter.status.allows(command.status) {
            problems.append(FieldProblem("status", "a \(meter.status.rawValue) meter cannot become \(command.status.rawValue)"))
        }
        guard problems.isEmpty else { return .refused(problems) }
        try await request.db.query("UPDATE meters SET status = $2 WHERE id = $1", [meter.id, command.status.rawValue])
        let event = MeterStatusChanged(
            manufacturer: command.manufacturer, serialNumber: command.serialNumber, from: meter.status, to: command.status, reason: command.reason,
            at: Moment.dateTime(request.now))
        try await Records.record("meter-\(command.status.rawValue)", at: request.now, request, customer: nil, meter: meter.id, details: try .of(event))
        return .done(results: ["meterStatus": .string(command.status.rawValue)], events: [try request.event(event)])
    }

    // MARK: - The steps the commands share

    static func servicePoint(_ number: String, on db: PostgresConnection, problems: inout [FieldProblem]) async throws -> Records.ServicePoint? {
        let point = try await Records.servicePoint(number, on: db)
        if point == nil { problems.append(FieldProblem("servicePointNumber", "there is no service point \(number)")) }
        return point
    }

    /// The meter on the service point, with the readings taken off it checked.
    static func installedMeter(
        on point: Records.ServicePoint?, readings: [RegisterReading], at path: String, _ request: Request, _ problems: inout [FieldProblem]
    ) async throws -> Records.Meter? {
        guard let point else { return nil }
        guard let id = point.meterId, let meter = try await Records.meter(id: id, on: request.db) else {
            problems.append(FieldProblem("servicePointNumber", "\(point.number) has no meter"))
            return nil
        }
        problems += meter.specification.problems(of: readings, at: path)
        return meter
    }

    /// A meter from stock for the service point's utility, with its first readings checked.
    /// `prefix` names the fields of a second meter in a replacement (`initialReadings`).
    static func stockMeter(
        _ manufacturer: String, _ serialNumber: String, for point: Records.ServicePoint?, readings: [RegisterReading], at prefix: String,
        _ request: Request, _ problems: inout [FieldProblem]
    ) async throws -> Records.Meter? {
        guard let meter = try await Records.meter(manufacturer: manufacturer, serialNumber: serialNumber, on: request.db) else {
            problems.append(FieldProblem("serialNumber", "there is no meter \(manufacturer) \(serialNumber) in stock"))
            return nil
        }
        if !meter.status.allows(.installed) {
            let place = meter.servicePointNumber.map { " on \($0)" } ?? ""
            problems.append(FieldProblem("serialNumber", "\(manufacturer) \(serialNumber) is \(meter.status.rawValue)\(place), not in stock"))
        }
        if let point, meter.specification.utility != point.utility {
            problems.append(FieldProblem("serialNumber", "is a \(meter.specification.utility.rawValue) meter; \(point.number) is \(point.utility.rawValue)"))
        }
        problems += meter.specification.problems(of: readings, at: prefix.isEmpty ? "readings" : "\(prefix)Readings")
        return meter
    }

    static func put(
        _ meter: Records.Meter, on point: Records.ServicePoint, readings: [RegisterReading], reason: String?, at: Date, _ request: Request
    ) async throws -> OutgoingMessage {
        try await request.db.query(
            "UPDATE service_points SET meter_id = $2, meter_installed_at = $3::timestamptz WHERE id = $1", [point.id, meter.id, Moment.dateTime(at)])
        try await request.db.query("UPDATE meters SET status = 'installed' WHERE id = $1", [meter.id])
        let event = MeterInstalled(installation: taken(meter, point, readings, reason, at))
        try await Records.record(
            "meter-installed", at: at, request, customer: point.subscription?.customerId, subscription: point.subscription?.id, servicePoint: point.id,
            meter: meter.id, details: try .of(event.installation))
        return try request.event(event)
    }

    static func take(
        _ meter: Records.Meter, off point: Records.ServicePoint, readings: [RegisterReading], reason: String, at: Date, _ request: Request
    ) async throws -> OutgoingMessage {
        try await request.db.query("UPDATE service_points SET meter_id = NULL, meter_installed_at = NULL WHERE id = $1", [point.id])
        try await request.db.query("UPDATE meters SET status = 'removed' WHERE id = $1", [meter.id])
        let event = MeterRemoved(removal: taken(meter, point, readings, reason, at))
        try await Records.record(
            "meter-removed", at: at, request, customer: point.subscription?.customerId, subscription: point.subscription?.id, servicePoint: point.id,
            meter: meter.id, details: try .of(event.removal))
        return try request.event(event)
    }

    static func taken(_ meter: Records.Meter, _ point: Records.ServicePoint, _ readings: [RegisterReading], _ reason: String?, _ at: Date) -> MeterReadingsTaken {
        MeterReadingsTaken(
            servicePointNumber: point.number, subscriptionNumber: point.subscription?.number, manufacturer: meter.specification.manufacturer,
            serialNumber: meter.specification.serialNumber, multiplier: meter.specification.multiplier, dials: meter.specification.dials,
            readings: readings, reason: reason, at: Moment.dateTime(at))
    }
}
