/// Deploys a BPMN document: each executable process in it becomes a new version of its process
/// id, unless the same bytes were deployed before.
public struct DeployProcess: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "deploy"
    public static let kind = MessageKind.command
    public static let summary = "Validates a BPMN 2.0 document and stores each executable process in it as a new version."
    public static let schema = JSONSchema.object(
        properties: ["fileName": .string(minLength: 1, maxLength: 255), "xml": .string(minLength: 1)], required: ["fileName", "xml"])
    public static var example: DeployProcess {
        DeployProcess(fileName: "new-connection.bpmn", xml: #"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">...</definitions>"#)
    }

    /// Where the document comes from, for operators (`new-connection.bpmn`).
    public var fileName: String
    /// The BPMN 2.0 XML, as Camunda Modeler or bpmn.io saves it.
    public var xml: String

    public init(fileName: String, xml: String) {
        self.fileName = fileName
        self.xml = xml
    }
}

/// A process definition is deployed: a new version, or `unchanged` when the same bytes were.
public struct ProcessDeployed: MessageContract, Equatable {
    public static let service = "orchestrator"
    public static let name = "process-deployed"
    public static let kind = MessageKind.event
    public static let summary = "A process definition version is stored (or was already, for the same bytes)."
    public static let schema = JSONSchema.object(
        properties: [
            "processId": .string(minLength: 1), "name": .nullable(.string()), "version": .integer(minimum: 1),
            "fileName": .string(minLength: 1), "unchanged": .boolean, "deployedBy": .string(minLength: 1),
            "deployedAt": .string(format: .dateTime),
        ], required: ["processId", "version", "fileName", "unchanged", "deployedBy", "deployedAt"])
    public static var example: ProcessDeployed {
        ProcessDeployed(
            processId: "new-connection", name: "New connection", version: 3, fileName: "new-connection.bpmn", unchanged: false,
            deployedBy: "operator:sara", deployedAt: "2026-12-01T09:00:00Z")
    }

    public var processId: String
    public var name: String?
    public var version: Int
    public var fileName: String
    public var unchanged: Bool
    public var deployedBy: String
    public var deployedAt: String

    public init(processId: String, name: String?, version: Int, fileName: String, unchanged: Bool, deployedBy: String, deployedAt: String) {
        self.processId = processId
        self.name = name
        self.version = version
        self.fileName = fileName
        self.unchanged = unchanged
        self.deployedBy = deployedBy
        self.deployedAt = deployedAt
    }
}
