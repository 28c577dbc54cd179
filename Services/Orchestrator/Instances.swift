import BPMN
import Contracts
import Foundation
import Messaging
import Postgres

/// Running process instances: each command loads the instance under a row lock, applies the
/// executor, and stores the new state, its history rows and the messages it causes (jobs for
/// workers, events) in the handler's one transaction.
struct Instances {
    let cache: ModelCache
    /// Made anew for each transaction, and flushed by `finish` before it commits.
    let pending = PendingWrites()

    /// Writes what the transaction's steps left pending; call it last, before the outbox.
    func finish(on db: PostgresConnection) async throws { try await pending.flush(on: db) }

    func start(_ command: StartProcess, message: InboundMessage, context: MessageContext) async throws {
        // The message id makes the instance id: a start delivered twice can never start two.
        try await startInstance(
            message.envelope.messageId, processId: command.processId, version: command.version, startEvent: nil,
            businessKey: command.businessKey, variables: command.variables ?? [:], actor: message.envelope.actor ?? "unknown",
            cause: message, context: context)
    }

    /// Starts one instance: by `start-process`, or by a message or signal start event.
    func startInstance(
        _ id: UUID, processId: String, version: Int?, startEvent: String?, businessKey: String?, variables: [String: JSONValue],
        actor: String, cause: InboundMessage?, context: MessageContext
    ) async throws {
        // Without a version: the latest, asked of the database once per transaction.
        let wanted = version ?? pending.latestVersions[processId]
        var library = try await cache.library(for: processId, version: wanted, on: context.database)
        guard let (model, chosen) = library.process(processId, version: wanted) else {
            throw MessageRejected(
                field: version == nil ? "processId" : "version", "no process \(processId)\(version.map { " version \($0)" } ?? "") is deployed")
        }
        if version == nil { pending.latestVersions[processId] = chosen }
        let (state, effects) = try await execute(
            { nil }, .start(processId: processId, startEvent: startEvent, variables: variables), library: &library, field: "processId",
            on: context.database) { Pinned(library: $0, processId: processId, version: chosen) }
        let instance = Row(id: id, processId: processId, version: chosen, businessKey: businessKey, processName: model.name)
        pending.keep(.init(row: instance, state: state, isNew: true, startedBy: actor))
        try await record(effects, of: instance, state: state, actor: actor, cause: cause, context: context, started: true)
        try await deliverBuffered(to: id, after: effects, actor: actor, cause: cause, context: context)
    }

    func completeJob(_ command: CompleteJob, message: InboundMessage, context: MessageContext) async throws {
        let (id, key) = try Self.split(command.jobId, field: "jobId", what: "job")
        try await advance(id, field: "jobId", message: message, context: context, command: .completeJob(key: key, variables: command.variables ?? [:]))
    }

    func completeTask(_ command: CompleteTask, message: InboundMessage, context: MessageContext) async throws {
        let (id, key) = try Self.split(command.taskId, field: "taskId", what: "task")
        try await advance(id, field: "taskId", message: message, context: context, command: .completeTask(key: key, variables: command.variables ?? [:]))
    }

    /// Claiming and handing over change no state of the engine: the task must be open, and the
    /// change is kept in the history and announced to the cartable.
    func assignTask(_ command: AssignTask, message: InboundMessage, context: MessageContext) async throws {
        let (id, key) = try Self.split(command.taskId, field: "taskId", what: "task")
        let state = try await load(id, field: "taskId", on: context.database).state
        guard let task = state.elements[key], task.wait == .userTask else {
            throw MessageRejected(field: "taskId", "\(command.taskId) is not an open user task")
        }
        let actor = message.envelope.actor ?? "unknown"
        pending.appendHistory(id, key, task.elementId, "userTask", "assigned", actor, ["assignee": command.assignee.map(JSONValue.string) ?? .null])
        context.send(try .contract(
            TaskAssigned(taskId: command.taskId, instanceId: id.lowercasedText, elementId: task.elementId, assignee: command.assignee,
                actor: actor, at: Self.now()), causedBy: message))
    }

    func failJob(_ command: FailJob, message: InboundMessage, context: MessageContext) async throws {
        let (id, key) = try Self.split(command.jobId, field: "jobId", what: "job")
        try await advance(id, field: "jobId", message: message, context: context, command: .failJob(key: key, retries: command.retries, message: command.message))
    }

    func throwError(_ command: ThrowError, message: InboundMessage, context: MessageContext) async throws {
        let (id, key) = try Self.split(command.jobId, field: "jobId", what: "job or task")
        try await advance(id, field: "jobId", message: message, context: context, command: .throwError(key: key, code: command.code, message: command.message ?? ""))
    }

    func resolveIncident(_ command: ResolveIncident, message: InboundMessage, context: MessageContext) async throws {
        let (id, key) = try Self.split(command.incidentId, field: "incidentId", what: "incident")
        try await advance(id, field: "incidentId", message: message, context: context, command: .resolveIncident(key: key, retries: command.retries))
    }

    func cancel(_ command: CancelInstance, message: InboundMessage, context: MessageContext) async throws {
        try await advance(try Self.instance(command.instanceId), field: "instanceId", message: message, context: context, command: .cancel)
    }

    func setVariables(_ command: SetVariables, message: InboundMessage, context: MessageContext) async throws {
        try await advance(try Self.instance(command.instanceId), field: "instanceId", message: message, context: context,
            command: .setVariables(scope: nil, variables: command.variables, local: false))
    }

    /// `<instance id>:<key>`, as jobs, tasks and incidents are named outside.
    static func split(_ text: String, field: String, what: String) throws -> (UUID, Int) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let id = UUID(text: String(parts[0])), let key = Int(parts[1]) else {
            throw MessageRejected(field: field, "\"\(text)\" is not a \(what) id of the form <instance id>:<key>")
        }
        return (id, key)
    }

    static func instance(_ text: String) throws -> UUID {
        guard let id = UUID(text: text) else { throw MessageRejected(field: "instanceId", "\"\(text)\" is not an instance id") }
        return id
    }

    /// Applies one command to one instance under its row lock.
    private func advance(_ id: UUID, field: String, message: InboundMessage, context: MessageContext, command: Command) async throws {
        try await advance(id, field: field, actor: message.envelope.actor ?? "unknown", cause: message, context: context, command: command)
    }

    /// Applies one command to one instance under its row lock; `cause` is nil for the
    /// orchestrator's own steps (a timer).
    func advance(
        _ id: UUID, field: String, actor: String, cause: InboundMessage?, context: MessageContext, command: Command
    ) async throws {
        var loaded = try await load(id, field: field, on: context.database)
        var library = try await cache.library(for: loaded.row.processId, version: loaded.row.version, on: context.database)
        loaded.row.processName = library.process(loaded.row.processId, version: loaded.row.version)?.model.name
        let (next, effects) = try await execute({ loaded.state }, command, library: &library, field: field, on: context.database) { $0 }
        loaded.state = next
        pending.keep(loaded)
        try await record(effects, of: loaded.row, state: next, actor: actor, cause: cause, context: context, started: false)
        try await deliverBuffered(to: id, after: effects, actor: actor, cause: cause, context: context)
    }

    /// An instance as this transaction last left it, else as stored, under its row lock.
    private func load(_ id: UUID, field: String, on db: PostgresConnection) async throws -> PendingWrites.Instance {
        if let kept = pending.instances[id] ?? pending.locked[id] { return kept }
        try await lock([id], on: db)
        guard let loaded = pending.locked[id] else { throw MessageRejected(field: field, "no process instance \(id.lowercasedText)") }
        return loaded
    }

    /// Reads and locks the instances a batch of commands is about, in one statement and in the
    /// order of their ids, so that two transactions wanting the same instances do not deadlock.
    func lock(_ ids: [UUID], on db: PostgresConnection) async throws {
        let wanted = Array(Set(ids.filter { pending.instances[$0] == nil && pending.locked[$0] == nil }))
        guard !wanted.isEmpty else { return }
        let rows = try await db.query(
            """
            SELECT id, process_id, version, business_key, state, started_by FROM instances WHERE id = ANY($1::uuid[])
            ORDER BY id FOR UPDATE
            """, [wanted])
        for row in rows {
            let id = try row.decode(UUID.self, 0)
            pending.locked[id] = PendingWrites.Instance(
                row: Row(id: id, processId: try row.decode(String.self, 1), version: try row.decode(Int.self, 2),
                    businessKey: try row.decode(String?.self, 3)),
                state: try InstanceState.fromJSON(Array(try row.decode(String.self, 4).utf8)), isNew: false,
                startedBy: try row.decode(String.self, 5))
        }
    }

    /// Runs the engine on the state `load` gives. A call to a process this replica has not
    /// loaded yet (deployed by another replica since) is run once more after loading what the
    /// database has.
    private func execute<L: ProcessLibrary>(
        _ load: () throws -> InstanceState?, _ command: Command, library: inout ModelCache.Library, field: String,
        on db: PostgresConnection, _ view: (ModelCache.Library) -> L
    ) async throws -> (InstanceState, [Effect]) {
        var reloaded = false
        while true {
            let state = try load()
            let result: (InstanceState, [Effect])
            do {
                result = try Engine(library: view(library)).execute(state, command, now: Date().timeIntervalSince1970)
            } catch {
                throw MessageRejected(field: field, error.reason)
            }
            let missed = result.1.contains { if case .incidentRaised(_, _, let text) = $0 { text.hasPrefix("no process ") } else { false } }
            guard missed, !reloaded, try await cache.reload(on: db) else { return result }
            (reloaded, library) = (true, cache.current)
        }
    }

    struct Row {
        var id: UUID
        var processId: String
        var version: Int
        var businessKey: String?
        var processName: String?

        func name(_ key: Int) -> String { "\(id.lowercasedText):\(key)" }
    }
}

/// Starts the version the command chose, however the library would pick the latest.
private struct Pinned: ProcessLibrary {
    let library: ModelCache.Library
    let processId: String
    let version: Int
    func process(_ id: String, version: Int?) -> (model: ProcessModel, version: Int)? {
        library.process(id, version: id == processId && version == nil ? self.version : version)
    }
}
