/// Starts an instance of a deployed process: its latest version, or the one named.
public struct StartProcess: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "start-process"
    public static let kind = MessageKind.command
    public static let summary = "Starts an instance of a deployed process with a business key and variables."
    public static let schema = JSONSchema.object(
        properties: [
            "processId": .string(minLength: 1), "version": .nullable(.integer(minimum: 1)), "businessKey": .nullable(.string()),
            "variables": .nullable(.any),
        ], required: ["processId"])
    public static var example: StartProcess {
        StartProcess(processId: "new-connection", version: nil, businessKey: "REQ-2026-0042", variables: ["customerId": .string("C-7")])
    }

    public var processId: String
    public var version: Int?
    /// The utility's own reference (a request number), to find the instance by.
    public var businessKey: String?
    public var variables: [String: JSONValue]?

    public init(processId: String, version: Int?, businessKey: String?, variables: [String: JSONValue]?) {
        self.processId = processId
        self.version = version
        self.businessKey = businessKey
        self.variables = variables
    }
}

/// A worker finished a job: its result variables go into the instance.
public struct CompleteJob: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "complete-job"
    public static let kind = MessageKind.command
    public static let summary = "A worker reports a job done, with the variables it produced."
    public static let schema = JSONSchema.object(
        properties: ["jobId": .string(minLength: 3), "variables": .nullable(.any)], required: ["jobId"])
    public static var example: CompleteJob { CompleteJob(jobId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:4", variables: ["meterId": .string("M-9")]) }

    /// As the job command gave it: `<instance id>:<job key>`.
    public var jobId: String
    public var variables: [String: JSONValue]?

    public init(jobId: String, variables: [String: JSONValue]?) {
        self.jobId = jobId
        self.variables = variables
    }
}

/// Work for a service: sent to the routing key that is the job type of a service task
/// (`registration.install-meter`, wire type `registration.install-meter.v1`).
public struct WorkerJob: MessageContract, Equatable {
    public static let service = "{service}"
    public static let name = "job"
    public static let kind = MessageKind.command
    public static let summary = "A job of a process for the service its type names; answered by orchestrator.complete-job."
    public static let schema = JSONSchema.object(
        properties: [
            "jobId": .string(minLength: 3), "type": .string(minLength: 1), "instanceId": .string(format: .uuid),
            "processId": .string(minLength: 1), "version": .integer(minimum: 1), "elementId": .string(minLength: 1),
            "businessKey": .nullable(.string()), "retries": .integer(minimum: 0), "headers": .any, "variables": .any,
        ], required: ["jobId", "type", "instanceId", "processId", "version", "elementId", "retries", "headers", "variables"])
    public static var example: WorkerJob {
        WorkerJob(
            jobId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10:4", type: "registration.install-meter",
            instanceId: "6f1c2b1e-7d4a-4c55-9a61-0b8d3e2f4a10", processId: "new-connection", version: 3, elementId: "installMeter",
            businessKey: "REQ-2026-0042", retries: 3, headers: ["team": "north"], variables: ["customerId": .string("C-7")])
    }

    public var jobId: String
    public var type: String
    public var instanceId: String
    public var processId: String
    public var version: Int
    public var elementId: String
    public var businessKey: String?
    public var retries: Int
    public var headers: [String: String]
    public var variables: [String: JSONValue]

    public init(
        jobId: String, type: String, instanceId: String, processId: String, version: Int, elementId: String, businessKey: String?,
        retries: Int, headers: [String: String], variables: [String: JSONValue]
    ) {
        self.jobId = jobId
        self.type = type
        self.instanceId = instanceId
        self.processId = processId
        self.version = version
        self.elementId = elementId
        self.businessKey = businessKey
        self.retries = retries
        self.headers = headers
        self.variables = variables
    }
}
