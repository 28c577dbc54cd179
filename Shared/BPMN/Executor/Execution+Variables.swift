import Contracts

/// The variables an expression sees from an element: its own, then those of each enclosing
/// scope up to its process instance (a called process does not see its caller's).
struct ScopeVariables: VariableSource {
    let elements: ElementTable
    let start: Int
    var overlay: [String: JSONValue] = [:]

    func value(of name: String) -> JSONValue? {
        if !overlay.isEmpty, let value = overlay[name] { return value }
        var key = start
        while let place = elements.place(key) {
            if let value = elements.variable(name, at: key) { return value }
            if place.calledModel != nil || key == 0 || place.scope < 0 { return nil }
            key = place.scope
        }
        return nil
    }
}

extension Execution {
    func evaluate(_ expression: Expression, at key: Int, overlay: [String: JSONValue] = [:]) -> FEELValue {
        if let constant = expression.constantValue { return constant }
        return expression.evaluate(ScopeVariables(elements: state.elements, start: key, overlay: overlay), now: now)
    }

    /// Sets a variable where it is already defined, looking from `key` outwards; where it is not,
    /// on the process instance (or the called process's top).
    mutating func set(_ name: String, _ value: JSONValue, from key: Int) {
        var current = key
        while let element = state.elements.place(current) {
            if state.elements.variable(name, at: current) != nil || element.calledModel != nil || current == 0 || element.scope < 0 {
                state.elements.update(current) { $0.variables[name] = value }
                return
            }
            current = element.scope
        }
    }

    /// Every variable visible from an element, inner scopes winning: what a job or task receives.
    func visibleVariables(at key: Int) -> [String: JSONValue] {
        // The common case: an element without variables of its own, right in the process instance.
        if let place = state.elements.place(key), place.scope == 0, place.calledModel == nil,
            state.elements[key]?.variables.isEmpty == true
        {
            return state.elements[0]?.variables ?? [:]
        }
        var chain: [[String: JSONValue]] = []
        var current = key
        while let element = state.elements[current] {
            chain.append(element.variables)
            if element.calledModel != nil || current == 0 || element.scope < 0 { break }
            current = element.scope
        }
        // Usually only the process instance has variables: no merge needed then.
        let withVariables = chain.filter { !$0.isEmpty }
        if withVariables.count <= 1 { return withVariables.first ?? [:] }
        var merged: [String: JSONValue] = [:]
        for variables in chain.reversed() { merged.merge(variables) { $1 } }
        return merged
    }

    /// The local variables an element gets from its input mappings, evaluated in its scope; a
    /// later mapping sees the earlier ones. `a.b` targets build nested objects.
    func mappedInputs(_ node: FlowNode, scope: Int, base: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var locals = base
        for mapping in node.inputs {
            let value = evaluate(mapping.source, at: scope, overlay: locals).json
            Self.assign(mapping.target, value, into: &locals)
        }
        return locals
    }

    /// Evaluates an element's output mappings against it and sets each target outside it.
    mutating func applyOutputs(_ node: FlowNode, element key: Int) -> [String: JSONValue] {
        guard let element = state.elements[key] else { return [:] }
        var changed: [String: JSONValue] = [:]
        for mapping in node.outputs {
            let value = evaluate(mapping.source, at: key).json
            let root = String(mapping.target.split(separator: ".").first ?? Substring(mapping.target))
            var holder: [String: JSONValue] = [:]
            if root != mapping.target, let current = ScopeVariables(elements: state.elements, start: element.scope).value(of: root) {
                holder[root] = current
            }
            Self.assign(mapping.target, value, into: &holder)
            set(root, holder[root] ?? .null, from: element.scope)
            changed[root] = holder[root]
        }
        return changed
    }

    static func assign(_ path: String, _ value: JSONValue, into variables: inout [String: JSONValue]) {
        let parts = path.split(separator: ".").map(String.init)
        guard parts.count > 1 else { variables[path] = value; return }
        func nested(_ current: JSONValue?, _ rest: ArraySlice<String>) -> JSONValue {
            guard let first = rest.first else { return value }
            var object: [String: JSONValue] = [:]
            if case .object(let existing)? = current { object = existing }
            object[first] = nested(object[first], rest.dropFirst())
            return .object(object)
        }
        variables[parts[0]] = nested(variables[parts[0]], parts.dropFirst())
    }

    /// A FEEL value as text (for job types, assignees, correlation keys).
    static func text(_ value: FEELValue) -> String? {
        switch value {
        case .string(let text): return text
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null, .list, .context, .range: return nil
        default: return Temporal.format(value)
        }
    }

    /// A list of names from a FEEL list or a comma-separated text.
    static func names(_ value: FEELValue) -> [String] {
        switch value {
        case .list(let items): return items.compactMap(text)
        case .string(let text):
            return text.split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
        default: return []
        }
    }
}
