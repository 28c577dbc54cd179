import BPMN
import Contracts
import Testing

/// A BPMN document around the given process body, with the namespaces of the three engines.
func document(_ body: String, id: String = "p", globals: String = "", executable: Bool = true) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
      xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:flowable="http://flowable.org/bpmn"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="definitions" targetNamespace="https://utilis.example/test">
    \(globals)
    <process id="\(id)" isExecutable="\(executable)">
    \(body)
    </process>
    </definitions>
    """
}

/// A sequence flow; `condition` is written as the model would (`=amount > 10`, `${ok}`).
func flow(_ source: String, _ target: String, id: String? = nil, condition: String? = nil) -> String {
    let flowId = id ?? "\(source)-\(target)"
    guard let condition else { return #"<sequenceFlow id="\#(flowId)" sourceRef="\#(source)" targetRef="\#(target)"/>"# }
    return #"<sequenceFlow id="\#(flowId)" sourceRef="\#(source)" targetRef="\#(target)"><conditionExpression xsi:type="tFormalExpression">\#(condition)</conditionExpression></sequenceFlow>"#
}

/// A chain of flows through the given element ids.
func flows(_ ids: String...) -> String {
    zip(ids, ids.dropFirst()).map { flow($0, $1) }.joined(separator: "\n")
}

func serviceTask(_ id: String, type: String? = nil, extra: String = "") -> String {
    #"<serviceTask id="\#(id)"><extensionElements><zeebe:taskDefinition type="\#(type ?? id)"/>\#(extra)</extensionElements></serviceTask>"#
}

/// Drives one instance through the engine on a virtual clock, keeping every effect.
struct Run {
    let engine: Engine
    let process: String
    var state: InstanceState?
    var effects: [Effect] = []
    var now = 1_767_603_600.0  // 2026-01-05T09:00:00Z

    init(_ xml: String, process: String = "p", others: [String] = []) throws {
        let documents = try ([xml] + others).map { try BPMNReader.read($0) }
        engine = Engine(library: StaticLibrary(documents))
        self.process = process
    }

    mutating func start(_ variables: [String: JSONValue] = [:], at event: String? = nil) throws {
        try execute(.start(processId: process, startEvent: event, variables: variables))
    }

    mutating func execute(_ command: Command) throws {
        let (next, produced) = try engine.execute(state, command, now: now)
        state = next
        effects += produced
    }

    /// The key of the oldest open user task or job of an element.
    func open(_ elementId: String, _ wait: ElementInstance.Wait) -> Int? {
        state?.elements.values.filter { $0.elementId == elementId && $0.wait == wait }.map(\.key).min()
    }

    mutating func completeTask(_ elementId: String, _ variables: [String: JSONValue] = [:]) throws {
        let key = try #require(open(elementId, .userTask), "no open task \(elementId); active: \(active)")
        try execute(.completeTask(key: key, variables: variables))
    }

    mutating func completeJob(_ elementId: String, _ variables: [String: JSONValue] = [:]) throws {
        let key = try #require(open(elementId, .job), "no open job \(elementId); active: \(active)")
        try execute(.completeJob(key: key, variables: variables))
    }

    mutating func failJob(_ elementId: String, retries: Int, message: String = "failed") throws {
        let key = try #require(open(elementId, .job), "no open job \(elementId)")
        try execute(.failJob(key: key, retries: retries, message: message))
    }

    mutating func throwError(_ elementId: String, code: String) throws {
        let key = try #require(open(elementId, .job) ?? open(elementId, .userTask), "no open job or task \(elementId)")
        try execute(.throwError(key: key, code: code, message: "thrown by the test"))
    }

    mutating func correlate(_ name: String, key: String? = nil, _ variables: [String: JSONValue] = [:]) throws {
        try execute(.correlateMessage(name: name, correlationKey: key, variables: variables))
    }

    mutating func signal(_ name: String) throws { try execute(.broadcastSignal(name: name, variables: [:])) }

    /// Moves the clock, firing each due timer at its own time.
    mutating func advance(_ seconds: Double) throws {
        let until = now + seconds
        while let state, state.status == .active,
            let due = state.subscriptions.values.filter({ $0.kind == .timer && $0.dueAt! <= until }).min(by: { ($0.dueAt!, $0.key) < ($1.dueAt!, $1.key) })
        {
            now = max(now, due.dueAt!)
            try execute(.fireTimer(key: due.key))
        }
        now = until
    }

    var active: [String] { state?.activeElementIds ?? [] }
    var summary: String { state?.summary ?? "not started" }
    var variables: [String: JSONValue] { state?.variables ?? [:] }

    /// Element ids in the order they completed.
    var completed: [String] {
        effects.compactMap { if case .elementCompleted(_, let id, let type, _) = $0, type != "process" { id } else { nil } }
    }
    var terminated: [String] {
        effects.compactMap { if case .elementTerminated(_, let id, _) = $0 { id } else { nil } }
    }
    var tasks: [Effect.UserTask] { effects.compactMap { if case .taskCreated(let task) = $0 { task } else { nil } } }
    var jobs: [Effect.Job] { effects.compactMap { if case .jobCreated(let job) = $0 { job } else { nil } } }
    var incidents: [String] { effects.compactMap { if case .incidentRaised(_, _, let message) = $0 { message } else { nil } } }
}
