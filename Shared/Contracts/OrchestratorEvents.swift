/// A user task is open: everything an employee's inbox needs.
public struct TaskCreated: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "task-created"
    public static let kind = MessageKind.event
    public static let summary = "A user task is open, with its assignment, schedule, form and variables."
    public static let schema = JSONSchema.object(
        properties: [
            "taskId": .string(minLength: 3), "instanceId": .string(format: .uuid), "processId": .string(minLength: 1),
            "processName": .nullable(.string()), "version": .integer(minimum: 1), "elementId": .string(minLength: 1),
            "name": .nullable(.string()), "businessKey": .nullable(.string()), "assignee": .nullable(.string()),
            "candidateUsers": .array(.string()), "candidateGroups": .array(.string()), "dueDate": .nullable(.string()),
            "followUpDate": .nullable(.string()), "priority": .integer(minimum: 0, maximum: 100), "formKey": .nullable(.string()),
            "variables": .any,
        ],
        required: ["taskId", "instanceId", "processId", "version", "elementId", "candidateUsers", "candidateGroups", "priority", "variables"])
    public static var example: TaskCreated {
        TaskCreated(
            taskId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:3", instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", processId: "new-connection",
            processName: "New connection", version: 3, elementId: "siteSurvey", name: "Site survey", businessKey: "REQ-2026-0042",
            assignee: nil, candidateUsers: [], candidateGroups: ["field-technician"], dueDate: "2026-12-03T09:00:00Z", followUpDate: nil,
            priority: 50, formKey: "forms/site-survey", variables: ["customerId": .string("C-7")])
    }
    public var taskId: String
    public var instanceId: String
    public var processId: String
    public var processName: String?
    public var version: Int
    public var elementId: String
    public var name: String?
    public var businessKey: String?
    public var assignee: String?
    public var candidateUsers: [String]
    public var candidateGroups: [String]
    public var dueDate: String?
    public var followUpDate: String?
    public var priority: Int
    public var formKey: String?
    public var variables: [String: JSONValue]

    public init(
        taskId: String, instanceId: String, processId: String, processName: String?, version: Int, elementId: String, name: String?,
        businessKey: String?, assignee: String?, candidateUsers: [String], candidateGroups: [String], dueDate: String?,
        followUpDate: String?, priority: Int, formKey: String?, variables: [String: JSONValue]
    ) {
        self.taskId = taskId
        self.instanceId = instanceId
        self.processId = processId
        self.processName = processName
        self.version = version
        self.elementId = elementId
        self.name = name
        self.businessKey = businessKey
        self.assignee = assignee
        self.candidateUsers = candidateUsers
        self.candidateGroups = candidateGroups
        self.dueDate = dueDate
        self.followUpDate = followUpDate
        self.priority = priority
        self.formKey = formKey
        self.variables = variables
    }
}

/// A user task is no longer open: completed by `actor`, or cancelled (a boundary event, a
/// terminate end event or a cancel removed it).
public struct TaskEnded: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "task-ended"
    public static let kind = MessageKind.event
    public static let summary = "A user task is completed or cancelled."
    public static let schema = JSONSchema.object(
        properties: [
            "taskId": .string(minLength: 3), "instanceId": .string(format: .uuid), "elementId": .string(minLength: 1),
            "outcome": .enumeration(["completed", "cancelled"]), "actor": .string(minLength: 1), "at": .string(format: .dateTime),
        ], required: ["taskId", "instanceId", "elementId", "outcome", "actor", "at"])
    public static var example: TaskEnded {
        TaskEnded(taskId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:3", instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", elementId: "siteSurvey",
            outcome: "completed", actor: "user:ali", at: "2026-12-01T10:00:00Z")
    }
    public var taskId: String
    public var instanceId: String
    public var elementId: String
    public var outcome: String
    public var actor: String
    public var at: String
    public init(taskId: String, instanceId: String, elementId: String, outcome: String, actor: String, at: String) {
        (self.taskId, self.instanceId, self.elementId, self.outcome, self.actor, self.at) = (taskId, instanceId, elementId, outcome, actor, at)
    }
}

/// An incident is raised (a job out of retries, an uncaught error, no branch to take) or resolved.
public struct IncidentChanged: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "incident-changed"
    public static let kind = MessageKind.event
    public static let summary = "An incident of a process instance is raised or resolved."
    public static let schema = JSONSchema.object(
        properties: [
            "incidentId": .string(minLength: 3), "instanceId": .string(format: .uuid), "processId": .string(minLength: 1),
            "elementId": .string(minLength: 1), "status": .enumeration(["raised", "resolved"]), "message": .nullable(.string()),
            "at": .string(format: .dateTime),
        ], required: ["incidentId", "instanceId", "processId", "elementId", "status", "at"])
    public static var example: IncidentChanged {
        IncidentChanged(incidentId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:7", instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10",
            processId: "new-connection", elementId: "installMeter", status: "raised", message: "the meter registry did not answer",
            at: "2026-12-01T10:00:00Z")
    }
    public var incidentId: String
    public var instanceId: String
    public var processId: String
    public var elementId: String
    public var status: String
    public var message: String?
    public var at: String
    public init(incidentId: String, instanceId: String, processId: String, elementId: String, status: String, message: String?, at: String) {
        (self.incidentId, self.instanceId, self.processId, self.elementId, self.status, self.message, self.at) =
            (incidentId, instanceId, processId, elementId, status, message, at)
    }
}
