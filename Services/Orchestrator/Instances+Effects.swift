import BPMN
import Contracts
import Foundation
import Messaging
import Postgres

/// What a step of the engine caused, stored in the step's transaction: history rows, jobs for
/// workers, timers and subscriptions, and events for the cartable and reports.
extension Instances {
    func record(
        _ effects: [Effect], of instance: Row, state: InstanceState, actor: String, cause: InboundMessage?, context: MessageContext,
        started: Bool
    ) async throws {
        let now = Self.now()
        let instanceId = instance.id.lowercasedText
        if started {
            context.send(try .contract(
                ProcessStarted(
                    instanceId: instanceId, processId: instance.processId, processName: instance.processName, version: instance.version,
                    businessKey: instance.businessKey, startedBy: actor, at: now, variables: state.variables),
                causedBy: cause))
        }
        for effect in effects {
            switch effect {
            case .elementActivated(let key, let elementId, let type):
                pending.appendHistory(instance.id, key, elementId, type, "activated", actor, nil)
            case .elementCompleted(let key, let elementId, let type, let variables):
                pending.appendHistory(instance.id, key, elementId, type, "completed", actor, variables.isEmpty ? nil : variables)
                if ["serviceTask", "sendTask", "businessRuleTask"].contains(type) { pending.jobRetry(instance.id, key, .done) }
                if type == "userTask" {
                    context.send(try .contract(
                        TaskCompleted(taskId: instance.name(key), instanceId: instanceId, elementId: elementId, actor: actor, at: now,
                            variables: variables),
                        causedBy: cause))
                }
            case .elementTerminated(let key, let elementId, let type):
                pending.appendHistory(instance.id, key, elementId, type, "terminated", actor, nil)
            case .taskCreated(let task):
                context.send(try .contract(
                    TaskCreated(
                        taskId: instance.name(task.key), instanceId: instanceId, processId: instance.processId,
                        processName: instance.processName, version: instance.version, elementId: task.elementId, name: task.name,
                        businessKey: instance.businessKey, assignee: task.assignee, candidateUsers: task.candidateUsers,
                        candidateGroups: task.candidateGroups, dueDate: task.dueDate, followUpDate: task.followUpDate,
                        priority: task.priority, formKey: task.formKey, form: task.form?.json, variables: task.variables),
                    causedBy: cause))
            case .taskCancelled(let key, let elementId):
                context.send(try .contract(
                    TaskCancelled(taskId: instance.name(key), instanceId: instanceId, elementId: elementId, actor: actor, at: now), causedBy: cause))
            case .jobCreated(let job):
                try sendJob(job, of: instance, cause: cause, context: context)
            case .jobFailed(let key, _, let retries, _) where retries > 0:
                pending.jobRetry(instance.id, key, .backoff)
            case .jobCancelled(let key, _):
                pending.jobRetry(instance.id, key, .done)
            case .timerScheduled(let key, let elementId, let dueAt):
                try await context.database.query(
                    """
                    INSERT INTO timers (instance_id, timer_key, element_id, due_at) VALUES ($1, $2, $3, to_timestamp($4))
                    ON CONFLICT (instance_id, timer_key) DO UPDATE SET due_at = excluded.due_at
                    """, [instance.id, key, elementId, dueAt])
            case .timerCancelled(let key, _):
                try await context.database.query("DELETE FROM timers WHERE instance_id = $1 AND timer_key = $2", [instance.id, key])
            case .subscriptionOpened(let key, let elementId, let kind, let name, let correlationKey):
                try await context.database.query(
                    """
                    INSERT INTO subscriptions (instance_id, subscription_key, kind, name, correlation_key, element_id)
                    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
                    """, [instance.id, key, kind.rawValue, name, correlationKey, elementId])
            case .subscriptionClosed(let key, _, _, _):
                try await context.database.query(
                    "DELETE FROM subscriptions WHERE instance_id = $1 AND subscription_key = $2", [instance.id, key])
            case .messagePublished(_, let name, let correlationKey, let variables):
                // Through the outbox to this service's own queue: delivered to the other instance
                // in its own transaction, after this one commits. Kept an hour if none waits yet.
                context.send(try .contract(
                    CorrelateMessage(name: name, correlationKey: correlationKey, variables: variables, timeToLive: "PT1H"),
                    causedBy: cause, actor: actor))
            case .signalBroadcast(_, let name, let variables):
                context.send(try .contract(BroadcastSignal(name: name, variables: variables), causedBy: cause, actor: actor))
            case .incidentRaised(let key, let elementId, let text):
                context.send(try .contract(
                    IncidentRaised(incidentId: instance.name(key), instanceId: instanceId, processId: instance.processId, elementId: elementId,
                        message: text, at: now),
                    causedBy: cause))
            case .incidentResolved(let key, let elementId):
                context.send(try .contract(
                    IncidentResolved(incidentId: instance.name(key), instanceId: instanceId, processId: instance.processId, elementId: elementId,
                        actor: actor, at: now),
                    causedBy: cause))
            case .instanceCompleted:
                context.send(try .contract(
                    ProcessCompleted(instanceId: instanceId, processId: instance.processId, version: instance.version,
                        businessKey: instance.businessKey, at: now, variables: state.variables),
                    causedBy: cause))
            case .instanceTerminated:
                context.send(try .contract(
                    ProcessTerminated(instanceId: instanceId, processId: instance.processId, version: instance.version,
                        businessKey: instance.businessKey, actor: actor, at: now),
                    causedBy: cause))
            case .jobFailed:
                break  // out of retries: the incident that follows says so
            }
        }
    }

    /// A job goes to its worker as a command on its type's routing key; one that gets no
    /// answer within its timeout (the task header `timeout`, else five minutes) is handed out
    /// again under the same job id.
    private func sendJob(_ job: Effect.Job, of instance: Row, cause: InboundMessage?, context: MessageContext) throws {
        let body = WorkerJob(
            jobId: instance.name(job.key), type: job.type, instanceId: instance.id.lowercasedText, processId: instance.processId,
            version: instance.version, elementId: job.elementId, businessKey: instance.businessKey, retries: job.retries,
            headers: job.headers, variables: job.variables)
        let envelope = Envelope(
            correlationId: cause?.envelope.correlationId, type: "\(job.type).v1", causationId: cause?.envelope.messageId.lowercasedText,
            actor: "system:orchestrator", traceparent: cause?.envelope.traceparent)
        context.send(OutgoingMessage(
            envelope: envelope, exchange: Exchanges.commands, routingKey: job.type, body: try JSONBody.encode(body), mandatory: true))
        var timeout = 300.0
        if let text = job.headers["timeout"], case .dayTimeDuration(let seconds)? = Temporal.parseDuration(text), seconds > 0 {
            timeout = seconds
        }
        pending.jobRetry(instance.id, job.key, .timeout(timeout))
    }

    /// Event times, in UTC to the millisecond (a formatter of Foundation costs more to make than a step).
    static func now() -> String { Temporal.formatDateTime(Date().timeIntervalSince1970) }
}
