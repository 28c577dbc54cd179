/// A field that does not fit, named by its path (`address.city`, `phones[1]`): what a form, a
/// record or a command refusal says about each field it refuses.
public struct FieldProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
    public init(field: String, message: String) { self.init(field, message) }
    public var description: String { "\(field): \(message)" }
}

