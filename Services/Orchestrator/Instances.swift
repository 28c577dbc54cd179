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

    func start(_ command: StartProcess, message: InboundMessage, context: MessageContext) async throws {
        let library = try await cache.library(for: command.processId, version: command.version, on: context.database)
        guard let (_, version) = library.process(command.processId, version: command.version) else {
            throw MessageRejected(
                field: command.version == nil ? "processId" : "version",
                "no process \(command.processId)\(command.version.map { " version \($0)" } ?? "") is deployed")
        }
        let engine = Engine(library: Pinned(library: library, processId: command.processId, version: version))
        let (state, effects): (InstanceState, [Effect])
        do {
            (state, effects) = try engine.execute(
                nil, .start(processId: command.processId, startEvent: nil, variables: command.variables ?? [:]), now: Date().timeIntervalSince1970)
        } catch {
            throw MessageRejected(field: "processId", error.reason)
        }
        // The message id makes the instance id: a start delivered twice can never start two.
        let id = message.envelope.messageId
        let actor = message.envelope.actor ?? "unknown"
        try await context.database.query(
            """
            INSERT INTO instances (id, process_id, version, business_key, status, state, started_by, open_incidents)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [id, command.processId, version, command.businessKey, state.status.rawValue, String(decoding: try state.jsonBytes(), as: UTF8.self), actor,
                state.incidents.count])
        let instance = Row(
            id: id, processId: command.processId, version: version, businessKey: command.businessKey,
            processName: library.process(command.processId, version: version)?.model.name)
        try await record(effects, of: instance, state: state, actor: actor, cause: message, context: context, started: true)
        try await deliverBuffered(to: id, after: effects, actor: actor, cause: message, context: context)
    }

    func correlate(_ command: CorrelateMessage, message: InboundMessage, context: MessageContext) async throws {
        var timeToLive = 0.0
        if let text = command.timeToLive {
            guard case .dayTimeDuration(let seconds)? = Temporal.parseDuration(text), seconds >= 0 else {
                throw MessageRejected(field: "timeToLive", "\"\(text)\" is not a duration such as PT1H")
            }
            timeToLive = seconds
        }
        // The oldest subscription waiting for this message; its row lock keeps two correlations apart.
        let waiting = try await context.database.query(
            """
            SELECT instance_id FROM subscriptions
            WHERE kind = 'message' AND name = $1 AND ($2::text IS NULL OR correlation_key IS NULL OR correlation_key = $2)
            ORDER BY opened_at LIMIT 1 FOR UPDATE
            """, [command.name, command.correlationKey])
        if let row = waiting.first {
            try await advance(try row.decode(UUID.self, 0), field: "name", message: message, context: context,
                command: .correlateMessage(name: command.name, correlationKey: command.correlationKey, variables: command.variables ?? [:]))
        } else if timeToLive > 0 {
            try await context.database.query(
                """
                INSERT INTO buffered_messages (message_id, name, correlation_key, variables, expires_at)
                VALUES ($1, $2, $3, $4, clock_timestamp() + make_interval(secs => $5)) ON CONFLICT DO NOTHING
                """, [message.envelope.messageId, command.name, command.correlationKey,
                    JSONValue.object(command.variables ?? [:]).canonicalJSON, timeToLive])
        }
    }

    func broadcast(_ command: BroadcastSignal, message: InboundMessage, context: MessageContext) async throws {
        let waiting = try await context.database.query(
            "SELECT DISTINCT instance_id FROM subscriptions WHERE kind = 'signal' AND name = $1 ORDER BY instance_id", [command.name])
        for row in waiting {
            try await advance(try row.decode(UUID.self, 0), field: "name", message: message, context: context,
                command: .broadcastSignal(name: command.name, variables: command.variables ?? [:]))
        }
    }

    /// A subscription just opened may have its message already waiting in the buffer.
    private func deliverBuffered(to id: UUID, after effects: [Effect], actor: String, cause: InboundMessage?, context: MessageContext) async throws {
        for effect in effects {
            guard case .subscriptionOpened(_, _, .message, let name, let key) = effect else { continue }
            let buffered = try await context.database.query(
                """
                DELETE FROM buffered_messages WHERE message_id = (
                    SELECT message_id FROM buffered_messages
                    WHERE name = $1 AND ($2::text IS NULL OR correlation_key IS NULL OR correlation_key = $2) AND expires_at > clock_timestamp()
                    ORDER BY received_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING correlation_key, variables
                """, [name, key])
            guard let row = buffered.first else { continue }
            let variables: [String: JSONValue]
            if case .object(let object) = try JSONValue.parse(Array(try row.decode(String.self, 1).utf8)) { variables = object } else { variables = [:] }
            try await advance(id, field: "name", actor: actor, cause: cause, context: context,
                command: .correlateMessage(name: name, correlationKey: try row.decode(String?.self, 0), variables: variables))
            return  // the step it caused has looked at the buffer again for what it opened
        }
    }

    func completeJob(_ command: CompleteJob, message: InboundMessage, context: MessageContext) async throws {
        let (id, key) = try Self.split(command.jobId, field: "jobId", what: "job")
        try await advance(id, field: "jobId", message: message, context: context, command: .completeJob(key: key, variables: command.variables ?? [:]))
    }

    func completeTask(_ command: CompleteTask, message: InboundMessage, context: MessageContext) async throws {
        let (id, key) = try Self.split(command.taskId, field: "taskId", what: "task")
        try await advance(id, field: "taskId", message: message, context: context, command: .completeTask(key: key, variables: command.variables ?? [:]))
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
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), let key = Int(parts[1]) else {
            throw MessageRejected(field: field, "\"\(text)\" is not a \(what) id of the form <instance id>:<key>")
        }
        return (id, key)
    }

    static func instance(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw MessageRejected(field: "instanceId", "\"\(text)\" is not an instance id") }
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
        let rows = try await context.database.query(
            "SELECT process_id, version, business_key, state FROM instances WHERE id = $1 FOR UPDATE", [id])
        guard let row = rows.first else { throw MessageRejected(field: field, "no process instance \(id.uuidString.lowercased())") }
        var instance = Row(id: id, processId: try row.decode(String.self, 0), version: try row.decode(Int.self, 1),
            businessKey: try row.decode(String?.self, 2))
        let state = try InstanceState.fromJSON(Array(try row.decode(String.self, 3).utf8))
        let library = try await cache.library(for: instance.processId, version: instance.version, on: context.database)
        instance.processName = library.process(instance.processId, version: instance.version)?.model.name
        let engine = Engine(library: library)
        let (next, effects): (InstanceState, [Effect])
        do {
            (next, effects) = try engine.execute(state, command, now: Date().timeIntervalSince1970)
        } catch {
            throw MessageRejected(field: field, error.reason)
        }
        try await context.database.query(
            """
            UPDATE instances SET state = $2, status = $3, revision = revision + 1, open_incidents = $4,
                ended_at = CASE WHEN $3 = 'active' THEN NULL ELSE now() END
            WHERE id = $1
            """, [id, String(decoding: try next.jsonBytes(), as: UTF8.self), next.status.rawValue, next.incidents.count])
        try await record(effects, of: instance, state: next, actor: actor, cause: cause, context: context, started: false)
        try await deliverBuffered(to: id, after: effects, actor: actor, cause: cause, context: context)
    }

    struct Row {
        var id: UUID
        var processId: String
        var version: Int
        var businessKey: String?
        var processName: String?

        func name(_ key: Int) -> String { "\(id.uuidString.lowercased()):\(key)" }
    }

    /// History rows for the elements, commands for the jobs, events for the instance's life.
    private func record(
        _ effects: [Effect], of instance: Row, state: InstanceState, actor: String, cause: InboundMessage?, context: MessageContext,
        started: Bool
    ) async throws {
        let now = ISO8601DateFormatter().string(from: Date())
        func changed(_ status: String) throws -> OutgoingMessage {
            try .contract(
                ProcessInstanceChanged(
                    instanceId: instance.id.uuidString.lowercased(), processId: instance.processId, version: instance.version,
                    businessKey: instance.businessKey, status: status, at: now, variables: state.variables),
                causedBy: cause)
        }
        if started { context.send(try changed("started")) }
        for effect in effects {
            switch effect {
            case .elementActivated(let key, let elementId, let type):
                try await history(instance, key, elementId, type, "activated", actor, nil, context)
            case .elementCompleted(let key, let elementId, let type, let variables):
                try await history(instance, key, elementId, type, "completed", actor, variables.isEmpty ? nil : variables, context)
                if ["serviceTask", "sendTask", "businessRuleTask"].contains(type) {
                    try await context.database.query("DELETE FROM job_retries WHERE instance_id = $1 AND job_key = $2", [instance.id, key])
                }
                if type == "userTask" {
                    context.send(try .contract(
                        TaskEnded(taskId: instance.name(key), instanceId: instance.id.uuidString.lowercased(), elementId: elementId,
                            outcome: "completed", actor: actor, at: now), causedBy: cause))
                }
            case .taskCreated(let task):
                context.send(try .contract(
                    TaskCreated(
                        taskId: instance.name(task.key), instanceId: instance.id.uuidString.lowercased(), processId: instance.processId,
                        processName: instance.processName, version: instance.version, elementId: task.elementId, name: task.name,
                        businessKey: instance.businessKey, assignee: task.assignee, candidateUsers: task.candidateUsers,
                        candidateGroups: task.candidateGroups, dueDate: task.dueDate, followUpDate: task.followUpDate,
                        priority: task.priority, formKey: task.formKey, variables: task.variables),
                    causedBy: cause))
            case .taskCancelled(let key, let elementId):
                context.send(try .contract(
                    TaskEnded(taskId: instance.name(key), instanceId: instance.id.uuidString.lowercased(), elementId: elementId,
                        outcome: "cancelled", actor: actor, at: now), causedBy: cause))
            case .incidentRaised(let key, let elementId, let text):
                context.send(try .contract(
                    IncidentChanged(incidentId: instance.name(key), instanceId: instance.id.uuidString.lowercased(),
                        processId: instance.processId, elementId: elementId, status: "raised", message: text, at: now), causedBy: cause))
            case .timerScheduled(let key, let elementId, let dueAt):
                try await context.database.query(
                    """
                    INSERT INTO timers (instance_id, timer_key, element_id, due_at) VALUES ($1, $2, $3, to_timestamp($4))
                    ON CONFLICT (instance_id, timer_key) DO UPDATE SET due_at = excluded.due_at
                    """, [instance.id, key, elementId, dueAt])
            case .subscriptionOpened(let key, let elementId, let kind, let name, let correlationKey):
                try await context.database.query(
                    """
                    INSERT INTO subscriptions (instance_id, subscription_key, kind, name, correlation_key, element_id)
                    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
                    """, [instance.id, key, kind.rawValue, name, correlationKey, elementId])
            case .subscriptionClosed(let key, _, _, _):
                try await context.database.query(
                    "DELETE FROM subscriptions WHERE instance_id = $1 AND subscription_key = $2", [instance.id, key])
            case .jobFailed(let key, _, let retries, _) where retries > 0:
                // Handed out again after 1, 2, 4 … seconds (at most five minutes) while retries last.
                try await context.database.query(
                    """
                    INSERT INTO job_retries (instance_id, job_key, attempt, due_at) VALUES ($1, $2, 1, clock_timestamp() + interval '1 second')
                    ON CONFLICT (instance_id, job_key) DO UPDATE SET attempt = job_retries.attempt + 1,
                        due_at = clock_timestamp() + make_interval(secs => least(300, power(2, job_retries.attempt)))
                    """, [instance.id, key])
            case .jobCancelled(let key, _):
                try await context.database.query("DELETE FROM job_retries WHERE instance_id = $1 AND job_key = $2", [instance.id, key])
            case .timerCancelled(let key, _):
                try await context.database.query("DELETE FROM timers WHERE instance_id = $1 AND timer_key = $2", [instance.id, key])
            case .incidentResolved(let key, let elementId):
                context.send(try .contract(
                    IncidentChanged(incidentId: instance.name(key), instanceId: instance.id.uuidString.lowercased(),
                        processId: instance.processId, elementId: elementId, status: "resolved", message: nil, at: now), causedBy: cause))
            case .elementTerminated(let key, let elementId, let type):
                try await history(instance, key, elementId, type, "terminated", actor, nil, context)
            case .jobCreated(let job):
                let body = WorkerJob(
                    jobId: instance.name(job.key), type: job.type,
                    instanceId: instance.id.uuidString.lowercased(), processId: instance.processId, version: instance.version,
                    elementId: job.elementId, businessKey: instance.businessKey, retries: job.retries, headers: job.headers,
                    variables: job.variables)
                let envelope = Envelope(
                    correlationId: cause?.envelope.correlationId, type: "\(job.type).v1",
                    causationId: cause?.envelope.messageId.uuidString.lowercased(), actor: "system:orchestrator",
                    traceparent: cause?.envelope.traceparent)
                context.send(OutgoingMessage(
                    envelope: envelope, exchange: Exchanges.commands, routingKey: job.type, body: try JSONBody.encode(body), mandatory: true))
                // A job with no answer within its timeout (the task header `timeout`, else five
                // minutes) is handed out again under the same job id.
                var timeout = 300.0
                if let text = job.headers["timeout"], case .dayTimeDuration(let seconds)? = Temporal.parseDuration(text), seconds > 0 {
                    timeout = seconds
                }
                try await context.database.query(
                    """
                    INSERT INTO job_retries (instance_id, job_key, attempt, due_at) VALUES ($1, $2, 0, clock_timestamp() + make_interval(secs => $3))
                    ON CONFLICT (instance_id, job_key) DO UPDATE SET due_at = excluded.due_at
                    """, [instance.id, job.key, timeout])
            case .instanceCompleted:
                context.send(try changed("completed"))
            case .instanceTerminated:
                context.send(try changed("terminated"))
            default:
                break  // published messages and signals reach other instances with the rest of issue 4
            }
        }
    }

    private func history(
        _ instance: Row, _ key: Int, _ elementId: String, _ type: String, _ event: String, _ actor: String,
        _ variables: [String: JSONValue]?, _ context: MessageContext
    ) async throws {
        try await context.database.query(
            """
            INSERT INTO history (instance_id, element_key, element_id, element_type, event, actor, variables)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
            """, [instance.id, key, elementId, type, event, actor, variables.map { JSONValue.object($0).canonicalJSON }])
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
