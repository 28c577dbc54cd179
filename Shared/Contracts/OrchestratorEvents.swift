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
            "form": .nullable(.any), "variables": .any,
        ],
        required: ["taskId", "instanceId", "processId", "version", "elementId", "candidateUsers", "candidateGroups", "priority", "variables"])
    public static var example: TaskCreated {
        TaskCreated(
            taskId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:3", instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", processId: "new-connection",
            processName: "New connection", version: 3, elementId: "siteSurvey", name: "Site survey", businessKey: "REQ-2026-0042",
            assignee: nil, candidateUsers: [], candidateGroups: ["field-technician"], dueDate: "2026-12-03T09:00:00Z", followUpDate: nil,
            priority: 50, formKey: "camunda-forms:bpmn:siteSurveyForm",
            form: .object(["components": .array([.object(["type": "number", "key": "distanceMetres", "label": "Distance to the network (m)",
                "validate": .object(["required": true, "min": .number(0)])])])]),
            variables: ["customerId": .string("C-7")])
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
    /// The form from the model, as Camunda Forms JSON, when the model holds it.
    public var form: JSONValue?
    public var variables: [String: JSONValue]

    public init(
        taskId: String, instanceId: String, processId: String, processName: String?, version: Int, elementId: String, name: String?,
        businessKey: String?, assignee: String?, candidateUsers: [String], candidateGroups: [String], dueDate: String?,
        followUpDate: String?, priority: Int, formKey: String?, form: JSONValue? = nil, variables: [String: JSONValue]
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
        self.form = form
        self.variables = variables
    }
}

/// A user task is claimed by, or handed to, an employee; a nil assignee gives it back to its
/// candidate users and groups.
public struct TaskAssigned: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "task-assigned"
    public static let kind = MessageKind.event
    public static let summary = "A user task is assigned to an employee, or given back to its candidates."
    public static let schema = JSONSchema.object(
        properties: [
            "taskId": .string(minLength: 3), "instanceId": .string(format: .uuid), "elementId": .string(minLength: 1),
            "assignee": .nullable(.string(minLength: 1)), "actor": .string(minLength: 1), "at": .string(format: .dateTime),
        ], required: ["taskId", "instanceId", "elementId", "actor", "at"])
    public static var example: TaskAssigned {
        TaskAssigned(taskId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:3", instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", elementId: "siteSurvey",
            assignee: "user:ali", actor: "user:maryam", at: "2026-12-01T09:30:00Z")
    }
    public var taskId: String
    public var instanceId: String
    public var elementId: String
    public var assignee: String?
    public var actor: String
    public var at: String
    public init(taskId: String, instanceId: String, elementId: String, assignee: String?, actor: String, at: String) {
        (self.taskId, self.instanceId, self.elementId, self.assignee, self.actor, self.at) = (taskId, instanceId, elementId, assignee, actor, at)
    }
}

/// A user task is completed by `actor` with the variables of its form.
public struct TaskCompleted: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "task-completed"
    public static let kind = MessageKind.event
    public static let summary = "A user task is completed, with who completed it and the variables it set."
    public static let schema = JSONSchema.object(
        properties: [
            "taskId": .string(minLength: 3), "instanceId": .string(format: .uuid), "elementId": .string(minLength: 1),
            "actor": .string(minLength: 1), "at": .string(format: .dateTime), "variables": .any,
        ], required: ["taskId", "instanceId", "elementId", "actor", "at", "variables"])
    public static var example: TaskCompleted {
        TaskCompleted(taskId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:3", instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", elementId: "siteSurvey",
            actor: "user:ali", at: "2026-12-01T10:00:00Z", variables: ["surveyed": .bool(true)])
    }
    public var taskId: String
    public var instanceId: String
    public var elementId: String
    public var actor: String
    public var at: String
    public var variables: [String: JSONValue]
    public init(taskId: String, instanceId: String, elementId: String, actor: String, at: String, variables: [String: JSONValue]) {
        (self.taskId, self.instanceId, self.elementId, self.actor, self.at, self.variables) = (taskId, instanceId, elementId, actor, at, variables)
    }
}

/// A user task was removed before completion: a boundary event, a terminate end event or a
/// cancel of its instance; `actor` caused that step.
public struct TaskCancelled: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "task-cancelled"
    public static let kind = MessageKind.event
    public static let summary = "A user task is removed before completion (boundary event, terminate, cancel)."
    public static let schema = JSONSchema.object(
        properties: [
            "taskId": .string(minLength: 3), "instanceId": .string(format: .uuid), "elementId": .string(minLength: 1),
            "actor": .string(minLength: 1), "at": .string(format: .dateTime),
        ], required: ["taskId", "instanceId", "elementId", "actor", "at"])
    public static var example: TaskCancelled {
        TaskCancelled(taskId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:3", instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", elementId: "siteSurvey",
            actor: "system:orchestrator", at: "2026-12-01T10:00:00Z")
    }
    public var taskId: String
    public var instanceId: String
    public var elementId: String
    public var actor: String
    public var at: String
    public init(taskId: String, instanceId: String, elementId: String, actor: String, at: String) {
        (self.taskId, self.instanceId, self.elementId, self.actor, self.at) = (taskId, instanceId, elementId, actor, at)
    }
}

/// An incident is raised: a job out of retries, an uncaught error, no branch to take.
public struct IncidentRaised: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "incident-raised"
    public static let kind = MessageKind.event
    public static let summary = "An incident stops a process instance at an element until someone resolves it."
    public static let schema = JSONSchema.object(
        properties: [
            "incidentId": .string(minLength: 3), "instanceId": .string(format: .uuid), "processId": .string(minLength: 1),
            "elementId": .string(minLength: 1), "message": .string(), "at": .string(format: .dateTime),
        ], required: ["incidentId", "instanceId", "processId", "elementId", "message", "at"])
    public static var example: IncidentRaised {
        IncidentRaised(incidentId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:7", instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10",
            processId: "new-connection", elementId: "installMeter", message: "the meter registry did not answer", at: "2026-12-01T10:00:00Z")
    }
    public var incidentId: String
    public var instanceId: String
    public var processId: String
    public var elementId: String
    public var message: String
    public var at: String
    public init(incidentId: String, instanceId: String, processId: String, elementId: String, message: String, at: String) {
        (self.incidentId, self.instanceId, self.processId, self.elementId, self.message, self.at) =
            (incidentId, instanceId, processId, elementId, message, at)
    }
}

/// An incident is resolved by `actor`; its element runs again.
public struct IncidentResolved: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "incident-resolved"
    public static let kind = MessageKind.event
    public static let summary = "An incident is resolved and its element runs again."
    public static let schema = JSONSchema.object(
        properties: [
            "incidentId": .string(minLength: 3), "instanceId": .string(format: .uuid), "processId": .string(minLength: 1),
            "elementId": .string(minLength: 1), "actor": .string(minLength: 1), "at": .string(format: .dateTime),
        ], required: ["incidentId", "instanceId", "processId", "elementId", "actor", "at"])
    public static var example: IncidentResolved {
        IncidentResolved(incidentId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:7", instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10",
            processId: "new-connection", elementId: "installMeter", actor: "operator:sara", at: "2026-12-01T11:00:00Z")
    }
    public var incidentId: String
    public var instanceId: String
    public var processId: String
    public var elementId: String
    public var actor: String
    public var at: String
    public init(incidentId: String, instanceId: String, processId: String, elementId: String, actor: String, at: String) {
        (self.incidentId, self.instanceId, self.processId, self.elementId, self.actor, self.at) =
            (incidentId, instanceId, processId, elementId, actor, at)
    }
}
