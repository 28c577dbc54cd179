/// An executable view of one `<process>`: its nodes and flows by id, with the lookups the
/// executor needs precomputed (start events per scope, inclusive-join reachability).
public struct ProcessModel: Sendable {
    public var id: String
    public var name: String?
    public var isExecutable: Bool
    public var nodes: [String: FlowNode] = [:]
    public var flows: [String: SequenceFlow] = [:]
    /// Nodes in document order, for listings and deterministic iteration.
    public var nodeOrder: [String] = []
    /// The process level's start events and event sub-processes.
    public var startEvents: [String] = []
    public var eventSubProcesses: [String] = []
    /// Link catch events by scope and link name.
    public var linkTargets: [String: String] = [:]
    /// For every inclusive gateway with more than one incoming flow: the nodes from which a
    /// token could still reach it, so the join waits only for tokens that can still arrive.
    public var inclusiveJoinUpstream: [String: Set<String>] = [:]
    /// Flow ids in document order.
    public var flowDocumentOrder: [String] = []

    public init(id: String, name: String?, isExecutable: Bool) {
        self.id = id
        self.name = name
        self.isExecutable = isExecutable
    }

    public func node(_ id: String) -> FlowNode? { nodes[id] }

    static func linkKey(scope: String?, name: String) -> String { "\(scope ?? "")#\(name)" }
}

/// A sequence flow, with its condition when it has one.
public struct SequenceFlow: Sendable {
    public var id: String
    public var name: String?
    public var source: String
    public var target: String
    public var condition: Expression?
    /// Whether the model wrote a condition (even one that could not be read).
    public var hasConditionText = false
}
