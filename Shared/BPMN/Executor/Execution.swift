import Contracts

/// One run of the executor over one instance: applies a command, then advances every token
/// until it waits. Steps are processed first in, first out, so the order of effects follows the
/// order of the model and is the same on every run.
struct Execution {
    var state: InstanceState
    let library: any ProcessLibrary
    let now: Double
    var effects: [Effect] = []
    /// The models of `state.models`, by the same index.
    var models: [ProcessModel] = []
    var queue: [Step] = []
    var head = 0
    /// Inclusive joins that got a token and may fire once nothing else moves.
    var pendingInclusive = false

    enum Step {
        /// Run the behaviour of an element instance that was just created (or whose incident was resolved).
        case enter(Int)
        /// Complete an element instance, taking `flows` when the element chose them (gateways).
        case complete(Int, variables: [String: JSONValue], flows: [String]?)
    }

    init(state: consuming InstanceState, library: any ProcessLibrary, now: Double) {
        self.state = state
        self.library = library
        self.now = now
        effects.reserveCapacity(16)
        queue.reserveCapacity(8)
    }

    /// The result of the run, moved out without a copy.
    consuming func finish() -> (InstanceState, [Effect]) { (state, effects) }

    mutating func cache(_ model: ProcessModel, at index: Int) {
        if models.count <= index { models.append(model) } else { models[index] = model }
    }

    mutating func loadModels() throws(CommandRejected) {
        for reference in state.models {
            guard let (model, _) = library.process(reference.processId, version: reference.version) else {
                throw CommandRejected("the process \(reference.processId) version \(reference.version) is not deployed")
            }
            models.append(model)
        }
    }

    // MARK: Lookups

    func node(at place: ElementTable.Place) -> FlowNode? {
        let list = models[place.model].nodeList
        return place.node >= 0 && place.node < list.count ? list[place.node] : nil
    }

    func node(of element: ElementInstance) -> FlowNode? {
        let list = models[element.model].nodeList
        if element.node >= 0 && element.node < list.count && list[element.node].id == element.elementId { return list[element.node] }
        return models[element.model].nodes[element.elementId]
    }

    func elementType(of element: ElementInstance) -> String {
        element.key == 0 ? "process" : (node(of: element)?.kind.bpmnName ?? "unknown")
    }

    /// The element instances running in a scope, oldest first.
    func children(of scope: Int) -> [Int] {
        state.elements.values.filter { $0.scope == scope && $0.key != scope }.map(\.key).sorted()
    }

    mutating func newKey() -> Int {
        defer { state.nextKey += 1 }
        return state.nextKey
    }

    mutating func emit(_ effect: Effect) { effects.append(effect) }

    // MARK: Running

    mutating func start(model: ProcessModel, startEvent: String?, variables: [String: JSONValue]) throws(CommandRejected) {
        let chosen: String
        if let startEvent {
            guard model.startEvents.contains(startEvent) else {
                throw CommandRejected("\(startEvent) is not a start event of the process \(model.id)")
            }
            chosen = startEvent
        } else if let none = model.startEvents.first(where: { if case .none? = model.nodes[$0]?.trigger { true } else { model.nodes[$0]?.trigger == nil } }) {
            chosen = none
        } else if model.startEvents.count == 1 {
            chosen = model.startEvents[0]
        } else {
            throw CommandRejected("the process \(model.id) has no none start event; name the start event")
        }
        state.elements[0] = ElementInstance(
            key: 0, node: nil, elementId: model.id, scope: -1, model: 0, wait: .children, variables: variables)
        emit(.elementActivated(key: 0, elementId: model.id, elementType: "process"))
        openEventSubProcessSubscriptions(scope: 0)
        activate(chosen, scope: 0, model: 0, via: nil, triggered: startEvent != nil ? [:] : nil)
    }

    /// Processes steps until every token waits, letting inclusive joins fire when nothing else moves.
    mutating func run() {
        while true {
            while head < queue.count {
                let step = queue[head]
                head += 1
                switch step {
                case .enter(let key): enter(key)
                case .complete(let key, let variables, let flows): complete(key, variables: variables, flows: flows)
                }
            }
            queue.removeAll(keepingCapacity: true)
            head = 0
            guard pendingInclusive, settleInclusiveJoins() else { break }
        }
    }

    /// Creates an instance of a node in a scope and queues its behaviour. A token that reaches a
    /// joining gateway waits there until the join fires. `triggered` activates an event whose
    /// trigger already happened (a boundary, an event-gateway target, an event sub-process start).
    mutating func activate(_ nodeId: String, scope: Int, model: Int, via flow: String?, triggered: [String: JSONValue]? = nil) {
        guard let node = models[model].nodes[nodeId] else { return }
        activate(node, scope: scope, model: model, via: flow, triggered: triggered)
    }

    mutating func activate(_ node: FlowNode, scope: Int, model: Int, via flow: String?, triggered: [String: JSONValue]? = nil) {
        let nodeId = node.id
        if let flow, node.incoming.count > 1, node.kind == .parallelGateway || node.kind == .inclusiveGateway {
            guard arrive(at: node, scope: scope, model: model, via: flow) else { return }
        }
        let key = newKey()
        var element = ElementInstance(key: key, node: node, elementId: nodeId, scope: scope, model: model, wait: nil, variables: [:])
        if node.multiInstance != nil {
            element.multiInstance = MultiInstanceProgress(items: [], started: 0, completed: 0, results: [])
        } else if !node.inputs.isEmpty {
            element.variables = mappedInputs(node, scope: scope)
        }
        state.elements[key] = element
        emit(.elementActivated(key: key, elementId: nodeId, elementType: node.kind.bpmnName))
        if let triggered {
            queue.append(.complete(key, variables: triggered, flows: nil))
        } else {
            queue.append(.enter(key))
        }
    }

    /// Completes an element: its variables and output mappings, its history, then onwards.
    mutating func complete(_ key: Int, variables: [String: JSONValue], flows chosen: [String]?) {
        guard let place = state.elements.place(key), let node = node(at: place) else { return }
        // Most elements complete with nothing to map: take them out and move on.
        if variables.isEmpty, node.outputs.isEmpty, !place.isBody, !place.isInner, place.calledModel == nil {
            closeSubscriptions(of: key)
            guard let element = state.elements.remove(key) else { return }
            emit(.elementCompleted(key: key, elementId: element.elementId, elementType: node.kind.bpmnName, variables: [:]))
            leave(node, scope: place.scope, model: place.model, chosen: chosen)
            return
        }
        guard let element = state.elements[key] else { return }
        var changed: [String: JSONValue] = [:]
        if element.isMultiInstanceBody {
            if let collection = node.multiInstance?.outputCollection {
                set(collection, .array(element.multiInstance!.results), from: element.scope)
                changed[collection] = .array(element.multiInstance!.results)
            }
        } else if element.calledModel != nil {
            // A call activity: the called process's variables come back through the output mappings,
            // or all of them.
            if node.outputs.isEmpty {
                if node.call?.propagateAllChildVariables ?? true {
                    for (name, value) in element.variables.sorted(by: { $0.key < $1.key }) {
                        set(name, value, from: element.scope)
                        changed[name] = value
                    }
                }
            } else {
                changed = applyOutputs(node, element: key)
            }
        } else if node.outputs.isEmpty {
            // In key order, so that the result never depends on the dictionary's.
            for (name, value) in variables.count < 2 ? Array(variables) : variables.sorted(by: { $0.key < $1.key }) {
                set(name, value, from: key)
                changed[name] = value
            }
        } else {
            for (name, value) in variables { state.elements.update(key) { $0.variables[name] = value } }
            changed = applyOutputs(node, element: key)
        }
        let isInner = element.isInnerInstance
        var result: JSONValue = .null
        var holds = false
        if isInner, let loop = node.multiInstance {
            if let output = loop.outputElement { result = evaluate(output, at: key).json }
            if let condition = loop.completionCondition {
                // The condition sees the counts with this instance completed.
                state.elements.update(element.scope) { $0.multiInstance!.completed += 1 }
                refreshCounts(body: element.scope)
                holds = evaluate(condition, at: key) == .bool(true)
                state.elements.update(element.scope) { $0.multiInstance!.completed -= 1 }
            }
        }
        closeSubscriptions(of: key)
        state.elements[key] = nil
        emit(.elementCompleted(key: key, elementId: element.elementId, elementType: node.kind.bpmnName, variables: changed))

        if isInner {
            innerCompleted(body: element.scope, inner: element, result: result, conditionHolds: holds)
            return
        }
        leave(node, scope: element.scope, model: element.model, chosen: chosen)
    }

    /// Takes the outgoing flows of a completed node; with none, its token is consumed.
    mutating func leave(_ node: FlowNode, scope: Int, model: Int, chosen: [String]?) {
        // Most elements have one plain outgoing flow: take it without building a list.
        if chosen == nil, node.outgoingFlows.count == 1, node.defaultFlow == nil, let only = node.outgoingFlows.first,
            only.condition == nil, only.targetIndex >= 0
        {
            activate(models[model].nodeList[only.targetIndex], scope: scope, model: model, via: only.id)
            return
        }
        let flows = chosen ?? outgoingFlows(of: node, scope: scope, model: model)
        if flows.isEmpty {
            completeScopeIfDone(scope)
            return
        }
        let list = models[model].nodeList
        for id in flows {
            guard let flow = node.outgoingFlows.first(where: { $0.id == id }), flow.targetIndex >= 0 else { continue }
            activate(list[flow.targetIndex], scope: scope, model: model, via: id)
        }
    }

    /// An activity's or event's outgoing flows: the unconditional ones and the conditional ones
    /// that hold; the default flow only when no conditional flow holds.
    func outgoingFlows(of node: FlowNode, scope: Int, model: Int) -> [String] {
        var taken: [String] = []
        var anyHolds = false
        for flow in node.outgoingFlows where flow.id != node.defaultFlow {
            let id = flow.id
            if let condition = flow.condition {
                guard evaluate(condition, at: scope) == .bool(true) else { continue }
                anyHolds = true
            }
            taken.append(id)
        }
        if let defaultFlow = node.defaultFlow, !anyHolds { taken.append(defaultFlow) }
        return taken
    }

    /// When a scope has nothing left running, it completes: the process instance, a sub-process,
    /// a called process (its call activity completes).
    mutating func completeScopeIfDone(_ scope: Int) {
        guard let place = state.elements.place(scope), !place.isBody else { return }
        guard !state.elements.values.contains(where: { $0.scope == scope && $0.key != scope }),
            !state.joins.contains(where: { $0.scope == scope })
        else { return }
        let element = state.elements[scope]!
        if scope == 0 {
            // The process instance's variables stay readable after it ends.
            closeSubscriptions(of: 0)
            state.elements.update(0) { $0.wait = nil }
            state.status = .completed
            emit(.elementCompleted(key: 0, elementId: element.elementId, elementType: "process", variables: [:]))
            emit(.instanceCompleted(processId: element.elementId, variables: element.variables))
            return
        }
        queue.append(.complete(scope, variables: [:], flows: nil))
    }

    /// Ends an element instance and everything inside it, cancelling its task, job, timers and
    /// subscriptions.
    mutating func terminate(_ key: Int) {
        guard let element = state.elements[key] else { return }
        for child in children(of: key).reversed() { terminate(child) }
        state.joins.removeAll { $0.scope == key }
        closeSubscriptions(of: key)
        switch element.wait {
        case .userTask?: emit(.taskCancelled(key: key, elementId: element.elementId))
        case .job?: emit(.jobCancelled(key: key, elementId: element.elementId))
        default: break
        }
        for incident in state.incidents.values where incident.element == key { state.incidents[incident.key] = nil }
        state.elements[key] = nil
        emit(.elementTerminated(key: key, elementId: element.elementId, elementType: elementType(of: element)))
    }

    /// Stops an element with an incident; resolving it runs the element's behaviour again.
    mutating func raiseIncident(_ key: Int, _ message: String, isJob: Bool = false) {
        guard let element = state.elements[key] else { return }
        let incidentKey = newKey()
        state.incidents[incidentKey] = Incident(key: incidentKey, element: key, elementId: element.elementId, message: message, isJob: isJob)
        state.elements.update(key) { $0.wait = .incident }
        emit(.incidentRaised(key: incidentKey, elementId: element.elementId, message: message))
    }
}
