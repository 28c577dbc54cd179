import Contracts

/// A simulator scenario: which process to start, with what, and the steps that follow.
///
///     {"process": "optional id", "clock": "optional start, 2026-01-05T09:00:00Z",
///      "start": {"event": "optional start event id", "variables": {}},
///      "steps": [{"completeTask": "elementId", "variables": {}}, {"completeJob": "elementId"},
///                {"failJob": "elementId", "retries": 0, "message": "text"},
///                {"throwError": "elementId", "code": "ERROR_CODE"},
///                {"correlateMessage": "name", "correlationKey": "key", "variables": {}},
///                {"broadcastSignal": "name"}, {"advanceClock": "PT1H"},
///                {"setVariables": {}}, {"resolveIncident": "elementId", "retries": 1}, {"cancel": true}]}
public struct Scenario: Sendable {
    public enum Step: Sendable, Equatable {
        case completeTask(elementId: String, variables: [String: JSONValue])
        case completeJob(elementId: String, variables: [String: JSONValue])
        case failJob(elementId: String, retries: Int, message: String)
        case throwError(elementId: String, code: String, message: String)
        case correlateMessage(name: String, correlationKey: String?, variables: [String: JSONValue])
        case broadcastSignal(name: String, variables: [String: JSONValue])
        case advanceClock(seconds: Double)
        case setVariables([String: JSONValue])
        case resolveIncident(elementId: String, retries: Int?)
        case cancel
    }

    public var process: String?
    public var clock: Double
    public var startEvent: String?
    public var variables: [String: JSONValue]
    public var steps: [Step]

    /// The default virtual clock: a Monday morning, so scenarios read naturally.
    public static let defaultClock = 1_767_603_600.0  // 2026-01-05T09:00:00Z

    public struct Invalid: Error, Sendable, CustomStringConvertible, Equatable {
        public var field: String
        public var reason: String
        public var description: String { "\(field): \(reason)" }
    }

    public static func parse(_ json: JSONValue) throws(Invalid) -> Scenario {
        guard case .object(let root) = json else { throw Invalid(field: "scenario", reason: "must be a JSON object") }
        for key in root.keys where !["process", "clock", "start", "steps"].contains(key) {
            throw Invalid(field: key, reason: "is not a field of a scenario (process, clock, start, steps)")
        }
        var scenario = Scenario(process: nil, clock: defaultClock, startEvent: nil, variables: [:], steps: [])
        scenario.process = try text(root["process"], "process")
        if let clock = try text(root["clock"], "clock") {
            guard case .dateTime(let seconds, _)? = Temporal.parseDateTime(clock) else {
                throw Invalid(field: "clock", reason: "\"\(clock)\" is not an ISO 8601 date and time")
            }
            scenario.clock = seconds
        }
        if let start = root["start"] {
            guard case .object(let fields) = start else { throw Invalid(field: "start", reason: "must be an object") }
            scenario.startEvent = try text(fields["event"], "start.event")
            scenario.variables = try variables(fields["variables"], "start.variables")
        }
        guard case .array(let steps)? = root["steps"] ?? .array([]) else { throw Invalid(field: "steps", reason: "must be an array") }
        for (index, step) in steps.enumerated() { scenario.steps.append(try parseStep(step, field: "steps[\(index)]")) }
        return scenario
    }

    private static func parseStep(_ json: JSONValue, field: String) throws(Invalid) -> Step {
        guard case .object(let step) = json else { throw Invalid(field: field, reason: "must be an object") }
        let vars = try variables(step["variables"], "\(field).variables")
        if let id = try text(step["completeTask"], "\(field).completeTask") { return .completeTask(elementId: id, variables: vars) }
        if let id = try text(step["completeJob"], "\(field).completeJob") { return .completeJob(elementId: id, variables: vars) }
        if let id = try text(step["failJob"], "\(field).failJob") {
            return .failJob(elementId: id, retries: try integer(step["retries"], "\(field).retries") ?? 0,
                message: try text(step["message"], "\(field).message") ?? "")
        }
        if let id = try text(step["throwError"], "\(field).throwError") {
            guard let code = try text(step["code"], "\(field).code") else { throw Invalid(field: "\(field).code", reason: "is required") }
            return .throwError(elementId: id, code: code, message: try text(step["message"], "\(field).message") ?? "")
        }
        if let name = try text(step["correlateMessage"], "\(field).correlateMessage") {
            return .correlateMessage(name: name, correlationKey: try key(step["correlationKey"], "\(field).correlationKey"), variables: vars)
        }
        if let name = try text(step["broadcastSignal"], "\(field).broadcastSignal") { return .broadcastSignal(name: name, variables: vars) }
        if let duration = try text(step["advanceClock"], "\(field).advanceClock") {
            guard case .dayTimeDuration(let seconds)? = Temporal.parseDuration(duration), seconds >= 0 else {
                throw Invalid(field: "\(field).advanceClock", reason: "\"\(duration)\" is not a positive duration such as PT1H or P2D")
            }
            return .advanceClock(seconds: seconds)
        }
        if step["setVariables"] != nil { return .setVariables(try variables(step["setVariables"], "\(field).setVariables")) }
        if let id = try text(step["resolveIncident"], "\(field).resolveIncident") {
            return .resolveIncident(elementId: id, retries: try integer(step["retries"], "\(field).retries"))
        }
        if step["cancel"] != nil { return .cancel }
        throw Invalid(field: field, reason: "names no action (completeTask, completeJob, failJob, throwError, correlateMessage, broadcastSignal, advanceClock, setVariables, resolveIncident, cancel)")
    }

    private static func text(_ value: JSONValue?, _ field: String) throws(Invalid) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw Invalid(field: field, reason: "must be a text")
        }
    }

    private static func key(_ value: JSONValue?, _ field: String) throws(Invalid) -> String? {
        if case .number(let number)? = value { return Execution.text(.number(number)) }
        return try text(value, field)
    }

    private static func integer(_ value: JSONValue?, _ field: String) throws(Invalid) -> Int? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)? where number == number.rounded(): return Int(number)
        default: throw Invalid(field: field, reason: "must be a whole number")
        }
    }

    private static func variables(_ value: JSONValue?, _ field: String) throws(Invalid) -> [String: JSONValue] {
        switch value {
        case nil, .null?: return [:]
        case .object(let entries)?: return entries
        default: throw Invalid(field: field, reason: "must be an object of variables")
        }
    }
}
