import Contracts

/// The deployed processes an engine can start and call, by id and version.
public protocol ProcessLibrary: Sendable {
    /// The given version, or the latest when `version` is nil.
    func process(_ id: String, version: Int?) -> (model: ProcessModel, version: Int)?
}

/// The processes of one or more documents, each at version 1: what the simulator and tests use.
public struct StaticLibrary: ProcessLibrary {
    public var processes: [String: ProcessModel]
    public init(_ definitions: [Definitions]) {
        processes = [:]
        for document in definitions { for process in document.processes { processes[process.id] = process } }
    }
    public func process(_ id: String, version: Int?) -> (model: ProcessModel, version: Int)? {
        guard version == nil || version == 1, let model = processes[id] else { return nil }
        return (model, 1)
    }
}

/// The BPMN executor: `execute(state, command, now) -> (state, effects)`, deterministic and
/// without I/O. A command runs until every token waits (for a task, a job, a message, a timer,
/// a signal) or the instance ends. A rejected command leaves the state as it was.
public struct Engine: Sendable {
    public let library: any ProcessLibrary

    public init(library: any ProcessLibrary) { self.library = library }

    /// Runs one command. `state` is nil only for `.start`. `now` is seconds since 1970.
    public func execute(_ state: consuming InstanceState?, _ command: Command, now: Double) throws(CommandRejected) -> (InstanceState, [Effect]) {
        if case .start(let processId, let startEvent, let variables) = command {
            guard state == nil else { throw CommandRejected("the instance is already started") }
            guard let (model, version) = library.process(processId, version: nil) else {
                throw CommandRejected("no process \(processId) is deployed")
            }
            var execution = Execution(state: InstanceState(models: [ModelReference(processId: processId, version: version)]), library: library, now: now)
            execution.cache(model, at: 0)
            execution.state.elements.reserve(8)
            try execution.start(model: model, startEvent: startEvent, variables: variables)
            execution.run()
            return execution.finish()
        }
        guard let current = consume state else { throw CommandRejected("the instance is not started") }
        guard current.status == .active else { throw CommandRejected("the instance is \(current.status.rawValue)") }
        var execution = Execution(state: current, library: library, now: now)
        try execution.loadModels()
        try execution.apply(command)
        execution.run()
        return execution.finish()
    }
}
