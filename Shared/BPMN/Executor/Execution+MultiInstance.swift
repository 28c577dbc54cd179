import Contracts

/// Multi-instance activities: a body that runs one inner instance per item of a collection,
/// all at once (parallel) or one after the other (sequential), until all are done or the
/// completion condition holds.
extension Execution {
    mutating func enterMultiInstance(_ body: Int, node: FlowNode) {
        guard let loop = node.multiInstance, let element = state.elements[body] else { return }
        var items: [JSONValue]
        if let collection = loop.inputCollection {
            guard case .list(let values) = evaluate(collection, at: element.scope) else {
                raiseIncident(body, "the input collection \(collection) of \(node.id) is not a list")
                return
            }
            items = values.map(\.json)
        } else if let cardinality = loop.cardinality, case .number(let count) = evaluate(cardinality, at: element.scope), count >= 0 {
            items = (0..<Int(count)).map { .number(Double($0 + 1)) }
        } else {
            raiseIncident(body, "the loop cardinality of \(node.id) is not a number")
            return
        }
        state.elements.update(body) { $0.wait = .children }
        let progress = MultiInstanceProgress(
            items: items, started: 0, completed: 0, results: Array(repeating: .null, count: items.count))
        state.elements.update(body) { $0.multiInstance = progress }
        openBoundarySubscriptions(of: body, node: node)
        refreshCounts(body: body)
        if items.isEmpty {
            queue.append(.complete(body, variables: [:], flows: nil))
            return
        }
        for _ in 0..<(loop.isSequential ? 1 : items.count) { startInner(body, node: node) }
    }

    private mutating func startInner(_ body: Int, node: FlowNode) {
        guard let element = state.elements[body], let progress = element.multiInstance else { return }
        let index = progress.started
        state.elements.update(body) { $0.multiInstance!.started += 1 }
        var locals: [String: JSONValue] = ["loopCounter": .number(Double(index + 1))]
        if let name = node.multiInstance?.inputElement { locals[name] = progress.items[index] }
        let key = newKey()
        state.elements[key] = ElementInstance(
            key: key, node: node, elementId: node.id, scope: body, model: element.model, wait: nil, variables: locals)
        state.elements.update(key) { $0.inner = true }
        if !node.inputs.isEmpty {
            let mapped = mappedInputs(node, scope: key, base: locals)
            state.elements.update(key) { $0.variables = mapped }
        }
        refreshCounts(body: body)
        emit(.elementActivated(key: key, elementId: node.id, elementType: node.kind.bpmnName))
        queue.append(.enter(key))
    }

    /// The counts a completion condition may read, under Camunda 8 and Camunda 7 names.
    mutating func refreshCounts(body: Int) {
        guard let progress = state.elements[body]?.multiInstance else { return }
        let active = children(of: body).count
        let counts: [String: Int] = [
            "numberOfInstances": progress.items.count, "numberOfCompletedInstances": progress.completed,
            "numberOfActiveInstances": active, "nrOfInstances": progress.items.count,
            "nrOfCompletedInstances": progress.completed, "nrOfActiveInstances": active,
        ]
        for (name, value) in counts { state.elements.update(body) { $0.variables[name] = .number(Double(value)) } }
    }

    mutating func innerCompleted(body: Int, inner: ElementInstance, result: JSONValue, conditionHolds: Bool) {
        guard let element = state.elements[body], let node = node(of: element), let loop = node.multiInstance else { return }
        if case .number(let counter)? = inner.variables["loopCounter"] {
            state.elements.update(body) { $0.multiInstance!.results[Int(counter) - 1] = result }
        }
        state.elements.update(body) { $0.multiInstance!.completed += 1 }
        refreshCounts(body: body)
        let progress = state.elements[body]!.multiInstance!
        if conditionHolds || progress.completed == progress.items.count {
            for child in children(of: body) { terminate(child) }
            queue.append(.complete(body, variables: [:], flows: nil))
        } else if loop.isSequential {
            startInner(body, node: node)
        }
    }
}
