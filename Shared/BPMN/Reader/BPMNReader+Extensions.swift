/// The engine-specific attributes of Camunda 8 (`zeebe:`), Camunda 7 (`camunda:`) and Flowable
/// (`flowable:`), read into one model: job types, assignment, schedule, forms, mappings.
extension BPMNReader {
    /// A `camunda:`/`flowable:`/`activiti:` attribute, whichever the model uses.
    func classic(_ element: XMLElement, _ name: String) -> String? {
        for namespace in Namespace.classicEngines { if let value = element.attribute(name, in: namespace) { return value } }
        return nil
    }

    func classicChildren(_ element: XMLElement, _ name: String) -> [XMLElement] {
        Namespace.classicEngines.flatMap { element.children(name, in: $0) }
    }

    /// `${archiveService}` or `#{archiveService}` names the bean `archiveService`.
    static func beanName(_ text: String) -> String {
        let trimmed = text.trimmingWhitespace
        guard (trimmed.hasPrefix("${") || trimmed.hasPrefix("#{")) && trimmed.hasSuffix("}") else { return trimmed }
        return String(trimmed.dropFirst(2).dropLast()).trimmingWhitespace
    }

    mutating func readExtensions(_ element: XMLElement, into node: inout FlowNode) {
        let extensions = element.child("extensionElements", in: Namespace.bpmn)
        let zeebe = { (name: String) in extensions?.child(name, in: Namespace.zeebe) }
        let id = node.id

        // Jobs: service, send and business-rule tasks, and message throw events with a task definition.
        let jobKinds: Set<FlowNode.Kind> = [.serviceTask, .sendTask, .businessRuleTask, .intermediateThrowEvent, .endEvent]
        if jobKinds.contains(node.kind) {
            var type: String?
            // Camunda 7 and Flowable name their worker with a constant: a topic, a class, a bean.
            var constantType: String?
            var retries = "3"
            var headers: [(key: String, value: String)] = []
            if let definition = zeebe("taskDefinition") {
                type = definition["type"]
                retries = definition["retries"] ?? "3"
            } else if let topic = classic(element, "topic") {
                constantType = topic
            } else if let decision = zeebe("calledDecision")?["decisionId"] ?? classic(element, "decisionRef") {
                type = "decision"
                headers.append((key: "decisionId", value: decision))
                if let result = zeebe("calledDecision")?["resultVariable"] ?? classic(element, "resultVariable") {
                    headers.append((key: "resultVariable", value: result))
                }
            } else if node.kind != .intermediateThrowEvent && node.kind != .endEvent {
                constantType = (classic(element, "type") ?? classic(element, "class") ?? classic(element, "delegateExpression")
                    ?? classic(element, "expression")).map(Self.beanName)
            }
            if let taskHeaders = zeebe("taskHeaders") {
                for header in taskHeaders.children("header", in: Namespace.zeebe) {
                    if let key = header["key"] { headers.append((key: key, value: header["value"] ?? "")) }
                }
            }
            if let constantType { node.job = JobDefinition(type: .constant(.string(constantType), source: constantType), retries: .constant(.number(3), source: "3"), headers: headers) }
            if let type, let typeExpression = expression(type, at: id, what: "job type"),
                let retriesExpression = expression(retries, at: id, what: "retries")
            {
                node.job = JobDefinition(type: typeExpression, retries: retriesExpression, headers: headers)
            }
        }

        if node.kind == .userTask { node.userTask = readUserTask(element, extensions: extensions, id: id) }
        if node.kind == .startEvent {
            let formKey = zeebe("formDefinition").flatMap { $0["formKey"] ?? $0["formId"] } ?? classic(element, "formKey")
            node.startForm = readForm(element, extensions: extensions, formKey: formKey, id: id)
            node.startFormKey = formKey
        }

        if node.kind == .scriptTask {
            if let script = zeebe("script"), let text = script["expression"] {
                if let parsed = expression(text, at: id, what: "script") {
                    node.script = ScriptDefinition(expression: parsed, resultVariable: script["resultVariable"] ?? "")
                }
            } else if let body = element.child("script", in: Namespace.bpmn)?.text.trimmingWhitespace, !body.isEmpty {
                let format = (element["scriptFormat"] ?? "feel").lowercased()
                if format == "feel" || format == "juel" {
                    if let parsed = expression(body, at: id, what: "script", body: true) {
                        node.script = ScriptDefinition(expression: parsed, resultVariable: classic(element, "resultVariable") ?? "")
                    }
                } else {
                    problems.append(ModelProblem(id, "scripts in \(format) are not run; write the script as a FEEL expression"))
                }
            }
        }

        if node.kind == .callActivity { node.call = readCall(element, extensions: extensions, id: id, into: &node) }

        // Input and output mappings.
        if let mapping = zeebe("ioMapping") {
            for input in mapping.children("input", in: Namespace.zeebe) {
                if let target = input["target"], let source = expression(input["source"] ?? "=null", at: id, what: "input mapping") {
                    node.inputs.append(VariableMapping(source: source, target: target))
                }
            }
            for output in mapping.children("output", in: Namespace.zeebe) {
                if let target = output["target"], let source = expression(output["source"] ?? "=null", at: id, what: "output mapping") {
                    node.outputs.append(VariableMapping(source: source, target: target))
                }
            }
        }
        for inputOutput in extensions.map({ classicChildren($0, "inputOutput") }) ?? [] {
            for parameter in classicChildren(inputOutput, "inputParameter") {
                if let name = parameter["name"], let source = classicParameter(parameter, id: id) {
                    node.inputs.append(VariableMapping(source: source, target: name))
                }
            }
            for parameter in classicChildren(inputOutput, "outputParameter") {
                if let name = parameter["name"], let source = classicParameter(parameter, id: id) {
                    node.outputs.append(VariableMapping(source: source, target: name))
                }
            }
        }
    }

    /// A Camunda 7 parameter: its text is an expression or a constant; empty means null.
    private mutating func classicParameter(_ parameter: XMLElement, id: String) -> Expression? {
        let text = parameter.text.trimmingWhitespace
        if text.isEmpty { return .constant(.null, source: "") }
        return expression(text, at: id, what: "mapping \(parameter["name"] ?? "")")
    }

    private mutating func readUserTask(_ element: XMLElement, extensions: XMLElement?, id: String) -> UserTaskDefinition {
        let zeebe = { (name: String) in extensions?.child(name, in: Namespace.zeebe) }
        let assignment = zeebe("assignmentDefinition")
        let schedule = zeebe("taskSchedule")
        func attribute(_ value: String?, _ what: String) -> Expression? {
            guard let value, !value.isEmpty else { return nil }
            return expression(value, at: id, what: what)
        }
        var task = UserTaskDefinition()
        task.assignee = attribute(assignment?["assignee"] ?? classic(element, "assignee"), "assignee")
        task.candidateUsers = attribute(assignment?["candidateUsers"] ?? classic(element, "candidateUsers"), "candidate users")
        task.candidateGroups = attribute(assignment?["candidateGroups"] ?? classic(element, "candidateGroups"), "candidate groups")
        task.dueDate = attribute(schedule?["dueDate"] ?? classic(element, "dueDate"), "due date")
        task.followUpDate = attribute(schedule?["followUpDate"] ?? classic(element, "followUpDate"), "follow-up date")
        task.priority = attribute(zeebe("priorityDefinition")?["priority"] ?? classic(element, "priority"), "priority")
        task.formKey = zeebe("formDefinition").flatMap { $0["formKey"] ?? $0["formId"] ?? $0["externalReference"] }
            ?? extensions?.attribute("formKey", in: Namespace.zeebe)
            ?? zeebe("formDefinition")?["formKey"] ?? classic(element, "formKey")
        task.form = readForm(element, extensions: extensions, formKey: task.formKey, id: id)
        // BPMN's own <potentialOwner> with a plain formal expression of users or groups.
        if task.candidateGroups == nil && task.candidateUsers == nil,
            let owner = element.child("potentialOwner", in: Namespace.bpmn)?
                .child("resourceAssignmentExpression", in: Namespace.bpmn)?.child("formalExpression", in: Namespace.bpmn)?.text
                .trimmingWhitespace, !owner.isEmpty
        {
            task.candidateGroups = .constant(.string(owner), source: owner)
        }
        return task
    }

    private mutating func readCall(_ element: XMLElement, extensions: XMLElement?, id: String, into node: inout FlowNode) -> CallDefinition? {
        let zeebe = extensions?.child("calledElement", in: Namespace.zeebe)
        guard let processId = zeebe?["processId"] ?? element["calledElement"], !processId.isEmpty else {
            problems.append(ModelProblem(id, "the call activity names no process (calledElement)"))
            return nil
        }
        guard let processExpression = expression(processId, at: id, what: "called process") else { return nil }
        var version: Int?
        if classic(element, "calledElementBinding") == "version" || classic(element, "calledElementType") == "version" {
            version = classic(element, "calledElementVersion").flatMap { Int($0) }
            if version == nil { problems.append(ModelProblem(id, "calledElementVersion is not a version number")) }
        }
        var call = CallDefinition(
            processId: processExpression, version: version,
            propagateAllChildVariables: zeebe?["propagateAllChildVariables"] != "false",
            propagateAllParentVariables: zeebe?["propagateAllParentVariables"] != "false")
        // Camunda 7 and Flowable: <camunda:in source target/>, <camunda:in variables="all"/>.
        if let extensions {
            let ins = classicChildren(extensions, "in"), outs = classicChildren(extensions, "out")
            if !ins.isEmpty || !outs.isEmpty {
                call.propagateAllParentVariables = ins.contains { $0["variables"] == "all" }
                call.propagateAllChildVariables = outs.contains { $0["variables"] == "all" }
            }
            for (list, isInput) in [(ins, true), (outs, false)] {
                for mapping in list where mapping["variables"] == nil {
                    guard let target = mapping["target"] else { continue }
                    let sourceText = mapping["sourceExpression"] ?? mapping["source"].map { "=\($0)" }
                    guard let sourceText, let source = expression(sourceText, at: id, what: "call mapping") else { continue }
                    if isInput { node.inputs.append(VariableMapping(source: source, target: target)) }
                    else { node.outputs.append(VariableMapping(source: source, target: target)) }
                }
            }
        }
        return call
    }

    mutating func readLoop(_ element: XMLElement, into node: inout FlowNode) {
        if element.child("standardLoopCharacteristics", in: Namespace.bpmn) != nil {
            problems.append(ModelProblem(node.id, "standard loops are not supported; use multi-instance"))
        }
        guard let loop = element.child("multiInstanceLoopCharacteristics", in: Namespace.bpmn) else { return }
        let zeebe = loop.child("extensionElements", in: Namespace.bpmn)?.child("loopCharacteristics", in: Namespace.zeebe)
        var definition = MultiInstanceDefinition(isSequential: loop["isSequential"] == "true")
        if let collection = zeebe?["inputCollection"] {
            definition.inputCollection = expression(collection, at: node.id, what: "input collection")
        } else if let collection = classic(loop, "collection") {
            // Camunda 7 names a variable or writes an expression.
            definition.inputCollection = expression(collection.hasPrefix("${") ? collection : "=\(collection)", at: node.id, what: "collection")
        } else if let body = loop.child("loopDataInputRef", in: Namespace.bpmn)?.text.trimmingWhitespace, !body.isEmpty {
            definition.inputCollection = expression("=\(body)", at: node.id, what: "loopDataInputRef")
        }
        definition.inputElement = zeebe?["inputElement"] ?? classic(loop, "elementVariable")
            ?? loop.child("inputDataItem", in: Namespace.bpmn)?["name"]
        definition.outputCollection = zeebe?["outputCollection"]
        if let output = zeebe?["outputElement"] { definition.outputElement = expression(output, at: node.id, what: "output element") }
        if let cardinality = loop.child("loopCardinality", in: Namespace.bpmn)?.text.trimmingWhitespace, !cardinality.isEmpty {
            definition.cardinality = expression(cardinality, at: node.id, what: "loop cardinality", body: true)
        }
        if let condition = loop.child("completionCondition", in: Namespace.bpmn)?.text.trimmingWhitespace, !condition.isEmpty {
            definition.completionCondition = expression(condition, at: node.id, what: "completion condition", body: true)
        }
        if definition.inputCollection == nil && definition.cardinality == nil {
            problems.append(ModelProblem(node.id, "the multi-instance activity has neither an input collection nor a loop cardinality"))
        }
        node.multiInstance = definition
    }
}
