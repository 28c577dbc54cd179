import Contracts

/// What each kind of element does when a token enters it.
extension Execution {
    mutating func enter(_ key: Int) {
        guard let element = state.elements.place(key), let node = node(at: element) else { return }
        if state.elements.wait(key) != .some(nil) { state.elements.update(key) { $0.wait = nil } }
        if element.isBody {
            enterMultiInstance(key, node: node)
            return
        }
        if node.kind.isActivity && !element.isInner && !node.boundaryEvents.isEmpty { openBoundarySubscriptions(of: key, node: node) }

        switch node.kind {
        case .startEvent, .task, .manualTask:
            complete(key, variables: [:], flows: nil)
        case .boundaryEvent:
            complete(key, variables: [:], flows: nil)
        case .intermediateCatchEvent:
            if case .link? = node.trigger {
                complete(key, variables: [:], flows: nil)
            } else {
                wait(key, for: node)
            }
        case .receiveTask:
            wait(key, for: node)
        case .intermediateThrowEvent, .endEvent:
            throwEvent(key, node: node)
        case .userTask:
            createTask(key, node: node)
        case .serviceTask, .businessRuleTask:
            createJob(key, node: node)
        case .sendTask:
            if node.job != nil { createJob(key, node: node) } else { publishMessage(key, node: node) }
        case .scriptTask:
            guard let script = node.script else { raiseIncident(key, "the script task has no expression"); return }
            let value = evaluate(script.expression, at: key).json
            queue.append(.complete(key, variables: [script.resultVariable: value], flows: nil))
        case .subProcess, .eventSubProcess:
            state.elements.update(key) { $0.wait = .children }
            openEventSubProcessSubscriptions(scope: key)
            if node.kind == .subProcess {
                for start in node.startEvents.isEmpty ? node.implicitStarts : [node.startEvents[0]] {
                    activate(start, scope: key, model: element.model, via: nil)
                }
            }
        case .callActivity:
            callProcess(key, node: node)
        case .exclusiveGateway:
            chooseExclusive(key, node: node)
        case .inclusiveGateway:
            chooseInclusive(key, node: node)
        case .parallelGateway:
            complete(key, variables: [:], flows: node.outgoing)
        case .eventBasedGateway:
            state.elements.update(key) { $0.wait = .eventGateway }
            for flow in node.outgoing {
                guard let target = models[element.model].flows[flow].flatMap({ models[element.model].nodes[$0.target] }) else { continue }
                guard open(target, owner: key, model: element.model) else { return }
            }
        }
    }

    /// A catch event or receive task waits for its own trigger.
    private mutating func wait(_ key: Int, for node: FlowNode) {
        guard let element = state.elements[key] else { return }
        switch node.trigger {
        case .message?: state.elements.update(key) { $0.wait = .message }
        case .timer?: state.elements.update(key) { $0.wait = .timer }
        case .signal?: state.elements.update(key) { $0.wait = .signal }
        default: break
        }
        _ = open(node, owner: key, model: element.model)
    }

    private mutating func throwEvent(_ key: Int, node: FlowNode) {
        guard let element = state.elements[key] else { return }
        switch node.trigger {
        case .none?, nil:
            complete(key, variables: [:], flows: nil)
        case .message?:
            if node.job != nil { createJob(key, node: node) } else { publishMessage(key, node: node) }
        case .signal(let name)?:
            emit(.signalBroadcast(elementId: node.id, name: name, variables: visibleVariables(at: key)))
            queue.append(.complete(key, variables: [:], flows: nil))
            broadcast(name, variables: [:])
        case .error(let code)?:
            // An error end event: the scope is left by the catching boundary or event sub-process.
            if !throwError(code ?? "", message: node.name ?? "", from: key) {
                raiseIncident(key, "the error \(code ?? "(any)") thrown by \(node.id) is not caught")
            }
        case .escalation(let code)?:
            queue.append(.complete(key, variables: [:], flows: nil))
            escalate(code ?? "", from: key)
        case .terminate?:
            for sibling in children(of: element.scope) where sibling != key { terminate(sibling) }
            state.joins.removeAll { $0.scope == element.scope }
            queue.append(.complete(key, variables: [:], flows: nil))
        case .link(let name)?:
            if let target = models[element.model].linkTargets[ProcessModel.linkKey(scope: node.scope, name: name)] {
                activate(target, scope: element.scope, model: element.model, via: nil)
            }
            complete(key, variables: [:], flows: [])
        case .timer?:
            queue.append(.complete(key, variables: [:], flows: nil))
        }
    }

    private mutating func publishMessage(_ key: Int, node: FlowNode) {
        var name = node.name ?? node.id
        var correlation: String?
        if case .message(let messageName, let correlationKey)? = node.trigger {
            name = messageName
            correlation = correlationKey.flatMap { Self.text(evaluate($0, at: key)) }
        }
        emit(.messagePublished(elementId: node.id, name: name, correlationKey: correlation, variables: visibleVariables(at: key)))
        queue.append(.complete(key, variables: [:], flows: nil))
    }

    private mutating func createTask(_ key: Int, node: FlowNode) {
        let definition = node.userTask ?? UserTaskDefinition()
        func value(_ expression: Expression?) -> FEELValue { expression.map { evaluate($0, at: key) } ?? .null }
        func date(_ expression: Expression?) -> String? {
            switch value(expression) {
            case .dateTime(let seconds, let offset): return Temporal.formatDateTime(seconds, offset: offset)
            case .date(let days): return Temporal.formatDate(days)
            case .dayTimeDuration(let seconds): return Temporal.formatDateTime(now + seconds)
            case .string(let text):
                if case .dateTime(let seconds, let offset)? = Temporal.parseDateTime(text) { return Temporal.formatDateTime(seconds, offset: offset) }
                if case .dayTimeDuration(let seconds)? = Temporal.parseDuration(text) { return Temporal.formatDateTime(now + seconds) }
                return nil
            default: return nil
            }
        }
        var priority = 50
        if case .number(let number) = value(definition.priority) { priority = max(0, min(100, Int(number))) }
        if case .string(let text) = value(definition.priority), let number = Int(text) { priority = max(0, min(100, number)) }
        let task = Effect.UserTask(
            key: key, elementId: node.id, name: node.name, formKey: definition.formKey, form: definition.form,
            assignee: Self.text(value(definition.assignee)).flatMap { $0.isEmpty ? nil : $0 },
            candidateUsers: Self.names(value(definition.candidateUsers)), candidateGroups: Self.names(value(definition.candidateGroups)),
            dueDate: date(definition.dueDate), followUpDate: date(definition.followUpDate), priority: priority,
            variables: visibleVariables(at: key))
        state.elements.update(key) { $0.wait = .userTask }
        emit(.taskCreated(task))
    }

    mutating func createJob(_ key: Int, node: FlowNode) {
        guard let job = node.job else { raiseIncident(key, "the \(node.kind.rawValue) has no job type"); return }
        guard let type = Self.text(evaluate(job.type, at: key)), !type.isEmpty else {
            raiseIncident(key, "the job type \(job.type) of \(node.id) is not a text")
            return
        }
        var retries = 3
        switch evaluate(job.retries, at: key) {
        case .number(let number): retries = Int(number)
        case .string(let text): retries = Int(text) ?? 3
        default: break
        }
        let existing = state.elements[key]!.retries
        state.elements.update(key) { $0.retries = existing ?? retries }
        state.elements.update(key) { $0.wait = .job }
        var headers: [String: String] = [:]
        for header in job.headers { headers[header.key] = header.value }
        emit(.jobCreated(Effect.Job(
            key: key, elementId: node.id, type: type, retries: existing ?? retries, headers: headers,
            variables: visibleVariables(at: key))))
    }

    private mutating func callProcess(_ key: Int, node: FlowNode) {
        guard let call = node.call, let element = state.elements[key] else { return }
        guard let processId = Self.text(evaluate(call.processId, at: element.scope)) else {
            raiseIncident(key, "the called process \(call.processId) is not a text")
            return
        }
        guard let (model, version) = library.process(processId, version: call.version) else {
            raiseIncident(key, "no process \(processId)\(call.version.map { " version \($0)" } ?? "") is deployed")
            return
        }
        guard let start = model.startEvents.first(where: { if case .none? = model.nodes[$0]?.trigger { true } else { false } })
            ?? model.startEvents.first
        else {
            raiseIncident(key, "the process \(processId) has no start event")
            return
        }
        state.models.append(ModelReference(processId: processId, version: version))
        let index = state.models.count - 1
        cache(model, at: index)
        if node.inputs.isEmpty && call.propagateAllParentVariables {
            let inherited = visibleVariables(at: element.scope)
            state.elements.update(key) { $0.variables = inherited }
        }
        state.elements.update(key) { $0.calledModel = index }
        state.elements.update(key) { $0.wait = .children }
        openEventSubProcessSubscriptions(scope: key)
        activate(start, scope: key, model: index, via: nil)
    }
}
