import Foundation

/// The part of JSON Schema that message contracts use, with a validator, so the published
/// AsyncAPI document and the Codable types can be checked against each other.
public indirect enum JSONSchema: Sendable, Equatable {
    public enum StringFormat: String, Sendable { case uuid, dateTime = "date-time", date, email }

    case string(format: StringFormat? = nil, minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil)
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    case number
    case boolean
    case enumeration([String])
    case array(JSONSchema)
    case object(properties: [String: JSONSchema], required: [String], additionalProperties: Bool = false)
    /// Any JSON value (free-form variables).
    case any
    case nullable(JSONSchema)

    /// The schema as a JSON Schema document fragment.
    public var document: JSONValue {
        switch self {
        case .string(let format, let minLength, let maxLength, let pattern):
            var object: [String: JSONValue] = ["type": .string("string")]
            if let format { object["format"] = .string(format.rawValue) }
            if let minLength { object["minLength"] = .number(Double(minLength)) }
            if let maxLength { object["maxLength"] = .number(Double(maxLength)) }
            if let pattern { object["pattern"] = .string(pattern) }
            return .object(object)
        case .integer(let minimum, let maximum):
            var object: [String: JSONValue] = ["type": .string("integer")]
            if let minimum { object["minimum"] = .number(Double(minimum)) }
            if let maximum { object["maximum"] = .number(Double(maximum)) }
            return .object(object)
        case .number: return .object(["type": .string("number")])
        case .boolean: return .object(["type": .string("boolean")])
        case .enumeration(let values): return .object(["type": .string("string"), "enum": .array(values.map { .string($0) })])
        case .array(let items): return .object(["type": .string("array"), "items": items.document])
        case .object(let properties, let required, let additional):
            return .object([
                "type": .string("object"),
                "properties": .object(properties.mapValues(\.document)),
                "required": .array(required.sorted().map { .string($0) }),
                "additionalProperties": .bool(additional),
            ])
        case .any: return .object([:])
        case .nullable(let schema):
            return .object(["oneOf": .array([schema.document, .object(["type": .string("null")])])])
        }
    }

    /// The problems of a value against the schema, each naming the field path; empty when valid.
    public func problems(of value: JSONValue, at path: String = "$") -> [String] {
        switch (self, value) {
        case (.any, _): return []
        case (.nullable, .null): return []
        case (.nullable(let schema), _): return schema.problems(of: value, at: path)
        case (.string(let format, let minLength, let maxLength, let pattern), .string(let text)):
            var problems: [String] = []
            if let minLength, text.count < minLength { problems.append("\(path): shorter than \(minLength)") }
            if let maxLength, text.count > maxLength { problems.append("\(path): longer than \(maxLength)") }
            if let pattern, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): does not match \(pattern)")
            }
            if format == .uuid, UUID(uuidString: text) == nil { problems.append("\(path): not a UUID") }
            if format == .dateTime, ISO8601DateFormatter().date(from: text) == nil {
                problems.append("\(path): not an ISO 8601 date-time")
            }
            if format == .date, text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
                problems.append("\(path): not a date YYYY-MM-DD")
            }
            return problems
        case (.integer(let minimum, let maximum), .number(let number)):
            guard number.rounded() == number else { return ["\(path): not an integer"] }
            if let minimum, number < Double(minimum) { return ["\(path): below \(minimum)"] }
            if let maximum, number > Double(maximum) { return ["\(path): above \(maximum)"] }
            return []
        case (.number, .number), (.boolean, .bool): return []
        case (.enumeration(let values), .string(let text)):
            return values.contains(text) ? [] : ["\(path): '\(text)' is not one of \(values.joined(separator: ", "))"]
        case (.array(let items), .array(let elements)):
            return elements.enumerated().flatMap { items.problems(of: $1, at: "\(path)[\($0)]") }
        case (.object(let properties, let required, let additional), .object(let object)):
            var problems = required.filter { object[$0] == nil || object[$0] == .null && !properties[$0]!.isNullable }
                .map { "\(path).\($0): required" }
            for (key, element) in object.sorted(by: { $0.key < $1.key }) {
                if let schema = properties[key] {
                    problems += schema.problems(of: element, at: "\(path).\(key)")
                } else if !additional {
                    problems.append("\(path).\(key): not a known field")
                }
            }
            return problems
        default:
            return ["\(path): expected \(typeName), got \(value.typeName)"]
        }
    }

    var isNullable: Bool { if case .nullable = self { true } else { false } }

    var typeName: String {
        switch self {
        case .string, .enumeration: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .array: "array"
        case .object: "object"
        case .any: "any value"
        case .nullable(let schema): "\(schema.typeName) or null"
        }
    }
}

extension JSONValue {
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
