/// Evaluates a FEEL syntax tree. Errors are not thrown: as FEEL says, an expression that cannot
/// be evaluated (wrong types, missing values) is null.
struct FEELEvaluator<Variables: VariableSource> {
    let variables: Variables
    let now: Double

    func evaluate(_ node: FEELNode, locals: [String: FEELValue]) -> FEELValue {
        switch node {
        case .literal(let value): return value
        case .name(let name):
            if let local = locals[name] { return local }
            return variables.value(of: name).map(FEELValue.init) ?? .null
        case .path(let base, let key):
            return FEELValue.member(evaluate(base, locals: locals), key)
        case .filter(let base, let selector):
            return filter(evaluate(base, locals: locals), selector, locals: locals)
        case .call(let name, let arguments):
            return FEELFunctions.call(name, arguments.map { evaluate($0, locals: locals) }, now: now)
        case .negate(let inner):
            switch evaluate(inner, locals: locals) {
            case .number(let value): return .number(-value)
            case .dayTimeDuration(let value): return .dayTimeDuration(-value)
            case .yearMonthDuration(let value): return .yearMonthDuration(-value)
            default: return .null
            }
        case .not(let inner):
            if case .bool(let value) = evaluate(inner, locals: locals) { return .bool(!value) }
            return .null
        case .arithmetic(let op, let left, let right):
            return FEELArithmetic.apply(op, evaluate(left, locals: locals), evaluate(right, locals: locals))
        case .comparison(let op, let left, let right):
            return FEELArithmetic.compare(op, evaluate(left, locals: locals), evaluate(right, locals: locals))
        case .and(let left, let right):
            let l = evaluate(left, locals: locals)
            if l == .bool(false) { return .bool(false) }
            let r = evaluate(right, locals: locals)
            if r == .bool(false) { return .bool(false) }
            return l == .bool(true) && r == .bool(true) ? .bool(true) : .null
        case .or(let left, let right):
            let l = evaluate(left, locals: locals)
            if l == .bool(true) { return .bool(true) }
            let r = evaluate(right, locals: locals)
            if r == .bool(true) { return .bool(true) }
            return l == .bool(false) && r == .bool(false) ? .bool(false) : .null
        case .conditional(let condition, let then, let otherwise):
            return evaluate(condition, locals: locals) == .bool(true) ? evaluate(then, locals: locals) : evaluate(otherwise, locals: locals)
        case .between(let value, let low, let high):
            let v = evaluate(value, locals: locals)
            let lower = FEELArithmetic.compare(.greaterOrEqual, v, evaluate(low, locals: locals))
            let upper = FEELArithmetic.compare(.lessOrEqual, v, evaluate(high, locals: locals))
            if lower == .bool(false) || upper == .bool(false) { return .bool(false) }
            return lower == .bool(true) && upper == .bool(true) ? .bool(true) : .null
        case .isIn(let value, let tests):
            let v = evaluate(value, locals: locals)
            var sawNull = false
            for test in tests {
                switch self.test(test, v, locals: locals) {
                case .bool(true): return .bool(true)
                case .bool(false): continue
                default: sawNull = true
                }
            }
            return sawNull ? .null : .bool(false)
        case .list(let items):
            return .list(items.map { evaluate($0, locals: locals) })
        case .context(let entries):
            var context: [String: FEELValue] = [:]
            var scope = locals
            for (key, value) in entries {
                let result = evaluate(value, locals: scope)
                context[key] = result
                scope[key] = result  // later entries may use earlier ones
            }
            return .context(context)
        case .range(let low, let lowClosed, let high, let highClosed):
            return .range(
                low: low.map { evaluate($0, locals: locals) }, lowClosed: lowClosed,
                high: high.map { evaluate($0, locals: locals) }, highClosed: highClosed)
        case .forEach(let name, let list, let body):
            guard let items = Self.items(evaluate(list, locals: locals)) else { return .null }
            var scope = locals
            return .list(items.map { item in
                scope[name] = item
                return evaluate(body, locals: scope)
            })
        case .quantified(let every, let name, let list, let condition):
            guard let items = Self.items(evaluate(list, locals: locals)) else { return .null }
            var scope = locals
            for item in items {
                scope[name] = item
                let holds = evaluate(condition, locals: scope) == .bool(true)
                if every && !holds { return .bool(false) }
                if !every && holds { return .bool(true) }
            }
            return .bool(every)
        case .instanceOf(let value, let type):
            let v = evaluate(value, locals: locals)
            if type == "Any" { return .bool(v != .null) }
            return .bool(v.typeName == type || (type == "Null" && v == .null))
        }
    }

    /// A list as items; a range of whole numbers is expanded (`for i in 1..3`).
    static func items(_ value: FEELValue) -> [FEELValue]? {
        switch value {
        case .list(let items): return items
        case .range(.number(let low)?, let lowClosed, .number(let high)?, let highClosed):
            let first = Int(low) + (lowClosed ? 0 : 1), last = Int(high) - (highClosed ? 0 : 1)
            guard first <= last, last - first < 1_000_000 else { return [] }
            return (first...last).map { .number(Double($0)) }
        case .null: return nil
        default: return [value]
        }
    }

    private func test(_ test: UnaryTest, _ value: FEELValue, locals: [String: FEELValue]) -> FEELValue {
        switch test {
        case .any: return .bool(true)
        case .compare(let op, let node): return FEELArithmetic.compare(op, value, evaluate(node, locals: locals))
        case .matches(let node):
            let expected = evaluate(node, locals: locals)
            switch expected {
            case .range: return FEELArithmetic.contains(expected, value)
            case .list(let items): return .bool(items.contains { FEELArithmetic.compare(.equal, value, $0) == .bool(true) })
            default: return FEELArithmetic.compare(.equal, value, expected)
            }
        }
    }

    private func filter(_ base: FEELValue, _ selector: FEELNode, locals: [String: FEELValue]) -> FEELValue {
        guard base != .null, let items = Self.items(base) else { return .null }
        // A selector that is a number without reference to `item` is an index (1-based, negative from the end).
        if case .number(let position) = evaluate(selector, locals: locals), position == position.rounded() {
            let offset = position > 0 ? Int(position) - 1 : items.count + Int(position)
            return offset >= 0 && offset < items.count ? items[offset] : .null
        }
        var scope = locals
        var kept: [FEELValue] = []
        for item in items {
            scope["item"] = item
            if case .context(let entries) = item { for (key, value) in entries { scope[key] = value } }
            if evaluate(selector, locals: scope) == .bool(true) { kept.append(item) }
            if case .context(let entries) = item { for key in entries.keys { scope[key] = locals[key] } }
        }
        return .list(kept)
    }
}
