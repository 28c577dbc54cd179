import Forms
/// One flow node of a process (event, activity or gateway) as the reader compiled it.
///
/// A class, so the executor passes nodes around without copying their many fields. Only the
/// reader sets its properties, before the model leaves it; from then on a node never changes,
/// which is why it may be shared across threads, and why its properties skip the run-time
/// exclusivity checks (a fifth of the executor's time went to them).
public final class FlowNode: @unchecked Sendable {
    public enum Kind: String, Sendable, Codable {
        case startEvent, endEvent, intermediateCatchEvent, intermediateThrowEvent, boundaryEvent
        case task, userTask, serviceTask, sendTask, receiveTask, scriptTask, businessRuleTask, manualTask
        case subProcess, eventSubProcess, callActivity
        case exclusiveGateway, parallelGateway, inclusiveGateway, eventBasedGateway

        /// Activities can carry boundary events, mappings and multi-instance.
        public var isActivity: Bool {
            switch self {
            case .task, .userTask, .serviceTask, .sendTask, .receiveTask, .scriptTask, .businessRuleTask, .manualTask,
                .subProcess, .eventSubProcess, .callActivity: true
            default: false
            }
        }

        /// The element type in effects and history, as BPMN names it.
        public var bpmnName: String { rawValue }
    }

    @exclusivity(unchecked) public internal(set) var id: String
    @exclusivity(unchecked) public internal(set) var name: String?
    @exclusivity(unchecked) public internal(set) var kind: Kind
    /// The sub-process that contains this node; nil for the process level.
    @exclusivity(unchecked) public internal(set) var scope: String?
    /// The node's position in its process's `nodeList`, for lookups without hashing.
    @exclusivity(unchecked) public internal(set) var index = -1
    @exclusivity(unchecked) public internal(set) var incoming: [String] = []
    @exclusivity(unchecked) public internal(set) var outgoing: [String] = []
    /// The outgoing flows themselves, in the order of `outgoing`.
    @exclusivity(unchecked) public internal(set) var outgoingFlows: [SequenceFlow] = []
    /// The default flow of a gateway or activity.
    @exclusivity(unchecked) public internal(set) var defaultFlow: String?
    /// For events: what triggers or is thrown.
    @exclusivity(unchecked) public internal(set) var trigger: EventTrigger?
    /// For boundary events.
    @exclusivity(unchecked) public internal(set) var attachedTo: String?
    @exclusivity(unchecked) public internal(set) var cancelActivity = true
    /// For activities: their boundary events, in document order.
    @exclusivity(unchecked) public internal(set) var boundaryEvents: [String] = []
    /// For event sub-process start events: whether the sub-process interrupts its scope.
    @exclusivity(unchecked) public internal(set) var isInterrupting = true
    /// For sub-processes: their start events and event sub-processes.
    @exclusivity(unchecked) public internal(set) var startEvents: [String] = []
    @exclusivity(unchecked) public internal(set) var eventSubProcesses: [String] = []
    /// For a sub-process without a start event: the elements without incoming flows, which all
    /// start at once, as BPMN allows.
    @exclusivity(unchecked) public internal(set) var implicitStarts: [String] = []
    @exclusivity(unchecked) public internal(set) var job: JobDefinition?
    @exclusivity(unchecked) public internal(set) var userTask: UserTaskDefinition?
    /// A start event's form, filled in by whoever starts the process from the cartable.
    @exclusivity(unchecked) public internal(set) var startForm: Form?
    @exclusivity(unchecked) public internal(set) var startFormKey: String?
    /// An error catch event's variables for the caught error's code and message
    /// (`camunda:errorCodeVariable`, `camunda:errorMessageVariable`).
    @exclusivity(unchecked) public internal(set) var errorCodeVariable: String?
    @exclusivity(unchecked) public internal(set) var errorMessageVariable: String?
    @exclusivity(unchecked) public internal(set) var inputs: [VariableMapping] = []
    @exclusivity(unchecked) public internal(set) var outputs: [VariableMapping] = []
    @exclusivity(unchecked) public internal(set) var multiInstance: MultiInstanceDefinition?
    @exclusivity(unchecked) public internal(set) var script: ScriptDefinition?
    @exclusivity(unchecked) public internal(set) var call: CallDefinition?

    public init(id: String, name: String?, kind: Kind, scope: String?) {
        self.id = id
        self.name = name
        self.kind = kind
        self.scope = scope
    }
}

/// What an event waits for or throws.
public enum EventTrigger: Sendable {
    case none
    /// `correlationKey` is evaluated when the subscription opens (catch events only).
    case message(name: String, correlationKey: Expression?)
    case timer(TimerDefinition)
    case signal(name: String)
    /// A nil code catches every error.
    case error(code: String?)
    case escalation(code: String?)
    case terminate
    case link(name: String)
}

/// `timeDate`, `timeDuration` or `timeCycle`: an ISO 8601 text or a FEEL expression.
public struct TimerDefinition: Sendable {
    public enum Kind: String, Sendable { case date, duration, cycle }
    public var kind: Kind
    public var expression: Expression
}

/// A service, send, business-rule task, or message throw event, handed to a worker as a job.
public struct JobDefinition: Sendable {
    public var type: Expression
    public var retries: Expression
    public var headers: [(key: String, value: String)]
}

/// A user task's assignment, schedule and form.
public struct UserTaskDefinition: Sendable {
    public var assignee: Expression?
    public var candidateUsers: Expression?
    public var candidateGroups: Expression?
    public var dueDate: Expression?
    public var followUpDate: Expression?
    public var priority: Expression?
    public var formKey: String?
    /// The form drawn from the model, when it holds one (embedded Camunda Forms or `formData`).
    public var form: Form?
}

/// An input or output mapping: `target` is set to the value of `source`.
public struct VariableMapping: Sendable {
    public var source: Expression
    public var target: String
}

/// A multi-instance activity over a collection.
public struct MultiInstanceDefinition: Sendable {
    public var isSequential: Bool
    public var inputCollection: Expression?
    /// When there is no collection: how many instances (`loopCardinality`).
    public var cardinality: Expression?
    public var inputElement: String?
    public var outputCollection: String?
    public var outputElement: Expression?
    public var completionCondition: Expression?
}

/// A script task: a FEEL expression whose value goes into a variable.
public struct ScriptDefinition: Sendable {
    public var expression: Expression
    public var resultVariable: String
}

/// A call activity: the process it starts and the variables that cross.
public struct CallDefinition: Sendable {
    public var processId: Expression
    /// nil: the latest version at the time of the call.
    public var version: Int?
    /// Whether all child variables come back when there are no output mappings.
    public var propagateAllChildVariables: Bool
    /// Whether all parent variables go in when there are no input mappings.
    public var propagateAllParentVariables: Bool
}
