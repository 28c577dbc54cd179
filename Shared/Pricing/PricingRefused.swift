import Contracts

/// A tariff, a version or a price request that cannot be priced, each problem naming its field.
public struct PricingRefused: Error, Sendable, Equatable, CustomStringConvertible {
    public let problems: [FieldProblem]
    public init(_ problems: [FieldProblem]) { self.problems = problems }
    public init(_ field: String, _ message: String) { problems = [FieldProblem(field, message)] }
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
