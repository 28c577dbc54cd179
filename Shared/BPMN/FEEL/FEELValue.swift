import Contracts

/// A FEEL value. Numbers are binary floating point (as JSON's are), so decimal fractions such as
/// 0.1 are approximate: money belongs in integer minor units, as everywhere in Utilis.
public enum FEELValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([FEELValue])
    case context([String: FEELValue])
    /// Days since 1970-01-01.
    case date(Int)
    /// Seconds since 1970-01-01T00:00:00Z, and the offset it was written with, in seconds.
    case dateTime(Double, offset: Int)
    case dayTimeDuration(Double)
    case yearMonthDuration(Int)
    indirect case range(low: FEELValue?, lowClosed: Bool, high: FEELValue?, highClosed: Bool)

    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let value): self = .number(value)
        case .string(let value): self = .string(value)
        case .array(let values): self = .list(values.map(FEELValue.init))
        case .object(let entries): self = .context(entries.mapValues(FEELValue.init))
        }
    }

    /// The JSON form kept in process variables: temporal values as their ISO 8601 text.
    public var json: JSONValue {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .number(let value): value.isFinite ? .number(value) : .null
        case .string(let value): .string(value)
        case .list(let values): .array(values.map(\.json))
        case .context(let entries): .object(entries.mapValues(\.json))
        case .date, .dateTime, .dayTimeDuration, .yearMonthDuration: .string(Temporal.format(self))
        case .range: .null
        }
    }

    /// The FEEL type name, for `instance of` and error messages.
    public var typeName: String {
        switch self {
        case .null: "Null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .list: "list"
        case .context: "context"
        case .date: "date"
        case .dateTime: "date and time"
        case .dayTimeDuration: "days and time duration"
        case .yearMonthDuration: "years and months duration"
        case .range: "range"
        }
    }
}
