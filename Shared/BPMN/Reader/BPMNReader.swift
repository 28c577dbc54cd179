/// Reads BPMN 2.0 XML into `Definitions`: the processes compiled for the executor, the diagram,
/// and every problem found, each naming its element. A document whose executable processes have
/// problems is refused (`ModelRejected`); a descriptive one (`isExecutable="false"`) loads with
/// its problems as warnings, for diagrams and documentation.
public struct BPMNReader {
    public static func read(_ bytes: [UInt8], limits: SafeXMLParser.Limits = .init()) throws(ModelRejected) -> Definitions {
        let root: XMLElement
        do {
            root = try SafeXMLParser.parse(bytes, limits: limits)
        } catch {
            throw ModelRejected([ModelProblem("document", error.description)])
        }
        guard root.namespace == Namespace.bpmn, root.name == "definitions" else {
            throw ModelRejected([ModelProblem("document", "the root element is <\(root.name)>, not BPMN 2.0 <definitions>")])
        }
        var reader = BPMNReader(root: root)
        return try reader.definitions()
    }

    public static func read(_ text: String) throws(ModelRejected) -> Definitions { try read(Array(text.utf8)) }

    let root: XMLElement
    var messages: [String: XMLElement] = [:]
    var errors: [String: String?] = [:]
    var signals: [String: String] = [:]
    var escalations: [String: String?] = [:]
    /// Problems of the process being read.
    var problems: [ModelProblem] = []
    /// The document's expression language when it declares one that is not FEEL (XPath, Groovy).
    var foreignLanguage: String?
    /// The `zeebe:userTaskForm` documents of the process being read.
    var embeddedForms: [String: String] = [:]

    private init(root: XMLElement) {
        self.root = root
        if let language = root["expressionLanguage"], !language.lowercased().contains("feel") {
            foreignLanguage = language
        }
        for element in root.children where element.namespace == Namespace.bpmn {
            guard let id = element["id"] else { continue }
            switch element.name {
            case "message": messages[id] = element
            case "error": errors[id] = element["errorCode"]
            case "signal": signals[id] = element["name"] ?? id
            case "escalation": escalations[id] = element["escalationCode"]
            default: break
            }
        }
    }

    private mutating func definitions() throws(ModelRejected) -> Definitions {
        var processes: [ProcessModel] = []
        var warnings: [ModelProblem] = []
        var rejected: [ModelProblem] = []
        for element in root.children("process", in: Namespace.bpmn) {
            problems = []
            let process = readProcess(element)
            // The validator's findings on an element the reader already faulted would only repeat it.
            let faulted = Set(problems.map(\.elementId))
            let found = problems + ModelValidator.validate(process).filter { !faulted.contains($0.elementId) }
            if process.isExecutable { rejected += found } else { warnings += found }
            processes.append(process)
        }
        for element in root.children where element.namespace == Namespace.bpmn && ["choreography", "globalTask", "globalUserTask"].contains(element.name) {
            warnings.append(ModelProblem(element["id"] ?? element.name, "<\(element.name)> is descriptive and is not run"))
        }
        if processes.isEmpty && root.children("collaboration", in: Namespace.bpmn).isEmpty {
            rejected.append(ModelProblem(root["id"] ?? "definitions", "the document has no <process>"))
        }
        guard rejected.isEmpty else { throw ModelRejected(rejected) }
        return Definitions(
            id: root["id"], targetNamespace: root["targetNamespace"], processes: processes,
            diagram: DiagramReader.read(root), warnings: warnings)
    }

    private mutating func readProcess(_ element: XMLElement) -> ProcessModel {
        let id = element["id"] ?? "process"
        var process = ProcessModel(id: id, name: element["name"], isExecutable: element["isExecutable"] == "true")
        embeddedForms = Self.embeddedForms(of: element)
        process.candidateStarterGroups = Self.list(classic(element, "candidateStarterGroups"))
        process.candidateStarterUsers = Self.list(classic(element, "candidateStarterUsers"))
        readScope(element, scope: nil, into: &process)
        process.finish()
        return process
    }

    /// `a, b,c` → `["a", "b", "c"]`.
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    /// Reads the flow elements of a process or sub-process.
    mutating func readScope(_ container: XMLElement, scope: String?, into process: inout ProcessModel) {
        for element in container.children where element.namespace == Namespace.bpmn {
            guard let kind = Self.kinds[element.name] else {
                if Self.unsupported.contains(element.name) {
                    problems.append(ModelProblem(element["id"] ?? element.name, "<\(element.name)> is not supported by this engine"))
                }
                continue
            }
            if kind == .sequenceFlow {
                readFlow(element, into: &process)
                continue
            }
            guard let id = element["id"] else {
                problems.append(ModelProblem("line \(element.line)", "<\(element.name)> has no id"))
                continue
            }
            guard process.nodes[id] == nil else {
                problems.append(ModelProblem(id, "the id is used twice"))
                continue
            }
            guard case .node(var nodeKind) = kind else { continue }
            if nodeKind == .subProcess && element["triggeredByEvent"] == "true" { nodeKind = .eventSubProcess }
            var node = FlowNode(id: id, name: element["name"], kind: nodeKind, scope: scope)
            readNode(element, into: &node)
            process.nodes[id] = node
            process.nodeOrder.append(id)
            if nodeKind == .subProcess || nodeKind == .eventSubProcess {
                readScope(element, scope: id, into: &process)
            }
        }
    }

    private mutating func readFlow(_ element: XMLElement, into process: inout ProcessModel) {
        guard let id = element["id"] else {
            problems.append(ModelProblem("line \(element.line)", "<sequenceFlow> has no id"))
            return
        }
        let flow = SequenceFlow(id: id, name: element["name"], source: element["sourceRef"] ?? "", target: element["targetRef"] ?? "")
        if let condition = element.child("conditionExpression", in: Namespace.bpmn) {
            let text = condition.text.trimmingWhitespace
            if !text.isEmpty {
                flow.condition = expression(text, at: id, what: "condition", body: true)
                flow.hasConditionText = true
            }
        }
        process.flows[id] = flow
        process.flowDocumentOrder.append(id)
    }

    enum ElementKind: Equatable {
        case node(FlowNode.Kind)
        case sequenceFlow
    }

    static let kinds: [String: ElementKind] = [
        "startEvent": .node(.startEvent), "endEvent": .node(.endEvent),
        "intermediateCatchEvent": .node(.intermediateCatchEvent), "intermediateThrowEvent": .node(.intermediateThrowEvent),
        "boundaryEvent": .node(.boundaryEvent), "task": .node(.task), "userTask": .node(.userTask),
        "serviceTask": .node(.serviceTask), "sendTask": .node(.sendTask), "receiveTask": .node(.receiveTask),
        "scriptTask": .node(.scriptTask), "businessRuleTask": .node(.businessRuleTask), "manualTask": .node(.manualTask),
        "subProcess": .node(.subProcess), "callActivity": .node(.callActivity),
        "exclusiveGateway": .node(.exclusiveGateway), "parallelGateway": .node(.parallelGateway),
        "inclusiveGateway": .node(.inclusiveGateway), "eventBasedGateway": .node(.eventBasedGateway),
        "sequenceFlow": .sequenceFlow,
    ]

    /// Flow elements that exist in BPMN 2.0 but that this engine does not run.
    static let unsupported: Set<String> = [
        "complexGateway", "transaction", "adHocSubProcess", "callChoreography", "subChoreography", "choreographyTask",
        "implicitThrowEvent",
    ]

    // MARK: Nodes

    private mutating func readNode(_ element: XMLElement, into node: inout FlowNode) {
        node.defaultFlow = element["default"]
        switch node.kind {
        case .startEvent, .endEvent, .intermediateCatchEvent, .intermediateThrowEvent, .boundaryEvent:
            node.trigger = readTrigger(element, node: node)
            if node.kind == .boundaryEvent {
                node.attachedTo = element["attachedToRef"]
                node.cancelActivity = element["cancelActivity"] != "false"
            }
            if node.kind == .startEvent { node.isInterrupting = element["isInterrupting"] != "false" }
        case .receiveTask:
            node.trigger = messageTrigger(element["messageRef"], node: node)
        default: break
        }
        readExtensions(element, into: &node)
        if node.kind.isActivity { readLoop(element, into: &node) }
    }

    private mutating func readTrigger(_ element: XMLElement, node: FlowNode) -> EventTrigger {
        let definitions = element.children.filter { $0.namespace == Namespace.bpmn && $0.name.hasSuffix("EventDefinition") }
        guard let definition = definitions.first else {
            if element.children("eventDefinitionRef", in: Namespace.bpmn).isEmpty == false {
                problems.append(ModelProblem(node.id, "event definitions by reference (eventDefinitionRef) are not supported"))
            }
            return .none
        }
        if definitions.count > 1 {
            problems.append(ModelProblem(node.id, "events with several event definitions (multiple or parallel) are not supported"))
        }
        switch definition.name {
        case "messageEventDefinition":
            if definition["messageRef"] == nil, node.kind == .endEvent || node.kind == .intermediateThrowEvent {
                return .message(name: node.name ?? node.id, correlationKey: nil)
            }
            return messageTrigger(definition["messageRef"], node: node)
        case "timerEventDefinition":
            for kind in [TimerDefinition.Kind.date, .duration, .cycle] {
                let tag = "time" + kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst()
                guard let child = definition.child(tag, in: Namespace.bpmn) else { continue }
                let text = child.text.trimmingWhitespace
                guard let parsed = expression(text, at: node.id, what: "timer") else { return .none }
                if let constant = parsed.constantValue, case .failure(let error) = TimerSchedule.parse(constant, kind: kind) {
                    problems.append(ModelProblem(node.id, "bad timer: \(error)"))
                }
                return .timer(TimerDefinition(kind: kind, expression: parsed))
            }
            problems.append(ModelProblem(node.id, "the timer has no timeDate, timeDuration or timeCycle"))
            return .none
        case "signalEventDefinition":
            guard let reference = definition["signalRef"], let name = signals[reference] else {
                problems.append(ModelProblem(node.id, "the signal event names no <signal> of the document (signalRef)"))
                return .signal(name: node.id)
            }
            return .signal(name: name)
        case "errorEventDefinition":
            // Camunda 7's variables for what was caught, so a later step can show it.
            node.errorCodeVariable = classic(definition, "errorCodeVariable")
            node.errorMessageVariable = classic(definition, "errorMessageVariable")
            guard let reference = definition["errorRef"] else { return .error(code: nil) }
            guard let code = errors[reference] else {
                problems.append(ModelProblem(node.id, "errorRef \(reference) is not an <error> of the document"))
                return .error(code: nil)
            }
            return .error(code: code ?? reference)
        case "escalationEventDefinition":
            guard let reference = definition["escalationRef"] else { return .escalation(code: nil) }
            guard let code = escalations[reference] else {
                problems.append(ModelProblem(node.id, "escalationRef \(reference) is not an <escalation> of the document"))
                return .escalation(code: nil)
            }
            return .escalation(code: code ?? reference)
        case "terminateEventDefinition": return .terminate
        case "linkEventDefinition": return .link(name: definition["name"] ?? node.name ?? node.id)
        case "compensateEventDefinition":
            problems.append(ModelProblem(node.id, "compensation events are not supported yet"))
            return .none
        case "conditionalEventDefinition":
            problems.append(ModelProblem(node.id, "conditional events are not supported"))
            return .none
        case "cancelEventDefinition":
            problems.append(ModelProblem(node.id, "cancel events (of transactions) are not supported"))
            return .none
        default:
            problems.append(ModelProblem(node.id, "<\(definition.name)> is not supported"))
            return .none
        }
    }

    /// The message a catch event, receive task or throw event refers to, with its Camunda 8
    /// correlation key.
    mutating func messageTrigger(_ reference: String?, node: FlowNode) -> EventTrigger {
        guard let reference, let message = messages[reference] else {
            problems.append(ModelProblem(node.id, reference.map { "messageRef \($0) is not a <message> of the document" } ?? "the element names no message (messageRef)"))
            return .message(name: node.id, correlationKey: nil)
        }
        var correlation: Expression?
        if let key = message.child("extensionElements", in: Namespace.bpmn)?.child("subscription", in: Namespace.zeebe)?["correlationKey"] {
            correlation = expression(key, at: node.id, what: "correlation key")
        }
        return .message(name: message["name"].map { Self.constantName($0) } ?? reference, correlationKey: correlation)
    }

    /// Message names may be FEEL in Camunda 8 (`=...`); the reader keeps a constant name as is.
    static func constantName(_ text: String) -> String {
        text.hasPrefix("=\"") && text.hasSuffix("\"") ? String(text.dropFirst(2).dropLast()) : text
    }

    /// Parses an expression, recording a problem on the element when it is not valid FEEL.
    mutating func expression(_ text: String, at id: String, what: String, body: Bool = false) -> Expression? {
        do {
            return body ? try Expression.body(text) : try Expression.attribute(text)
        } catch {
            if let foreignLanguage {
                problems.append(ModelProblem(id, "the \(what) \"\(text)\" is not FEEL: the document writes its expressions in \(foreignLanguage), which this engine does not run (\(error))"))
            } else {
                problems.append(ModelProblem(id, "bad FEEL in the \(what) \"\(text)\": \(error)"))
            }
            return nil
        }
    }
}
