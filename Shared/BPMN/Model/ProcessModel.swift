/// An executable view of one `<process>`: its nodes and flows by id, with the lookups the
/// executor needs precomputed (start events per scope, inclusive-join reachability).
///
/// Like `FlowNode`, a class that only the reader changes; immutable once read.
public final class ProcessModel: @unchecked Sendable {
    @exclusivity(unchecked) public internal(set) var id: String
    @exclusivity(unchecked) public internal(set) var name: String?
    @exclusivity(unchecked) public internal(set) var isExecutable: Bool
    @exclusivity(unchecked) public internal(set) var nodes: [String: FlowNode] = [:]
    @exclusivity(unchecked) public internal(set) var flows: [String: SequenceFlow] = [:]
    /// Nodes in document order, for listings and deterministic iteration.
    @exclusivity(unchecked) public internal(set) var nodeOrder: [String] = []
    /// The nodes in the same order, each at its `index`.
    @exclusivity(unchecked) public internal(set) var nodeList: [FlowNode] = []
    /// The process level's start events and event sub-processes.
    @exclusivity(unchecked) public internal(set) var startEvents: [String] = []
    @exclusivity(unchecked) public internal(set) var eventSubProcesses: [String] = []
    /// Link catch events by scope and link name.
    @exclusivity(unchecked) public internal(set) var linkTargets: [String: String] = [:]
    /// For every inclusive gateway with more than one incoming flow: the nodes from which a
    /// token could still reach it, so the join waits only for tokens that can still arrive.
    @exclusivity(unchecked) public internal(set) var inclusiveJoinUpstream: [String: Set<String>] = [:]
    /// Who may start the process from the cartable (Camunda 7's `candidateStarterGroups` and
    /// `candidateStarterUsers`); a process naming neither is started only by other systems.
    @exclusivity(unchecked) public internal(set) var candidateStarterGroups: [String] = []
    @exclusivity(unchecked) public internal(set) var candidateStarterUsers: [String] = []
    /// Flow ids in document order.
    @exclusivity(unchecked) public internal(set) var flowDocumentOrder: [String] = []

    public init(id: String, name: String?, isExecutable: Bool) {
        self.id = id
        self.name = name
        self.isExecutable = isExecutable
    }

    public func node(_ id: String) -> FlowNode? { nodes[id] }

    static func linkKey(scope: String?, name: String) -> String { "\(scope ?? "")#\(name)" }
}

/// A sequence flow, with its condition when it has one. A class like `FlowNode`, set only by the
/// reader.
public final class SequenceFlow: @unchecked Sendable {
    @exclusivity(unchecked) public internal(set) var id: String
    @exclusivity(unchecked) public internal(set) var name: String?
    @exclusivity(unchecked) public internal(set) var source: String
    @exclusivity(unchecked) public internal(set) var target: String
    @exclusivity(unchecked) public internal(set) var condition: Expression?
    /// The target's index in the process's `nodeList` (-1 when the target does not exist).
    @exclusivity(unchecked) public internal(set) var targetIndex = -1
    /// Whether the model wrote a condition (even one that could not be read).
    @exclusivity(unchecked) public internal(set) var hasConditionText = false

    init(id: String, name: String?, source: String, target: String) {
        self.id = id
        self.name = name
        self.source = source
        self.target = target
    }
}
