/// The structural rules a process must keep to be run, each problem naming its element.
enum ModelValidator {
    static func validate(_ process: ProcessModel) -> [ModelProblem] {
        var problems: [ModelProblem] = []
        func problem(_ id: String, _ message: String) { problems.append(ModelProblem(id, message)) }

        for id in process.flowDocumentOrder {
            let flow = process.flows[id]!
            guard let source = process.nodes[flow.source] else {
                problem(id, flow.source.isEmpty ? "the sequence flow has no sourceRef" : "the sequence flow comes from \(flow.source), which is not a flow node of the process")
                continue
            }
            guard let target = process.nodes[flow.target] else {
                problem(id, flow.target.isEmpty ? "the sequence flow goes nowhere (no targetRef)" : "the sequence flow goes to \(flow.target), which is not a flow node of the process")
                continue
            }
            if source.scope != target.scope { problem(id, "the sequence flow crosses the border of a sub-process") }
            if target.kind == .startEvent { problem(id, "the sequence flow goes into the start event \(target.id)") }
            if target.kind == .boundaryEvent { problem(id, "the sequence flow goes into the boundary event \(target.id)") }
        }
        if process.startEvents.isEmpty { problem(process.id, "the process has no start event") }

        for id in process.nodeOrder {
            let node = process.nodes[id]!
            if let defaultFlow = node.defaultFlow, !node.outgoing.contains(defaultFlow) {
                problem(id, "the default flow \(defaultFlow) is not an outgoing flow of the element")
            }
            switch node.kind {
            case .exclusiveGateway, .inclusiveGateway:
                if node.outgoing.count > 1 {
                    for flowId in node.outgoing where flowId != node.defaultFlow && process.flows[flowId]?.hasConditionText == false {
                        problem(id, "the branch \(flowId) has neither a condition nor is it the default flow")
                    }
                }
                if node.outgoing.isEmpty { problem(id, "the gateway has no outgoing flow") }
            case .eventBasedGateway:
                if node.outgoing.count < 2 { problem(id, "an event-based gateway needs at least two outgoing flows") }
                for flowId in node.outgoing {
                    guard let target = process.flows[flowId].flatMap({ process.nodes[$0.target] }) else { continue }
                    let waits: Bool
                    switch (target.kind, target.trigger) {
                    case (.intermediateCatchEvent, .message?), (.intermediateCatchEvent, .timer?), (.intermediateCatchEvent, .signal?), (.receiveTask, _):
                        waits = true
                    default: waits = false
                    }
                    if !waits { problem(id, "the event-based gateway leads to \(target.id), which is not a message, timer or signal catch event") }
                }
            case .parallelGateway:
                if node.outgoing.isEmpty && node.incoming.isEmpty { problem(id, "the gateway has no flows") }
            case .serviceTask, .businessRuleTask:
                if node.job == nil { problem(id, "the \(node.kind.rawValue) has no job type (zeebe:taskDefinition type, camunda:topic, camunda:class ...)") }
            case .scriptTask:
                if node.script == nil { problem(id, "the script task has no FEEL expression (zeebe:script or <script scriptFormat=\"feel\">)") }
                else if node.script!.resultVariable.isEmpty { problem(id, "the script task has no result variable") }
            case .boundaryEvent:
                guard let host = node.attachedTo else { problem(id, "the boundary event is attached to nothing (attachedToRef)"); break }
                guard let activity = process.nodes[host], activity.kind.isActivity else {
                    problem(id, "the boundary event is attached to \(host), which is not an activity of the process")
                    break
                }
                switch node.trigger {
                case .timer?, .message?, .signal?, .error?, .escalation?: break
                default: problem(id, "a boundary event must catch a timer, message, signal, error or escalation")
                }
                if case .error? = node.trigger, !node.cancelActivity { problem(id, "an error boundary event always interrupts") }
                if node.outgoing.isEmpty { problem(id, "the boundary event has no outgoing flow") }
            case .startEvent:
                if let scope = node.scope, process.nodes[scope]?.kind == .subProcess, node.trigger.map({ if case .none = $0 { false } else { true } }) == true {
                    problem(id, "the start event of an embedded sub-process must be a none start event")
                }
                if case .link? = node.trigger { problem(id, "a link event cannot start a process") }
            case .intermediateThrowEvent:
                if case .link(let name)? = node.trigger, process.linkTargets[ProcessModel.linkKey(scope: node.scope, name: name)] == nil {
                    problem(id, "no link catch event named \(name) in the same scope")
                }
            case .intermediateCatchEvent:
                switch node.trigger {
                case .message?, .timer?, .signal?, .link?: break
                default: problem(id, "an intermediate catch event must wait for a message, timer, signal or link")
                }
            case .subProcess:
                let starts = node.startEvents
                if starts.count > 1 { problem(id, "an embedded sub-process has one none start event at most, it has \(starts.count)") }
                if starts.isEmpty && node.implicitStarts.isEmpty { problem(id, "the sub-process has neither a start event nor an element without incoming flow to begin with") }
            case .eventSubProcess:
                if node.startEvents.count != 1 { problem(id, "an event sub-process needs exactly one start event") }
                if let start = node.startEvents.first.flatMap({ process.nodes[$0] }), case .none? = start.trigger {
                    problem(start.id, "the start event of an event sub-process must have a trigger (message, timer, signal, error, escalation)")
                }
                if !node.incoming.isEmpty || !node.outgoing.isEmpty { problem(id, "an event sub-process has no sequence flows") }
            default: break
            }
            if node.multiInstance != nil && node.kind == .eventSubProcess { problem(id, "an event sub-process cannot be multi-instance") }
        }
        return problems
    }
}
