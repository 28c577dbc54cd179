extension ProcessModel {
    /// Derives what the executor looks up from what the reader collected: each node's flows
    /// (from the flows' own references, not the optional `<incoming>` elements), boundary events,
    /// start events and event sub-processes per scope, link targets, inclusive-join reachability.
    func finish() {
        for id in nodeOrder {
            nodes[id]!.incoming = []
            nodes[id]!.outgoing = []
        }
        for flow in flows.values.sorted(by: { $0.id < $1.id }) {
            nodes[flow.source]?.outgoing.append(flow.id)
            nodes[flow.target]?.incoming.append(flow.id)
        }
        // Keep document order of flows, which is how modelers list them.
        let flowOrder = Dictionary(uniqueKeysWithValues: flowDocumentOrder.enumerated().map { ($1, $0) })
        nodeList = nodeOrder.map { nodes[$0]! }
        for (index, node) in nodeList.enumerated() { node.index = index }
        for flow in flows.values { flow.targetIndex = nodes[flow.target]?.index ?? -1 }
        for id in nodeOrder {
            let node = nodes[id]!
            node.outgoing.sort { (flowOrder[$0] ?? 0) < (flowOrder[$1] ?? 0) }
            node.incoming.sort { (flowOrder[$0] ?? 0) < (flowOrder[$1] ?? 0) }
            node.outgoingFlows = node.outgoing.compactMap { flows[$0] }
        }
        for id in nodeOrder {
            let node = nodes[id]!
            if node.kind == .boundaryEvent, let host = node.attachedTo { nodes[host]?.boundaryEvents.append(id) }
            if node.kind == .startEvent {
                if let scope = node.scope { nodes[scope]?.startEvents.append(id) } else { startEvents.append(id) }
            }
            if node.kind == .eventSubProcess {
                if let scope = node.scope { nodes[scope]?.eventSubProcesses.append(id) } else { eventSubProcesses.append(id) }
            }
            if node.kind == .intermediateCatchEvent, case .link(let name)? = node.trigger {
                linkTargets[Self.linkKey(scope: node.scope, name: name)] = id
            }
        }
        for id in nodeOrder {
            let node = nodes[id]!
            guard let scope = node.scope, nodes[scope]?.kind == .subProcess, nodes[scope]!.startEvents.isEmpty, node.incoming.isEmpty,
                node.kind != .boundaryEvent, node.kind != .eventSubProcess, node.kind != .startEvent
            else { continue }
            if node.kind == .intermediateCatchEvent, case .link? = node.trigger { continue }
            nodes[scope]!.implicitStarts.append(id)
        }
        for id in nodeOrder where nodes[id]!.kind == .inclusiveGateway && nodes[id]!.incoming.count > 1 {
            inclusiveJoinUpstream[id] = upstream(of: id)
        }
    }

    /// Every node from which a token could still travel to `join` without passing through it:
    /// over sequence flows backwards, from a boundary event to its activity, from a link catch to
    /// its throws, and from the inside of a sub-process to the sub-process.
    func upstream(of join: String) -> Set<String> {
        var seen: Set<String> = []
        var work = nodes[join]!.incoming.compactMap { flows[$0]?.source }
        while let id = work.popLast() {
            guard id != join, !seen.contains(id), let node = nodes[id] else { continue }
            seen.insert(id)
            work += node.incoming.compactMap { flows[$0]?.source }
            if let host = node.attachedTo { work.append(host) }
            if node.kind == .intermediateCatchEvent, case .link(let name)? = node.trigger {
                work += nodeOrder.filter {
                    guard let other = nodes[$0], other.kind == .intermediateThrowEvent, other.scope == node.scope,
                        case .link(let thrown)? = other.trigger else { return false }
                    return thrown == name
                }
            }
            // Tokens inside a sub-process leave it through the sub-process itself.
            if node.kind == .subProcess || node.kind == .callActivity {
                work += nodeOrder.filter { nodes[$0]?.scope == id }
            }
        }
        return seen
    }
}
