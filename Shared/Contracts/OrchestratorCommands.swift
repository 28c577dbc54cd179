/// An employee (through the cartable) completes a user task with the form's variables.
public struct CompleteTask: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "complete-task"
    public static let kind = MessageKind.command
    public static let summary = "Completes a user task with the variables of its form."
    public static let schema = JSONSchema.object(properties: ["taskId": .string(minLength: 3), "variables": .nullable(.any)], required: ["taskId"])
    public static var example: CompleteTask { CompleteTask(taskId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:3", variables: ["surveyed": .bool(true)]) }
    /// As `task-created` gave it: `<instance id>:<task key>`.
    public var taskId: String
    public var variables: [String: JSONValue]?
    public init(taskId: String, variables: [String: JSONValue]?) { (self.taskId, self.variables) = (taskId, variables) }
}

/// An employee claims a user task, or hands it to another expert; a nil assignee gives it back
/// to its candidate users and groups. Who may do so is the cartable's decision.
public struct AssignTask: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "assign-task"
    public static let kind = MessageKind.command
    public static let summary = "Assigns an open user task to an employee, or gives it back to its candidates."
    public static let schema = JSONSchema.object(
        properties: ["taskId": .string(minLength: 3), "assignee": .nullable(.string(minLength: 1))], required: ["taskId"])
    public static var example: AssignTask { AssignTask(taskId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:3", assignee: "user:ali") }
    public var taskId: String
    public var assignee: String?
    public init(taskId: String, assignee: String?) { (self.taskId, self.assignee) = (taskId, assignee) }
}

/// A worker could not do a job; with no retries left the job becomes an incident.
public struct FailJob: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "fail-job"
    public static let kind = MessageKind.command
    public static let summary = "A worker reports a job failed, with the retries left and why."
    public static let schema = JSONSchema.object(
        properties: ["jobId": .string(minLength: 3), "retries": .integer(minimum: 0), "message": .string()], required: ["jobId", "retries", "message"])
    public static var example: FailJob { FailJob(jobId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:4", retries: 2, message: "the meter registry did not answer") }
    public var jobId: String
    public var retries: Int
    public var message: String
    public init(jobId: String, retries: Int, message: String) { (self.jobId, self.retries, self.message) = (jobId, retries, message) }
}

/// A worker (or an employee) ends a job or task with a BPMN error a boundary event may catch.
public struct ThrowError: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "throw-error"
    public static let kind = MessageKind.command
    public static let summary = "Ends a job or user task with a business error, caught by a boundary event or event sub-process."
    public static let schema = JSONSchema.object(
        properties: ["jobId": .string(minLength: 3), "code": .string(minLength: 1), "message": .nullable(.string())], required: ["jobId", "code"])
    public static var example: ThrowError { ThrowError(jobId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:4", code: "METER_DEFECT", message: "seal broken") }
    /// A job id or a task id.
    public var jobId: String
    public var code: String
    public var message: String?
    public init(jobId: String, code: String, message: String?) { (self.jobId, self.code, self.message) = (jobId, code, message) }
}

/// Runs the step of an incident again: the job with new retries, or the element's behaviour.
public struct ResolveIncident: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "resolve-incident"
    public static let kind = MessageKind.command
    public static let summary = "Resolves an incident: the failed job is retried, or the failed step run again."
    public static let schema = JSONSchema.object(
        properties: ["incidentId": .string(minLength: 3), "retries": .nullable(.integer(minimum: 1))], required: ["incidentId"])
    public static var example: ResolveIncident { ResolveIncident(incidentId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:7", retries: 3) }
    /// As `incident-raised` gave it: `<instance id>:<incident key>`.
    public var incidentId: String
    public var retries: Int?
    public init(incidentId: String, retries: Int?) { (self.incidentId, self.retries) = (incidentId, retries) }
}

/// Ends an instance and everything in it.
public struct CancelInstance: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "cancel-instance"
    public static let kind = MessageKind.command
    public static let summary = "Cancels a process instance: its tasks, jobs, timers and subscriptions end."
    public static let schema = JSONSchema.object(properties: ["instanceId": .string(format: .uuid)], required: ["instanceId"])
    public static var example: CancelInstance { CancelInstance(instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10") }
    public var instanceId: String
    public init(instanceId: String) { self.instanceId = instanceId }
}

/// Sets variables of an instance (a clerk corrects data, a resolver fixes an incident's cause).
public struct SetVariables: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "set-variables"
    public static let kind = MessageKind.command
    public static let summary = "Sets variables of a process instance."
    public static let schema = JSONSchema.object(
        properties: ["instanceId": .string(format: .uuid), "variables": .any], required: ["instanceId", "variables"])
    public static var example: SetVariables { SetVariables(instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", variables: ["distance": .number(30)]) }
    public var instanceId: String
    public var variables: [String: JSONValue]
    public init(instanceId: String, variables: [String: JSONValue]) { (self.instanceId, self.variables) = (instanceId, variables) }
}

/// A message for the process instances: it goes to the oldest subscription with its name and
/// correlation key, or, when none waits yet, is kept for its time to live (as Camunda 8 does).
public struct CorrelateMessage: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "correlate-message"
    public static let kind = MessageKind.command
    public static let summary = "Correlates a message to the instance waiting for it, or keeps it for its time to live."
    public static let schema = JSONSchema.object(
        properties: [
            "name": .string(minLength: 1), "correlationKey": .nullable(.string()), "variables": .nullable(.any),
            "timeToLive": .nullable(.string(pattern: "^P")),
        ], required: ["name"])
    public static var example: CorrelateMessage {
        CorrelateMessage(name: "payment-received", correlationKey: "BILL-9", variables: ["amount": .number(4500)], timeToLive: "PT1H")
    }
    public var name: String
    public var correlationKey: String?
    public var variables: [String: JSONValue]?
    /// An ISO 8601 duration (`PT1H`); none or zero: dropped when nothing waits.
    public var timeToLive: String?
    public init(name: String, correlationKey: String?, variables: [String: JSONValue]?, timeToLive: String?) {
        (self.name, self.correlationKey, self.variables, self.timeToLive) = (name, correlationKey, variables, timeToLive)
    }
}

/// A signal for every instance waiting for it.
public struct BroadcastSignal: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "broadcast-signal"
    public static let kind = MessageKind.command
    public static let summary = "Broadcasts a signal to every process instance waiting for it."
    public static let schema = JSONSchema.object(properties: ["name": .string(minLength: 1), "variables": .nullable(.any)], required: ["name"])
    public static var example: BroadcastSignal { BroadcastSignal(name: "storm-warning", variables: nil) }
    public var name: String
    public var variables: [String: JSONValue]?
    public init(name: String, variables: [String: JSONValue]?) { (self.name, self.variables) = (name, variables) }
}
