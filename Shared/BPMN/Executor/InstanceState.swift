import Contracts

/// The whole state of one process instance: plain values, Codable as compact JSON, so the
/// orchestrator can store it in one row and any replica can continue it.
public struct InstanceState: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case active, completed, terminated }

    /// The process (and its version) of the instance, then of each called process.
    public var models: [ModelReference]
    public var status: Status
    /// The next key handed to an element instance, subscription or incident.
    public var nextKey: Int
    /// Active element instances by key; key 0 is the process instance itself.
    public var elements: ElementTable
    public var subscriptions: [Int: Subscription]
    /// Tokens that reached a joining gateway and wait for the others.
    public var joins: [JoinArrival]
    public var incidents: [Int: Incident]

    /// The variables of the process instance.
    public var variables: [String: JSONValue] { elements[0]?.variables ?? [:] }

    /// `completed`, `terminated`, `incident` (active with an open incident) or `active`.
    public var summary: String {
        if status != .active { return status.rawValue }
        return incidents.isEmpty ? "active" : "incident"
    }

    /// The ids of the elements that hold a token, oldest first (the process instance excluded).
    public var activeElementIds: [String] {
        elements.values.compactMap { $0.key == 0 || $0.isMultiInstanceBody ? nil : $0.elementId } + joins.map(\.gateway)
    }

    enum CodingKeys: String, CodingKey { case models, status, nextKey, elements, subscriptions, joins, incidents }

    init(models: [ModelReference]) {
        self.models = models
        status = .active
        nextKey = 1
        elements = ElementTable()
        subscriptions = [:]
        joins = []
        incidents = [:]
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        models = try container.decode([ModelReference].self, forKey: .models)
        status = try container.decode(Status.self, forKey: .status)
        nextKey = try container.decode(Int.self, forKey: .nextKey)
        elements = ElementTable(try container.decode([ElementInstance].self, forKey: .elements))
        subscriptions = Dictionary(uniqueKeysWithValues: try container.decode([Subscription].self, forKey: .subscriptions).map { ($0.key, $0) })
        joins = try container.decode([JoinArrival].self, forKey: .joins)
        incidents = Dictionary(uniqueKeysWithValues: try container.decode([Incident].self, forKey: .incidents).map { ($0.key, $0) })
    }

    // Keyed collections are written as arrays in key order: compact, and the same state always
    // gives the same bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(models, forKey: .models)
        try container.encode(status, forKey: .status)
        try container.encode(nextKey, forKey: .nextKey)
        try container.encode(elements.values, forKey: .elements)
        try container.encode(subscriptions.keys.sorted().map { subscriptions[$0]! }, forKey: .subscriptions)
        try container.encode(joins, forKey: .joins)
        try container.encode(incidents.keys.sorted().map { incidents[$0]! }, forKey: .incidents)
    }
}

/// A process definition an instance runs: its id and the deployed version.
public struct ModelReference: Sendable, Codable, Equatable {
    public var processId: String
    public var version: Int
}

/// An element that holds a token, or a scope (process, sub-process, call activity, the body of
/// a multi-instance activity).
public struct ElementInstance: Sendable, Codable, Equatable {
    public enum Wait: String, Sendable, Codable {
        /// Running its children (sub-process, call activity, multi-instance body).
        case children
        case userTask, job, message, timer, signal, eventGateway
        /// Stopped by an incident; resolving it runs the element's behaviour again.
        case incident
    }

    public var key: Int
    public var elementId: String
    /// The element's index in its process's `nodeList` (-1 for the process instance).
    public var node: Int
    /// The scope it runs in: the key of its process, sub-process, call activity or body.
    public var scope: Int
    /// Index into `InstanceState.models` of the process the element belongs to.
    public var model: Int
    public var wait: Wait?
    /// Local variables: input mappings, a sub-process's own, a multi-instance element's item.
    public var variables: [String: JSONValue]
    /// For a multi-instance body.
    public var multiInstance: MultiInstanceProgress?
    /// For a job: the retries left; for a user task: who has it.
    public var retries: Int?
    /// For a call activity: the index of the called process in `models`.
    public var calledModel: Int?
    /// Whether this is one instance inside a multi-instance body (nil: no).
    public var inner: Bool?

    public var isInnerInstance: Bool { inner == true }

    public var isMultiInstanceBody: Bool { multiInstance != nil }

    init(key: Int, node: FlowNode?, elementId: String, scope: Int, model: Int, wait: Wait?, variables: [String: JSONValue]) {
        self.key = key
        self.node = node?.index ?? -1
        self.elementId = elementId
        self.scope = scope
        self.model = model
        self.wait = wait
        self.variables = variables
    }
}

/// How far a multi-instance activity is.
public struct MultiInstanceProgress: Sendable, Codable, Equatable {
    public var items: [JSONValue]
    public var started: Int
    public var completed: Int
    public var results: [JSONValue]
}

/// Something an element waits for, or may be interrupted by: a timer, a message or a signal.
public struct Subscription: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case timer, message, signal }
    public var key: Int
    public var kind: Kind
    /// The element instance it belongs to; it closes when that one ends.
    public var owner: Int
    /// The event that the subscription triggers (a catch, boundary or start event).
    public var eventId: String
    public var model: Int
    /// Message or signal name.
    public var name: String?
    public var correlationKey: String?
    /// For timers: when it fires, and for cycles the interval and the repetitions left.
    public var dueAt: Double?
    public var interval: Double?
    public var repetitionsLeft: Int?
}

/// A token waiting at a parallel or inclusive join, by the flow it came on.
public struct JoinArrival: Sendable, Codable, Equatable {
    public var scope: Int
    public var gateway: String
    public var model: Int
    public var flows: [String]
}

/// A step that cannot go on without help: a job out of retries, an uncaught error, a gateway
/// with no branch to take.
public struct Incident: Sendable, Codable, Equatable {
    public var key: Int
    public var element: Int
    public var elementId: String
    public var message: String
    /// Whether it came from a job, so resolving it creates the job again.
    public var isJob: Bool
}
