import Contracts

/// What an employee sent, checked against the form: the values to hand to the process, or every
/// field that is wrong with the reason, so a page or an API answer can name each one.
extension Form {
    public typealias Problem = FieldProblem

    /// Checks `submitted` (typed JSON values, as the API takes them). `variables` are the task's,
    /// for choices listed in a variable. A key that is not a field of the form is refused, and a
    /// read-only field keeps the value it had. The result holds each input field's value (absent
    /// optional fields are left out).
    public func validate(_ submitted: [String: JSONValue], variables: [String: JSONValue] = [:]) -> Result<[String: JSONValue], Problems> {
        var problems: [Problem] = []
        var values: [String: JSONValue] = [:]
        let known = Set(inputs.compactMap(\.key))
        for key in submitted.keys.sorted() where !known.contains(key) {
            problems.append(Problem(key, "is not a field of this form"))
        }
        for field in inputs {
            guard let key = field.key else { continue }
            if field.readonly { continue }
            let value = submitted[key] ?? .null
            if let problem = field.check(value, variables: variables) {
                problems.append(Problem(key, problem))
            } else if !value.isBlank {
                values[key] = value
            } else if field.kind == .checkbox {
                values[key] = .bool(false)
            }
        }
        return problems.isEmpty ? .success(values) : .failure(Problems(problems))
    }

    public struct Problems: Error, Sendable, CustomStringConvertible {
        public var all: [Problem]
        public init(_ all: [Problem]) { self.all = all }
        public var description: String { all.map(\.description).joined(separator: "; ") }
    }
}

extension Form.Field {
    /// Why `value` does not fit this field, or nil when it does.
    func check(_ value: JSONValue, variables: [String: JSONValue]) -> String? {
        if value.isBlank {
            if rules.required { return kind == .checkbox ? "must be ticked" : "is required" }
            return nil
        }
        switch kind {
        case .textfield, .textarea:
            guard case .string(let text) = value else { return "must be text" }
            if let minLength = rules.minLength, text.count < minLength { return "must be at least \(minLength) characters" }
            if let maxLength = rules.maxLength, text.count > maxLength { return "must be at most \(maxLength) characters" }
            if let pattern = rules.pattern, let regex = try? Regex(pattern), (try? regex.wholeMatch(in: text)) == nil {
                return "does not have the expected form (\(pattern))"
            }
            switch rules.validationType {
            case "email" where text.wholeMatch(of: /[^@\s]+@[^@\s]+\.[^@\s]+/) == nil: return "is not an e-mail address"
            case "phone" where text.wholeMatch(of: /\+?[0-9 ()\-]{5,20}/) == nil: return "is not a phone number"
            default: break
            }
        case .number:
            guard case .number(let number) = value else { return "must be a number" }
            if rules.wholeNumber, number != number.rounded() { return "must be a whole number" }
            if let min = rules.min, number < min { return "must be at least \(JSONValue.number(min).displayText)" }
            if let max = rules.max, number > max { return "must be at most \(JSONValue.number(max).displayText)" }
        case .checkbox:
            guard case .bool(let ticked) = value else { return "must be true or false" }
            if rules.required, !ticked { return "must be ticked" }
        case .select, .radio:
            let choices = options(variables: variables).map(\.value)
            if !choices.contains(value) { return "must be one of \(choices.map(\.displayText).joined(separator: ", "))" }
        case .datetime:
            guard case .string(let text) = value else { return "must be a \(subtype.rawValue) as text" }
            if !subtype.accepts(text) { return "must be a \(subtype.rawValue) like \(subtype.example)" }
        case .text, .separator, .spacer:
            break
        }
        return nil
    }

    /// The choices offered: the fixed ones, or those the `valuesKey` variable lists.
    public func options(variables: [String: JSONValue]) -> [Form.Option] {
        guard let optionsKey else { return options }
        guard case .array(let listed)? = variables[optionsKey] else { return options }
        return listed.compactMap { item in
            if case .object = item, let value = item["value"] { return Form.Option(label: item["label"]?.stringValue ?? value.displayText, value: value) }
            return Form.Option(label: item.displayText, value: item)
        }
    }
}

extension Form.DateSubtype {
    var example: String {
        switch self {
        case .date: "2026-12-01"
        case .time: "09:30"
        case .datetime: "2026-12-01T09:30"
        }
    }

    func accepts(_ text: String) -> Bool {
        switch self {
        case .date: return Self.isDate(text)
        case .time: return text.wholeMatch(of: /([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?/) != nil
        case .datetime:
            guard let t = text.firstIndex(of: "T") else { return false }
            return Self.isDate(String(text[..<t])) && Form.DateSubtype.time.accepts(String(text[text.index(after: t)...]).replacing(/(Z|[+-][0-9]{2}:[0-9]{2})$/, with: ""))
        }
    }

    static func isDate(_ text: String) -> Bool {
        guard let match = text.wholeMatch(of: /([0-9]{4})-([0-9]{2})-([0-9]{2})/), let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
            (1...12).contains(month)
        else { return false }
        let days = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...days[month - 1]).contains(day)
    }
}

extension JSONValue {
    /// Nothing entered: absent, null or empty text.
    var isBlank: Bool { self == .null || self == .string("") }
}
