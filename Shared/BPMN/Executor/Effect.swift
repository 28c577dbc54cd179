import Contracts
import Forms

/// What executing a command caused, in order: the orchestrator turns these into stored history,
/// jobs sent to workers, task events for the cartable, timers and subscriptions.
public enum Effect: Sendable, Equatable {
    case elementActivated(key: Int, elementId: String, elementType: String)
    /// `variables`: those the element changed.
    case elementCompleted(key: Int, elementId: String, elementType: String, variables: [String: JSONValue])
    case elementTerminated(key: Int, elementId: String, elementType: String)
    indirect case taskCreated(UserTask)
    case taskCancelled(key: Int, elementId: String)
    indirect case jobCreated(Job)
    case jobFailed(key: Int, elementId: String, retries: Int, message: String)
    case jobCancelled(key: Int, elementId: String)
    case timerScheduled(key: Int, elementId: String, dueAt: Double)
    case timerCancelled(key: Int, elementId: String)
    case subscriptionOpened(key: Int, elementId: String, kind: Subscription.Kind, name: String, correlationKey: String?)
    case subscriptionClosed(key: Int, elementId: String, kind: Subscription.Kind, name: String)
    /// A message throw event, send task or message end event without a job: for the orchestrator
    /// to correlate to other instances.
    case messagePublished(elementId: String, name: String, correlationKey: String?, variables: [String: JSONValue])
    /// A signal throw or end event: for the orchestrator to broadcast to other instances.
    case signalBroadcast(elementId: String, name: String, variables: [String: JSONValue])
    case incidentRaised(key: Int, elementId: String, message: String)
    case incidentResolved(key: Int, elementId: String)
    case instanceCompleted(processId: String, variables: [String: JSONValue])
    case instanceTerminated(processId: String)

    /// The user task an employee works on.
    public struct UserTask: Sendable, Equatable {
        public var key: Int
        public var elementId: String
        public var name: String?
        public var formKey: String?
        /// The form the model holds for the task, when it holds one.
        public var form: Form?
        public var assignee: String?
        public var candidateUsers: [String]
        public var candidateGroups: [String]
        public var dueDate: String?
        public var followUpDate: String?
        public var priority: Int
        public var variables: [String: JSONValue]
    }

    /// Work for a service: `type` is the routing key it goes to.
    public struct Job: Sendable, Equatable {
        public var key: Int
        public var elementId: String
        public var type: String
        public var retries: Int
        public var headers: [String: String]
        public var variables: [String: JSONValue]
    }

    /// The element the effect is about.
    public var elementId: String {
        switch self {
        case .elementActivated(_, let id, _), .elementCompleted(_, let id, _, _), .elementTerminated(_, let id, _),
            .taskCancelled(_, let id), .jobFailed(_, let id, _, _), .jobCancelled(_, let id), .timerScheduled(_, let id, _),
            .timerCancelled(_, let id), .subscriptionOpened(_, let id, _, _, _), .subscriptionClosed(_, let id, _, _),
            .messagePublished(let id, _, _, _), .signalBroadcast(let id, _, _), .incidentRaised(_, let id, _),
            .incidentResolved(_, let id):
            return id
        case .taskCreated(let task): return task.elementId
        case .jobCreated(let job): return job.elementId
        case .instanceCompleted(let id, _), .instanceTerminated(let id): return id
        }
    }

    /// The effect as one JSON object, `event` first in meaning: the simulator prints these.
    public var json: JSONValue {
        func object(_ event: String, _ fields: [String: JSONValue?]) -> JSONValue {
            var entries = fields.compactMapValues { $0 }
            entries["event"] = .string(event)
            return .object(entries)
        }
        func number(_ value: Int) -> JSONValue { .number(Double(value)) }
        func text(_ value: String?) -> JSONValue? { value.map(JSONValue.string) }
        switch self {
        case .elementActivated(let key, let id, let type):
            return object("element-activated", ["key": number(key), "elementId": .string(id), "elementType": .string(type)])
        case .elementCompleted(let key, let id, let type, let variables):
            return object("element-completed", [
                "key": number(key), "elementId": .string(id), "elementType": .string(type),
                "variables": variables.isEmpty ? nil : .object(variables),
            ])
        case .elementTerminated(let key, let id, let type):
            return object("element-terminated", ["key": number(key), "elementId": .string(id), "elementType": .string(type)])
        case .taskCreated(let task):
            return object("task-created", [
                "key": number(task.key), "elementId": .string(task.elementId), "name": text(task.name),
                "formKey": text(task.formKey), "form": task.form?.json, "assignee": text(task.assignee),
                "candidateUsers": .array(task.candidateUsers.map(JSONValue.string)),
                "candidateGroups": .array(task.candidateGroups.map(JSONValue.string)),
                "dueDate": text(task.dueDate), "followUpDate": text(task.followUpDate), "priority": number(task.priority),
            ])
        case .taskCancelled(let key, let id): return object("task-cancelled", ["key": number(key), "elementId": .string(id)])
        case .jobCreated(let job):
            return object("job-created", [
                "key": number(job.key), "elementId": .string(job.elementId), "type": .string(job.type),
                "retries": number(job.retries), "headers": .object(job.headers.mapValues(JSONValue.string)),
                "variables": .object(job.variables),
            ])
        case .jobFailed(let key, let id, let retries, let message):
            return object("job-failed", ["key": number(key), "elementId": .string(id), "retries": number(retries), "message": .string(message)])
        case .jobCancelled(let key, let id): return object("job-cancelled", ["key": number(key), "elementId": .string(id)])
        case .timerScheduled(let key, let id, let due):
            return object("timer-scheduled", ["key": number(key), "elementId": .string(id), "dueAt": .string(Temporal.formatDateTime(due))])
        case .timerCancelled(let key, let id): return object("timer-cancelled", ["key": number(key), "elementId": .string(id)])
        case .subscriptionOpened(let key, let id, let kind, let name, let correlation):
            return object("subscription-opened", [
                "key": number(key), "elementId": .string(id), "kind": .string(kind.rawValue), "name": .string(name),
                "correlationKey": text(correlation),
            ])
        case .subscriptionClosed(let key, let id, let kind, let name):
            return object("subscription-closed", ["key": number(key), "elementId": .string(id), "kind": .string(kind.rawValue), "name": .string(name)])
        case .messagePublished(let id, let name, let correlation, let variables):
            return object("message-published", [
                "elementId": .string(id), "name": .string(name), "correlationKey": text(correlation), "variables": .object(variables),
            ])
        case .signalBroadcast(let id, let name, let variables):
            return object("signal-broadcast", ["elementId": .string(id), "name": .string(name), "variables": .object(variables)])
        case .incidentRaised(let key, let id, let message):
            return object("incident-raised", ["key": number(key), "elementId": .string(id), "message": .string(message)])
        case .incidentResolved(let key, let id): return object("incident-resolved", ["key": number(key), "elementId": .string(id)])
        case .instanceCompleted(let id, let variables):
            return object("instance-completed", ["elementId": .string(id), "variables": .object(variables)])
        case .instanceTerminated(let id): return object("instance-terminated", ["elementId": .string(id)])
        }
    }
}
