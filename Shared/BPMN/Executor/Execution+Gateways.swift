/// Exclusive, inclusive and parallel gateways: which branches a token takes, and when a join
/// lets the tokens it holds go on.
extension Execution {
    /// The first branch whose condition holds, in the model's order, else the default.
    mutating func chooseExclusive(_ key: Int, node: FlowNode) {
        guard let element = state.elements.place(key) else { return }
        if node.outgoingFlows.count == 1 && node.defaultFlow == nil && node.outgoingFlows[0].condition == nil {
            complete(key, variables: [:], flows: node.outgoing)
            return
        }
        for flow in node.outgoingFlows where flow.id != node.defaultFlow {
            if flow.condition.map({ evaluate($0, at: element.scope) == .bool(true) }) ?? true {
                complete(key, variables: [:], flows: [flow.id])
                return
            }
        }
        guard let defaultFlow = node.defaultFlow else {
            raiseIncident(key, "no condition of the gateway \(node.id) holds and it has no default flow")
            return
        }
        complete(key, variables: [:], flows: [defaultFlow])
    }

    /// Every branch whose condition holds (or has none); the default only when none holds.
    mutating func chooseInclusive(_ key: Int, node: FlowNode) {
        guard let element = state.elements[key] else { return }
        var taken: [String] = []
        for flow in node.outgoingFlows where flow.id != node.defaultFlow {
            if flow.condition.map({ evaluate($0, at: element.scope) == .bool(true) }) ?? true { taken.append(flow.id) }
        }
        if taken.isEmpty, let defaultFlow = node.defaultFlow { taken = [defaultFlow] }
        guard !taken.isEmpty else {
            raiseIncident(key, "no condition of the gateway \(node.id) holds and it has no default flow")
            return
        }
        complete(key, variables: [:], flows: taken)
    }

    /// Records a token arriving at a join. Returns true when the gateway fires now: a parallel
    /// join once a token waits on every incoming flow, an inclusive one once every incoming flow
    /// has one (otherwise it is looked at again when nothing else moves).
    mutating func arrive(at node: FlowNode, scope: Int, model: Int, via flow: String) -> Bool {
        let index: Int
        if let existing = state.joins.firstIndex(where: { $0.scope == scope && $0.gateway == node.id && $0.model == model }) {
            state.joins[existing].flows.append(flow)
            index = existing
        } else {
            state.joins.append(JoinArrival(scope: scope, gateway: node.id, model: model, flows: [flow]))
            index = state.joins.count - 1
        }
        let arrived = state.joins[index].flows
        guard node.incoming.allSatisfy(arrived.contains) else {
            if node.kind == .inclusiveGateway { pendingInclusive = true }
            return false
        }
        consume(index, incoming: node.incoming)
        return true
    }

    /// Takes one token per incoming flow out of a join (several may have come on one flow).
    private mutating func consume(_ index: Int, incoming: [String]) {
        var remaining = state.joins[index].flows
        for flow in incoming { if let at = remaining.firstIndex(of: flow) { remaining.remove(at: at) } }
        if remaining.isEmpty { state.joins.remove(at: index) } else { state.joins[index].flows = remaining }
    }

    /// Fires each inclusive join that no token can still reach: none of the elements running in
    /// its scope, and no token waiting at another join there, lies upstream of it.
    /// Returns whether one fired (so the run goes on).
    mutating func settleInclusiveJoins() -> Bool {
        pendingInclusive = false
        var fired = false
        var index = 0
        while index < state.joins.count {
            let join = state.joins[index]
            guard let node = models[join.model].nodes[join.gateway], node.kind == .inclusiveGateway,
                let upstream = models[join.model].inclusiveJoinUpstream[join.gateway]
            else { index += 1; continue }
            let blocked = state.elements.values.contains { $0.scope == join.scope && $0.model == join.model && upstream.contains($0.elementId) }
                || state.joins.contains { $0.scope == join.scope && $0.gateway != join.gateway && upstream.contains($0.gateway) }
            if blocked { index += 1; continue }
            state.joins.remove(at: index)
            fired = true
            let key = newKey()
            state.elements[key] = ElementInstance(
                key: key, node: node, elementId: node.id, scope: join.scope, model: join.model, wait: nil, variables: [:])
            emit(.elementActivated(key: key, elementId: node.id, elementType: node.kind.bpmnName))
            queue.append(.enter(key))
        }
        return fired
    }
}
