import Contracts

/// Timers, messages and signals: subscriptions opened while an element waits or may be
/// interrupted, and what happens when one triggers; errors and escalations thrown upwards.
extension Execution {
    /// Opens the subscription of a catch, boundary or start event, owned by `owner`.
    /// Returns false when it could not (an incident was raised on the owner).
    @discardableResult
    mutating func open(_ event: FlowNode, owner: Int, model: Int) -> Bool {
        let key: Int
        switch event.trigger {
        case .message(let name, let correlation)?:
            var correlationKey: String?
            if let correlation {
                guard let text = Self.text(evaluate(correlation, at: owner)) else {
                    raiseIncident(owner, "the correlation key \(correlation) of \(event.id) is null")
                    return false
                }
                correlationKey = text
            }
            key = newKey()
            state.subscriptions[key] = Subscription(
                key: key, kind: .message, owner: owner, eventId: event.id, model: model, name: name, correlationKey: correlationKey)
            emit(.subscriptionOpened(key: key, elementId: event.id, kind: .message, name: name, correlationKey: correlationKey))
        case .signal(let name)?:
            key = newKey()
            state.subscriptions[key] = Subscription(key: key, kind: .signal, owner: owner, eventId: event.id, model: model, name: name)
            emit(.subscriptionOpened(key: key, elementId: event.id, kind: .signal, name: name, correlationKey: nil))
        case .timer(let definition)?:
            let schedule: TimerSchedule
            switch TimerSchedule.parse(evaluate(definition.expression, at: owner), kind: definition.kind) {
            case .success(let parsed): schedule = parsed
            case .failure(let error):
                raiseIncident(owner, "the timer of \(event.id): \(error)")
                return false
            }
            key = newKey()
            var subscription = Subscription(
                key: key, kind: .timer, owner: owner, eventId: event.id, model: model, dueAt: schedule.firstDue(now: now))
            if case .cycle(let repetitions, _, let interval) = schedule {
                subscription.interval = interval
                subscription.repetitionsLeft = repetitions
            }
            state.subscriptions[key] = subscription
            emit(.timerScheduled(key: key, elementId: event.id, dueAt: subscription.dueAt!))
        default:
            if event.kind == .receiveTask {
                raiseIncident(owner, "the receive task \(event.id) names no message")
                return false
            }
        }
        return true
    }

    mutating func openBoundarySubscriptions(of key: Int, node: FlowNode) {
        guard let element = state.elements[key] else { return }
        for id in node.boundaryEvents {
            guard let boundary = models[element.model].nodes[id] else { continue }
            switch boundary.trigger {
            case .timer?, .message?, .signal?: open(boundary, owner: key, model: element.model)
            default: break  // errors and escalations are caught when thrown
            }
        }
    }

    /// The event sub-processes of a scope wait for their start events while the scope runs.
    mutating func openEventSubProcessSubscriptions(scope key: Int) {
        if key == 0 && models[0].eventSubProcesses.isEmpty { return }
        guard let element = state.elements[key] else { return }
        let (model, subProcesses) = eventSubProcesses(of: element)
        for id in subProcesses {
            guard let start = models[model].nodes[id]?.startEvents.first.flatMap({ models[model].nodes[$0] }) else { continue }
            switch start.trigger {
            case .timer?, .message?, .signal?: open(start, owner: key, model: model)
            default: break
            }
        }
    }

    /// The event sub-processes directly inside a scope, and the model they belong to.
    func eventSubProcesses(of scope: ElementInstance) -> (model: Int, ids: [String]) {
        if scope.key == 0 { return (0, models[0].eventSubProcesses) }
        if let called = scope.calledModel { return (called, models[called].eventSubProcesses) }
        return (scope.model, node(of: scope)?.eventSubProcesses ?? [])
    }

    mutating func closeSubscriptions(of owner: Int) {
        if state.subscriptions.isEmpty { return }
        for subscription in state.subscriptions.values.filter({ $0.owner == owner }).sorted(by: { $0.key < $1.key }) {
            close(subscription)
        }
    }

    private mutating func close(_ subscription: Subscription) {
        state.subscriptions[subscription.key] = nil
        if subscription.kind == .timer {
            emit(.timerCancelled(key: subscription.key, elementId: subscription.eventId))
        } else {
            emit(.subscriptionClosed(key: subscription.key, elementId: subscription.eventId, kind: subscription.kind, name: subscription.name ?? ""))
        }
    }

    /// A timer fired, a message was correlated or a signal arrived.
    mutating func trigger(_ subscriptionKey: Int, variables: [String: JSONValue]) {
        guard let subscription = state.subscriptions[subscriptionKey], let owner = state.elements[subscription.owner],
            let event = models[subscription.model].nodes[subscription.eventId]
        else { return }
        let keepsWaiting: Bool
        switch event.kind {
        case .boundaryEvent: keepsWaiting = !event.cancelActivity
        case .startEvent: keepsWaiting = !event.isInterrupting
        default: keepsWaiting = false
        }
        // A repeating timer of a non-interrupting event is scheduled again; others are used up.
        if keepsWaiting, subscription.kind == .timer, let interval = subscription.interval, subscription.repetitionsLeft.map({ $0 > 1 }) ?? true {
            state.subscriptions[subscriptionKey]!.dueAt = subscription.dueAt! + interval
            state.subscriptions[subscriptionKey]!.repetitionsLeft = subscription.repetitionsLeft.map { $0 - 1 }
            emit(.timerScheduled(key: subscriptionKey, elementId: event.id, dueAt: subscription.dueAt! + interval))
        } else if !keepsWaiting || subscription.kind == .timer {
            state.subscriptions[subscriptionKey] = nil
            if subscription.kind != .timer {
                emit(.subscriptionClosed(key: subscriptionKey, elementId: event.id, kind: subscription.kind, name: subscription.name ?? ""))
            }
        }

        switch event.kind {
        case .boundaryEvent:
            if event.cancelActivity { terminate(owner.key) }
            activate(event.id, scope: owner.scope, model: subscription.model, via: nil, triggered: variables)
        case .startEvent:
            // An event sub-process: interrupting ones end everything else in the scope first.
            guard let subProcess = event.scope else { return }
            if event.isInterrupting {
                for child in children(of: owner.key) { terminate(child) }
                state.joins.removeAll { $0.scope == owner.key }
                closeSubscriptions(of: owner.key)
            }
            startEventSubProcess(subProcess, start: event.id, scope: owner.key, model: subscription.model, variables: variables)
        default:
            if owner.wait == .eventGateway {
                // The first event after an event-based gateway wins; the others are withdrawn.
                closeSubscriptions(of: owner.key)
                state.elements[owner.key] = nil
                emit(.elementCompleted(key: owner.key, elementId: owner.elementId, elementType: "eventBasedGateway", variables: [:]))
                activate(event.id, scope: owner.scope, model: owner.model, via: nil, triggered: variables)
            } else {
                queue.append(.complete(owner.key, variables: variables, flows: nil))
            }
        }
    }

    mutating func startEventSubProcess(_ id: String, start: String, scope: Int, model: Int, variables: [String: JSONValue]) {
        let key = newKey()
        state.elements[key] = ElementInstance(
            key: key, node: models[model].nodes[id], elementId: id, scope: scope, model: model, wait: .children, variables: [:])
        emit(.elementActivated(key: key, elementId: id, elementType: FlowNode.Kind.eventSubProcess.bpmnName))
        openEventSubProcessSubscriptions(scope: key)
        activate(start, scope: key, model: model, via: nil, triggered: variables)
    }

    /// Throws a BPMN error from an element to the nearest boundary event or event sub-process
    /// that catches its code, going outwards scope by scope (through call activities too).
    /// Returns false when nothing catches it.
    mutating func throwError(_ code: String, message: String, from key: Int) -> Bool {
        func catches(_ trigger: EventTrigger?) -> Bool {
            guard case .error(let caught)? = trigger else { return false }
            return caught == nil || caught == code
        }
        return propagate(from: key, catches: catches) { catcher in
            var caught: [String: JSONValue] = [:]
            if let name = catcher.errorCodeVariable { caught[name] = .string(code) }
            if let name = catcher.errorMessageVariable { caught[name] = .string(message) }
            return caught
        }
    }

    /// Throws an escalation outwards like an error; uncaught, it has no effect.
    mutating func escalate(_ code: String, from key: Int) {
        _ = propagate(from: key, catches: { trigger in
            guard case .escalation(let caught)? = trigger else { return false }
            return caught == nil || caught == code
        })
    }

    /// `caught` gives the variables the catching event sets (an error's code and message).
    private mutating func propagate(
        from key: Int, catches: (EventTrigger?) -> Bool, caught: (FlowNode) -> [String: JSONValue] = { _ in [:] }
    ) -> Bool {
        var current = key
        while let element = state.elements[current] {
            // The element's own boundary events, then those of each enclosing scope.
            if let node = node(of: element), current != 0 {
                let isInner = element.isInnerInstance
                if !isInner, let boundary = node.boundaryEvents.first(where: { catches(models[element.model].nodes[$0]?.trigger) }) {
                    let catcher = models[element.model].nodes[boundary]
                    let interrupting = catcher?.cancelActivity ?? true
                    if interrupting { terminate(current) }
                    activate(boundary, scope: element.scope, model: element.model, via: nil, triggered: catcher.map(caught) ?? [:])
                    return true
                }
            }
            // The event sub-processes of the scope the thrower is in.
            guard element.scope >= 0, let scope = state.elements[element.scope] else { return false }
            let (model, subProcesses) = eventSubProcesses(of: scope)
            for id in subProcesses {
                guard id != element.elementId, let start = models[model].nodes[id]?.startEvents.first.flatMap({ models[model].nodes[$0] }),
                    catches(start.trigger)
                else { continue }
                if start.isInterrupting {
                    for child in children(of: scope.key) { terminate(child) }
                    state.joins.removeAll { $0.scope == scope.key }
                    closeSubscriptions(of: scope.key)
                }
                startEventSubProcess(id, start: start.id, scope: scope.key, model: model, variables: caught(start))
                return true
            }
            current = scope.key
        }
        return false
    }

    /// Triggers every signal subscription of the instance with this name, oldest first.
    mutating func broadcast(_ name: String, variables: [String: JSONValue]) {
        let keys = state.subscriptions.values.filter { $0.kind == .signal && $0.name == name }.map(\.key).sorted()
        for key in keys where state.subscriptions[key] != nil { trigger(key, variables: variables) }
    }
}
