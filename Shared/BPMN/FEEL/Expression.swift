import Contracts

/// Where an expression reads its variables from.
public protocol VariableSource {
    func value(of name: String) -> JSONValue?
}

extension Dictionary: VariableSource where Key == String, Value == JSONValue {
    public func value(of name: String) -> JSONValue? { self[name] }
}

/// A FEEL expression of a model, parsed once when the model is read.
///
/// The subset: literals (numbers, strings, booleans, null, lists, contexts, `@"..."` temporal
/// literals), paths (`customer.address.region`), filters and indexes (`items[amount > 10]`,
/// `items[1]`), `+ - * / **`, comparisons, `and`/`or`/`not`, `if then else`, `between`, `in`
/// with lists, ranges and unary tests, `for`, `some`, `every`, `instance of`, and the
/// functions of `FEELFunctions`. Null semantics are FEEL's: a missing variable is null, and an
/// operation on null or on mismatched types is null.
public struct Expression: Sendable, CustomStringConvertible {
    /// The text as written in the model.
    public let source: String
    let node: FEELNode

    public var description: String { source }

    /// FEEL text (without a leading `=`).
    public static func feel(_ text: String) throws(FEELSyntaxError) -> Expression {
        Expression(source: text, node: try FEELParser.parse(text))
    }

    /// A constant.
    public static func constant(_ value: FEELValue, source: String) -> Expression {
        Expression(source: source, node: .literal(value))
    }

    /// An attribute value as Camunda 8, Camunda 7 and Flowable write them: `=expression` is FEEL,
    /// `${expression}` or `#{expression}` is a Camunda 7 / Flowable expression read with the same
    /// subset (and its `==`, `&&`, `||`, `!` operators), anything else is a constant string.
    public static func attribute(_ text: String) throws(FEELSyntaxError) -> Expression {
        let trimmed = text.trimmingWhitespace
        if trimmed.hasPrefix("=") {
            return Expression(source: text, node: try FEELParser.parse(String(trimmed.dropFirst())))
        }
        if let inner = juelBody(trimmed) {
            return Expression(source: text, node: try FEELParser.parse(inner, juel: true))
        }
        return constant(.string(text), source: text)
    }

    /// A condition or other body text: `=...` and `${...}` as for attributes, else FEEL.
    public static func body(_ text: String) throws(FEELSyntaxError) -> Expression {
        let trimmed = text.trimmingWhitespace
        if trimmed.hasPrefix("=") || juelBody(trimmed) != nil { return try attribute(trimmed) }
        return Expression(source: text, node: try FEELParser.parse(trimmed))
    }

    private static func juelBody(_ text: String) -> String? {
        guard (text.hasPrefix("${") || text.hasPrefix("#{")) && text.hasSuffix("}") else { return nil }
        return String(text.dropFirst(2).dropLast())
    }

    /// Whether the expression is a constant, known when the model is read.
    public var constantValue: FEELValue? {
        if case .literal(let value) = node { return value }
        return nil
    }

    /// Evaluates with the variables of `source`; `now` (seconds since 1970) answers `now()` and
    /// `today()`, so evaluation is deterministic.
    public func evaluate(_ variables: some VariableSource, now: Double) -> FEELValue {
        FEELEvaluator(variables: variables, now: now).evaluate(node, locals: [:])
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
