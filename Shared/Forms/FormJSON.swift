import Contracts

/// A form as Camunda Forms JSON (the schema Camunda Modeler writes): read from a model, and
/// written back in the same shape for the cartable, so one reader serves both.
extension Form {
    /// Reads a Camunda Forms document. Components of a group are read in their place; buttons
    /// are left out (the cartable draws its own); any other unknown type is refused.
    public init(json: JSONValue) throws(FormDefinitionError) {
        guard case .object = json else { throw FormDefinitionError("form", "is not a JSON object") }
        guard case .array(let components)? = json["components"] else {
            throw FormDefinitionError("components", "is missing or not a list")
        }
        var fields: [Field] = []
        try Self.read(components, path: "components", into: &fields)
        var keys = Set<String>()
        for field in fields {
            if let key = field.key, !keys.insert(key).inserted { throw FormDefinitionError("components", "the key \"\(key)\" is used twice") }
        }
        self.init(id: json["id"]?.stringValue, fields: fields)
    }

    /// Reads a form from its text (a `.form` file or a `zeebe:userTaskForm` element).
    public init(text: String) throws(FormDefinitionError) {
        let json: JSONValue
        do { json = try JSONValue.parse(Array(text.utf8)) } catch { throw FormDefinitionError("form", "\(error)") }
        try self.init(json: json)
    }

    private static func read(_ components: [JSONValue], path: String, into fields: inout [Field]) throws(FormDefinitionError) {
        for (index, component) in components.enumerated() {
            let at = "\(path)[\(index)]"
            guard let type = component["type"]?.stringValue else { throw FormDefinitionError("\(at).type", "is missing") }
            switch type {
            case "group", "dynamiclist":
                guard case .array(let nested)? = component["components"] else { continue }
                try read(nested, path: "\(at).components", into: &fields)
                continue
            case "button", "image", "html", "iframe", "documentPreview", "expression":
                continue
            default:
                break
            }
            guard let kind = Kind(rawValue: type) else {
                throw FormDefinitionError("\(at).type", "\"\(type)\" is not a field this cartable draws (\(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            try fields.append(field(kind, component, at: at))
        }
    }

    private static func field(_ kind: Kind, _ component: JSONValue, at: String) throws(FormDefinitionError) -> Field {
        var field = Field(kind: kind, key: nil, label: component["label"]?.stringValue)
        if kind.takesInput {
            guard let key = component["key"]?.stringValue, !key.isEmpty else { throw FormDefinitionError("\(at).key", "is missing") }
            field.key = key
        }
        field.description = component["description"]?.stringValue
        field.text = component["text"]?.stringValue
        if let value = component["defaultValue"], value != .null { field.defaultValue = value }
        field.readonly = component["readonly"] == .bool(true) || component["disabled"] == .bool(true)
        if kind == .datetime {
            let subtype = component["subtype"]?.stringValue ?? "datetime"
            guard let parsed = DateSubtype(rawValue: subtype) else { throw FormDefinitionError("\(at).subtype", "must be date, time or datetime") }
            field.subtype = parsed
        }
        if kind == .select || kind == .radio {
            if case .array(let values)? = component["values"] {
                for (index, value) in values.enumerated() {
                    guard let option = value["value"], option != .null else { throw FormDefinitionError("\(at).values[\(index)].value", "is missing") }
                    field.options.append(Option(label: value["label"]?.stringValue ?? option.displayText, value: option))
                }
            }
            field.optionsKey = component["valuesKey"]?.stringValue
            if field.options.isEmpty && field.optionsKey == nil { throw FormDefinitionError("\(at).values", "a \(kind.rawValue) needs its values or a valuesKey") }
        }
        if let validate = component["validate"] {
            func number(_ name: String) throws(FormDefinitionError) -> Double? {
                guard let value = validate[name], value != .null else { return nil }
                guard case .number(let number) = value else { throw FormDefinitionError("\(at).validate.\(name)", "is not a number") }
                return number
            }
            field.rules.required = validate["required"] == .bool(true)
            field.rules.min = try number("min")
            field.rules.max = try number("max")
            field.rules.minLength = try number("minLength").map { Int($0) }
            field.rules.maxLength = try number("maxLength").map { Int($0) }
            field.rules.pattern = validate["pattern"]?.stringValue
            field.rules.validationType = validate["validationType"]?.stringValue
            if let pattern = field.rules.pattern, (try? Regex(pattern)) == nil {
                throw FormDefinitionError("\(at).validate.pattern", "is not a regular expression")
            }
        }
        if component["decimalDigits"] == .number(0) { field.rules.wholeNumber = true }
        if component["wholeNumber"] == .bool(true) { field.rules.wholeNumber = true }
        return field
    }

    /// The form in Camunda Forms JSON, with only what this reader understands.
    public var json: JSONValue {
        var form: [String: JSONValue] = ["components": .array(fields.map(\.json))]
        if let id { form["id"] = .string(id) }
        return .object(form)
    }
}

extension Form.Field {
    var json: JSONValue {
        var component: [String: JSONValue] = ["type": .string(kind.rawValue)]
        func set(_ name: String, _ value: String?) { if let value { component[name] = .string(value) } }
        set("key", key)
        set("label", label)
        set("description", description)
        set("text", text)
        set("valuesKey", optionsKey)
        if let defaultValue { component["defaultValue"] = defaultValue }
        if readonly { component["readonly"] = .bool(true) }
        if kind == .datetime { component["subtype"] = .string(subtype.rawValue) }
        if !options.isEmpty { component["values"] = .array(options.map { .object(["label": .string($0.label), "value": $0.value]) }) }
        if rules.wholeNumber { component["decimalDigits"] = .number(0) }
        var validate: [String: JSONValue] = [:]
        if rules.required { validate["required"] = .bool(true) }
        if let min = rules.min { validate["min"] = .number(min) }
        if let max = rules.max { validate["max"] = .number(max) }
        if let minLength = rules.minLength { validate["minLength"] = .number(Double(minLength)) }
        if let maxLength = rules.maxLength { validate["maxLength"] = .number(Double(maxLength)) }
        if let pattern = rules.pattern { validate["pattern"] = .string(pattern) }
        if let type = rules.validationType { validate["validationType"] = .string(type) }
        if !validate.isEmpty { component["validate"] = .object(validate) }
        return .object(component)
    }
}

/// Why a form in a model cannot be used, naming the part of it that is wrong.
public struct FormDefinitionError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path) \(reason)" }
}

extension JSONValue {
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// How a value reads to a person: text as it is, numbers without a needless `.0`.
    public var displayText: String {
        switch self {
        case .string(let text): return text
        case .number(let number) where number == number.rounded() && abs(number) < 1e15: return String(Int64(number))
        case .null: return ""
        default: return canonicalJSON
        }
    }
}
