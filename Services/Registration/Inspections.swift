import Contracts
import Foundation
import Postgres
import Registry

/// A meter's accuracy test. A pass sets its next test date; a failure marks it due for
/// replacement, and the bills since it was last known good are suspect.
enum Inspections {
    static func record(_ command: RecordInspection, _ request: RegistrationCommands.Request) async throws -> RegistrationCommands.Outcome {
        var problems: [FieldProblem] = []
        let at = Moment.of(command.at, now: request.now, problems: &problems)
        problems += command.reason.reasonProblems(at: "reason")
        if command.inspector.allSatisfy(\.isWhitespace) { problems.append(FieldProblem("inspector", "is required")) }
        problems += InspectionVerdict.problems(of: command.testPoints, at: "testPoints")
        let meter = try await Records.meter(manufacturer: command.manufacturer, serialNumber: command.serialNumber, on: request.db)
        if meter == nil { problems.append(FieldProblem("serialNumber", "there is no meter \(command.manufacturer) \(command.serialNumber)")) }
        guard problems.isEmpty, let meter else { return .refused(problems) }
        let point = try await meter.servicePointNumber.asyncMap { try await Records.servicePoint($0, on: request.db) } ?? nil
        let verdict = InspectionVerdict(accuracyClass: meter.specification.accuracyClass, testPoints: command.testPoints)
        let nextTestDue: String, suspectSince: String?
        if verdict.passed {
            let next = Calendar(identifier: .gregorian).date(byAdding: .year, value: meter.specification.utility.testIntervalYears, to: at) ?? at
            nextTestDue = Moment.day(next)
            suspectSince = nil
            try await request.db.query(
                "UPDATE meters SET next_test_due = $2::date, replacement_due = false, suspect_since = NULL WHERE id = $1", [meter.id, nextTestDue])
        } else {
            // Suspect since the last test it passed, or since it went onto this service point.
            let lastPassed = try await request.db.query(
                """
                SELECT to_char(max(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM installation_history
                WHERE meter_id = $1 AND change = 'inspection-recorded' AND (details->>'passed')::boolean
                """, [meter.id]
            ).first?.decode(String?.self, 0)
            suspectSince = [lastPassed, point?.meterInstalledAt].compactMap { $0 }.max() ?? Moment.dateTime(at)
            nextTestDue = try await request.db.query(
                """
                UPDATE meters SET replacement_due = true, suspect_since = $2::timestamptz WHERE id = $1 RETURNING next_test_due::text
                """, [meter.id, suspectSince]
            ).scalar(String.self)
        }
        let event = InspectionRecorded(
            manufacturer: command.manufacturer, serialNumber: command.serialNumber, servicePointNumber: point?.number,
            subscriptionNumber: point?.subscription?.number, passed: verdict.passed, worstErrorPercent: verdict.worstErrorPercent,
            suspectSince: suspectSince, nextTestDue: nextTestDue, at: Moment.dateTime(at))
        var details = try JSONValue.of(event)
        if case .object(var fields) = details {
            fields["testPoints"] = try .of(command.testPoints)
            fields["limits"] = .array(verdict.limits.map { .number($0) })
            fields["inspector"] = .string(command.inspector)
            fields["reason"] = .string(command.reason)
            details = .object(fields)
        }
        try await Records.record(
            "inspection-recorded", at: at, request, customer: point?.subscription?.customerId, subscription: point?.subscription?.id,
            servicePoint: point?.id, meter: meter.id, details: details)
        var results: [String: JSONValue] = ["inspectionPassed": .bool(verdict.passed), "worstErrorPercent": .number(verdict.worstErrorPercent)]
        if let point { results["servicePointNumber"] = .string(point.number) }
        return .done(results: results, events: [try request.event(event)])
    }
}
