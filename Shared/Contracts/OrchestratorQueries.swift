/// One process instance as an employee or an auditor looks at it.
public struct GetInstance: QueryContract, Equatable {
    public typealias Reply = InstanceDetails
    public static let service = "orchestrator"
    public static let name = "get-instance"
    public static let kind = MessageKind.query
    public static let summary = "An instance with its state, active elements, open incidents, variables and history."
    public static let schema = JSONSchema.object(properties: ["instanceId": .string(format: .uuid)], required: ["instanceId"])
    public static var example: GetInstance { GetInstance(instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10") }
    public var instanceId: String
    public init(instanceId: String) { self.instanceId = instanceId }
}

/// The answer to `GetInstance`.
public struct InstanceDetails: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "instance-details"
    public static let kind = MessageKind.event
    public static let summary = "A process instance with its audit trail."
    public struct Step: Codable, Sendable, Equatable {
        public var elementId: String
        public var elementType: String
        public var event: String
        public var actor: String
        public var at: String
        public var variables: [String: JSONValue]?
        public init(elementId: String, elementType: String, event: String, actor: String, at: String, variables: [String: JSONValue]?) {
            (self.elementId, self.elementType, self.event, self.actor, self.at, self.variables) = (elementId, elementType, event, actor, at, variables)
        }
    }
    public struct OpenIncident: Codable, Sendable, Equatable {
        public var incidentId: String
        public var elementId: String
        public var message: String
        public init(incidentId: String, elementId: String, message: String) { (self.incidentId, self.elementId, self.message) = (incidentId, elementId, message) }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "summary": .instanceSummary, "active": .array(.string()),
            "incidents": .array(.object(properties: ["incidentId": .string(), "elementId": .string(), "message": .string()],
                required: ["incidentId", "elementId", "message"])),
            "variables": .any,
            "history": .array(.object(
                properties: ["elementId": .string(), "elementType": .string(), "event": .string(), "actor": .string(),
                    "at": .string(format: .dateTime), "variables": .nullable(.any)],
                required: ["elementId", "elementType", "event", "actor", "at"])),
        ], required: ["summary", "active", "incidents", "variables", "history"])
    public static var example: InstanceDetails {
        InstanceDetails(
            summary: .example, active: ["siteSurvey"], incidents: [], variables: ["customerId": .string("C-7")],
            history: [Step(elementId: "requested", elementType: "startEvent", event: "completed", actor: "user:sara", at: "2026-12-01T09:00:00Z", variables: nil)])
    }
    public var summary: InstanceSummary
    public var active: [String]
    public var incidents: [OpenIncident]
    public var variables: [String: JSONValue]
    public var history: [Step]
    public init(summary: InstanceSummary, active: [String], incidents: [OpenIncident], variables: [String: JSONValue], history: [Step]) {
        (self.summary, self.active, self.incidents, self.variables, self.history) = (summary, active, incidents, variables, history)
    }
}

/// An instance in a list.
public struct InstanceSummary: Codable, Sendable, Equatable {
    public var instanceId: String
    public var processId: String
    public var version: Int
    public var businessKey: String?
    /// `active`, `incident` (active with an open incident), `completed` or `terminated`.
    public var status: String
    public var startedAt: String
    public var endedAt: String?
    public static var example: InstanceSummary {
        InstanceSummary(instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", processId: "new-connection", version: 3, businessKey: "REQ-2026-0042",
            status: "active", startedAt: "2026-12-01T09:00:00Z", endedAt: nil)
    }
    public init(instanceId: String, processId: String, version: Int, businessKey: String?, status: String, startedAt: String, endedAt: String?) {
        (self.instanceId, self.processId, self.version, self.businessKey, self.status, self.startedAt, self.endedAt) =
            (instanceId, processId, version, businessKey, status, startedAt, endedAt)
    }
}

extension JSONSchema {
    static let instanceSummary = JSONSchema.object(
        properties: [
            "instanceId": .string(format: .uuid), "processId": .string(minLength: 1), "version": .integer(minimum: 1),
            "businessKey": .nullable(.string()), "status": .enumeration(["active", "incident", "completed", "terminated"]),
            "startedAt": .string(format: .dateTime), "endedAt": .nullable(.string(format: .dateTime)),
        ], required: ["instanceId", "processId", "version", "status", "startedAt"])
}

/// Instances by business key, process or status, newest first.
public struct FindInstances: QueryContract, Equatable {
    public typealias Reply = InstanceList
    public static let service = "orchestrator"
    public static let name = "find-instances"
    public static let kind = MessageKind.query
    public static let summary = "Instances by business key, process and status (incident: those with an open incident), newest first."
    public static let schema = JSONSchema.object(
        properties: [
            "businessKey": .nullable(.string()), "processId": .nullable(.string()),
            "status": .nullable(.enumeration(["active", "incident", "completed", "terminated"])), "limit": .nullable(.integer(minimum: 1, maximum: 1000)),
        ], required: [])
    public static var example: FindInstances { FindInstances(businessKey: nil, processId: "new-connection", status: "incident", limit: 50) }
    public var businessKey: String?
    public var processId: String?
    public var status: String?
    public var limit: Int?
    public init(businessKey: String?, processId: String?, status: String?, limit: Int?) {
        (self.businessKey, self.processId, self.status, self.limit) = (businessKey, processId, status, limit)
    }
}

/// The answer to `FindInstances`.
public struct InstanceList: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "instance-list"
    public static let kind = MessageKind.event
    public static let summary = "Process instances found."
    public static let schema = JSONSchema.object(properties: ["instances": .array(.instanceSummary)], required: ["instances"])
    public static var example: InstanceList { InstanceList(instances: [.example]) }
    public var instances: [InstanceSummary]
    public init(instances: [InstanceSummary]) { self.instances = instances }
}

/// The processes an employee may start from the cartable: the latest version of each whose
/// model names them, or one of their groups, as a candidate starter.
public struct ListStartableProcesses: QueryContract, Equatable {
    public typealias Reply = StartableProcesses
    public static let service = "orchestrator"
    public static let name = "list-startable-processes"
    public static let kind = MessageKind.query
    public static let summary = "The processes a user with these groups may start, with their start forms."
    public static let schema = JSONSchema.object(
        properties: ["username": .string(minLength: 1), "groups": .array(.string())], required: ["username", "groups"])
    public static var example: ListStartableProcesses { ListStartableProcesses(username: "sara", groups: ["registration-clerk"]) }
    public var username: String
    public var groups: [String]
    public init(username: String, groups: [String]) { (self.username, self.groups) = (username, groups) }
}

/// The answer to `ListStartableProcesses`.
public struct StartableProcesses: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "startable-processes"
    public static let kind = MessageKind.event
    public static let summary = "Processes that may be started, each with its start form."
    public struct Process: Codable, Sendable, Equatable {
        public var processId: String
        public var version: Int
        public var name: String?
        /// The start event's form as Camunda Forms JSON, when the model holds one.
        public var startForm: JSONValue?
        public init(processId: String, version: Int, name: String?, startForm: JSONValue?) {
            (self.processId, self.version, self.name, self.startForm) = (processId, version, name, startForm)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "processes": .array(.object(
                properties: ["processId": .string(minLength: 1), "version": .integer(minimum: 1), "name": .nullable(.string()), "startForm": .nullable(.any)],
                required: ["processId", "version"]))
        ], required: ["processes"])
    public static var example: StartableProcesses {
        StartableProcesses(processes: [Process(processId: "new-connection", version: 3, name: "New connection", startForm: nil)])
    }
    public var processes: [Process]
    public init(processes: [Process]) { self.processes = processes }
}

/// A deployed version's BPMN XML, for drawing its diagram.
public struct GetProcessDefinition: QueryContract, Equatable {
    public typealias Reply = ProcessDefinition
    public static let service = "orchestrator"
    public static let name = "get-process-definition"
    public static let kind = MessageKind.query
    public static let summary = "One deployed version of a process, with its BPMN XML."
    public static let schema = JSONSchema.object(
        properties: ["processId": .string(minLength: 1), "version": .integer(minimum: 1)], required: ["processId", "version"])
    public static var example: GetProcessDefinition { GetProcessDefinition(processId: "new-connection", version: 3) }
    public var processId: String
    public var version: Int
    public init(processId: String, version: Int) { (self.processId, self.version) = (processId, version) }
}

/// The answer to `GetProcessDefinition`.
public struct ProcessDefinition: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "process-definition"
    public static let kind = MessageKind.event
    public static let summary = "A deployed process version and its BPMN XML."
    public static let schema = JSONSchema.object(
        properties: ["processId": .string(minLength: 1), "version": .integer(minimum: 1), "name": .nullable(.string()), "xml": .string(minLength: 1)],
        required: ["processId", "version", "xml"])
    public static var example: ProcessDefinition {
        ProcessDefinition(processId: "new-connection", version: 3, name: "New connection", xml: "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"/>")
    }
    public var processId: String
    public var version: Int
    public var name: String?
    public var xml: String
    public init(processId: String, version: Int, name: String?, xml: String) {
        (self.processId, self.version, self.name, self.xml) = (processId, version, name, xml)
    }
}
