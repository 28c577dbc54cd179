import Contracts

/// Runs a scenario against a model on a virtual clock and reports every effect, as
/// `utilis bpmn simulate` prints them: one JSON object per effect, then a final `end` line.
public struct Simulator {
    public let engine: Engine

    public init(library: any ProcessLibrary) { engine = Engine(library: library) }

    public struct Outcome: Sendable {
        /// The effect lines, then the `end` line.
        public var lines: [JSONValue]
        public var state: InstanceState?
        /// The step that was refused, if one was; the run stops there.
        public var rejection: String?
    }

    public func run(_ scenario: Scenario, process: String) -> Outcome {
        var lines: [JSONValue] = []
        var now = scenario.clock
        var state: InstanceState?
        func record(_ effects: [Effect]) { lines += effects.map(\.json) }
        func refuse(_ step: Int?, _ reason: String) -> Outcome {
            var line: [String: JSONValue] = ["event": .string("step-rejected"), "reason": .string(reason)]
            line["step"] = step.map { .number(Double($0)) } ?? .string("start")
            lines.append(.object(line))
            lines.append(Self.end(state, process: process))
            return Outcome(lines: lines, state: state, rejection: reason)
        }
        do {
            let (started, effects) = try engine.execute(
                nil, .start(processId: process, startEvent: scenario.startEvent, variables: scenario.variables), now: now)
            state = started
            record(effects)
        } catch {
            return refuse(nil, error.reason)
        }
        for (index, step) in scenario.steps.enumerated() {
            guard var current = state else { break }
            do {
                if case .advanceClock(let seconds) = step {
                    let until = now + seconds
                    // Timers fire in the order they are due, each at its own time.
                    while current.status == .active,
                        let due = current.subscriptions.values.filter({ $0.kind == .timer && ($0.dueAt ?? .infinity) <= until })
                            .min(by: { ($0.dueAt!, $0.key) < ($1.dueAt!, $1.key) })
                    {
                        now = max(now, due.dueAt!)
                        let (next, effects) = try engine.execute(current, .fireTimer(key: due.key), now: now)
                        current = next
                        record(effects)
                    }
                    now = until
                    state = current
                    continue
                }
                let command = try self.command(for: step, in: current)
                let (next, effects) = try engine.execute(current, command, now: now)
                state = next
                record(effects)
            } catch {
                state = current
                return refuse(index, error.reason)
            }
        }
        lines.append(Self.end(state, process: process))
        return Outcome(lines: lines, state: state, rejection: nil)
    }

    /// The command of a step; a step naming an element acts on its oldest open task or job.
    private func command(for step: Scenario.Step, in state: InstanceState) throws(CommandRejected) -> Command {
        func oldest(_ elementId: String, _ waits: Set<ElementInstance.Wait>, _ what: String) throws(CommandRejected) -> Int {
            let keys = state.elements.values.filter { $0.elementId == elementId && $0.wait.map(waits.contains) == true }.map(\.key)
            guard let key = keys.min() else { throw CommandRejected("\(elementId) has no open \(what)") }
            return key
        }
        switch step {
        case .completeTask(let id, let variables): return .completeTask(key: try oldest(id, [.userTask], "user task"), variables: variables)
        case .completeJob(let id, let variables): return .completeJob(key: try oldest(id, [.job], "job"), variables: variables)
        case .failJob(let id, let retries, let message):
            return .failJob(key: try oldest(id, [.job], "job"), retries: retries, message: message)
        case .throwError(let id, let code, let message):
            return .throwError(key: try oldest(id, [.job, .userTask], "job or user task"), code: code, message: message)
        case .correlateMessage(let name, let key, let variables): return .correlateMessage(name: name, correlationKey: key, variables: variables)
        case .broadcastSignal(let name, let variables): return .broadcastSignal(name: name, variables: variables)
        case .setVariables(let variables): return .setVariables(scope: nil, variables: variables, local: false)
        case .resolveIncident(let id, let retries):
            guard let incident = state.incidents.values.filter({ $0.elementId == id }).min(by: { $0.key < $1.key }) else {
                throw CommandRejected("\(id) has no open incident")
            }
            return .resolveIncident(key: incident.key, retries: retries)
        case .cancel: return .cancel
        case .advanceClock: throw CommandRejected("advanceClock is not a command")
        }
    }

    static func end(_ state: InstanceState?, process: String) -> JSONValue {
        .object([
            "event": .string("end"), "elementId": .string(process),
            "state": .string(state?.summary ?? "not started"),
            "active": .array((state?.activeElementIds ?? []).map(JSONValue.string)),
            "incidents": .array((state?.incidents.values.sorted { $0.key < $1.key } ?? []).map { .string($0.message) }),
            "variables": .object(state?.variables ?? [:]),
        ])
    }
}
