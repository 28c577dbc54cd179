/// The syntax tree of a FEEL expression.
indirect enum FEELNode: Sendable {
    case literal(FEELValue)
    case name(String)
    case path(FEELNode, String)
    /// `list[expression]`: an index when the expression is a number, else a filter on `item`.
    case filter(FEELNode, FEELNode)
    case call(String, [FEELNode])
    case negate(FEELNode)
    case not(FEELNode)
    case arithmetic(ArithmeticOperator, FEELNode, FEELNode)
    case comparison(ComparisonOperator, FEELNode, FEELNode)
    case and(FEELNode, FEELNode)
    case or(FEELNode, FEELNode)
    case conditional(FEELNode, FEELNode, FEELNode)
    case between(FEELNode, FEELNode, FEELNode)
    case isIn(FEELNode, [UnaryTest])
    case list([FEELNode])
    case context([(String, FEELNode)])
    case range(low: FEELNode?, lowClosed: Bool, high: FEELNode?, highClosed: Bool)
    case forEach(String, FEELNode, FEELNode)
    case quantified(every: Bool, String, FEELNode, FEELNode)
    case instanceOf(FEELNode, String)
}

enum ArithmeticOperator: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/", power = "**" }
enum ComparisonOperator: String, Sendable { case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=" }

/// One test of `x in ...`: a comparison (`< 5`), a value or range or list to match, or `-` (any).
enum UnaryTest: Sendable {
    case compare(ComparisonOperator, FEELNode)
    case matches(FEELNode)
    case any
}

/// A syntax error, with the position (0-based character offset) where it was found.
public struct FEELSyntaxError: Error, Sendable, CustomStringConvertible, Equatable {
    public var position: Int
    public var reason: String
    public var description: String { "at character \(position + 1): \(reason)" }
}
