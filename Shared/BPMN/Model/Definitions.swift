/// A parsed BPMN document: its processes, the diagram, and what the reader noticed.
public struct Definitions: Sendable {
    public var id: String?
    public var targetNamespace: String?
    public var processes: [ProcessModel]
    public var diagram: Diagram
    /// Problems that do not stop a model from loading (descriptive models, ignored elements).
    public var warnings: [ModelProblem]

    /// The executable process to run: the one named, or the only (first) executable one.
    public func process(_ id: String? = nil) -> ProcessModel? {
        if let id { return processes.first { $0.id == id } }
        return processes.first { $0.isExecutable } ?? processes.first
    }
}

/// A problem in a model, naming the element.
public struct ModelProblem: Sendable, Hashable, CustomStringConvertible {
    public var elementId: String
    public var message: String
    public init(_ elementId: String, _ message: String) {
        self.elementId = elementId
        self.message = message
    }
    public var description: String { "\(elementId): \(message)" }
}

/// Why a document could not be loaded: every problem found, each naming its element.
public struct ModelRejected: Error, Sendable, CustomStringConvertible {
    public var problems: [ModelProblem]
    public init(_ problems: [ModelProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
