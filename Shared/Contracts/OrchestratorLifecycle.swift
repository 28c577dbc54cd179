/// A process instance started: for reports and for services that follow a customer's cases.
public struct ProcessStarted: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "process-started"
    public static let kind = MessageKind.event
    public static let summary = "A process instance started, by whom, with its variables."
    public static let schema = JSONSchema.object(
        properties: [
            "instanceId": .string(format: .uuid), "processId": .string(minLength: 1), "processName": .nullable(.string()),
            "version": .integer(minimum: 1), "businessKey": .nullable(.string()), "startedBy": .string(minLength: 1),
            "at": .string(format: .dateTime), "variables": .any,
        ], required: ["instanceId", "processId", "version", "startedBy", "at", "variables"])
    public static var example: ProcessStarted {
        ProcessStarted(
            instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", processId: "new-connection", processName: "New connection", version: 3,
            businessKey: "REQ-2026-0042", startedBy: "user:maryam", at: "2026-12-01T09:00:00Z", variables: ["customerId": .string("C-7")])
    }
    public var instanceId: String
    public var processId: String
    public var processName: String?
    public var version: Int
    public var businessKey: String?
    public var startedBy: String
    public var at: String
    public var variables: [String: JSONValue]
    public init(
        instanceId: String, processId: String, processName: String?, version: Int, businessKey: String?, startedBy: String, at: String,
        variables: [String: JSONValue]
    ) {
        (self.instanceId, self.processId, self.processName, self.version, self.businessKey) = (instanceId, processId, processName, version, businessKey)
        (self.startedBy, self.at, self.variables) = (startedBy, at, variables)
    }
}

/// A process instance reached its end, with its final variables.
public struct ProcessCompleted: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "process-completed"
    public static let kind = MessageKind.event
    public static let summary = "A process instance completed, with its final variables."
    public static let schema = JSONSchema.object(
        properties: [
            "instanceId": .string(format: .uuid), "processId": .string(minLength: 1), "version": .integer(minimum: 1),
            "businessKey": .nullable(.string()), "at": .string(format: .dateTime), "variables": .any,
        ], required: ["instanceId", "processId", "version", "at", "variables"])
    public static var example: ProcessCompleted {
        ProcessCompleted(
            instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", processId: "new-connection", version: 3, businessKey: "REQ-2026-0042",
            at: "2026-12-04T15:00:00Z", variables: ["customerId": .string("C-7"), "meterInstalled": .bool(true)])
    }
    public var instanceId: String
    public var processId: String
    public var version: Int
    public var businessKey: String?
    public var at: String
    public var variables: [String: JSONValue]
    public init(instanceId: String, processId: String, version: Int, businessKey: String?, at: String, variables: [String: JSONValue]) {
        (self.instanceId, self.processId, self.version, self.businessKey, self.at, self.variables) =
            (instanceId, processId, version, businessKey, at, variables)
    }
}

/// A process instance was stopped before its end: cancelled by `actor`, or by a terminate end
/// event in the step `actor` caused.
public struct ProcessTerminated: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "process-terminated"
    public static let kind = MessageKind.event
    public static let summary = "A process instance was cancelled or reached a terminate end event."
    public static let schema = JSONSchema.object(
        properties: [
            "instanceId": .string(format: .uuid), "processId": .string(minLength: 1), "version": .integer(minimum: 1),
            "businessKey": .nullable(.string()), "actor": .string(minLength: 1), "at": .string(format: .dateTime),
        ], required: ["instanceId", "processId", "version", "actor", "at"])
    public static var example: ProcessTerminated {
        ProcessTerminated(
            instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", processId: "new-connection", version: 3, businessKey: "REQ-2026-0042",
            actor: "user:maryam", at: "2026-12-02T08:00:00Z")
    }
    public var instanceId: String
    public var processId: String
    public var version: Int
    public var businessKey: String?
    public var actor: String
    public var at: String
    public init(instanceId: String, processId: String, version: Int, businessKey: String?, actor: String, at: String) {
        (self.instanceId, self.processId, self.version, self.businessKey, self.actor, self.at) =
            (instanceId, processId, version, businessKey, actor, at)
    }
}
