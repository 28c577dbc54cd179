import Contracts

/// A browser's form post is all text: each field's text turned into the value its field takes,
/// so the same validation serves the page and the API.
extension Form {
    /// `fields` as posted (`application/x-www-form-urlencoded`); a checkbox is present when ticked.
    /// Text that cannot be the field's type is kept as text, for validation to name.
    public func values(fromPost fields: [String: String], variables: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for field in inputs {
            guard let key = field.key, !field.readonly else { continue }
            let text = fields[key]?.trimmed
            switch field.kind {
            case .checkbox:
                values[key] = .bool(text != nil && text != "" && text != "false")
            case .number:
                guard let text, !text.isEmpty else { continue }
                values[key] = Double(text).map(JSONValue.number) ?? .string(text)
            case .select, .radio:
                guard let text, !text.isEmpty else { continue }
                values[key] = field.options(variables: variables).first { $0.value.displayText == text }?.value ?? .string(text)
            default:
                guard let text = fields[key], !text.isEmpty else { continue }
                values[key] = .string(text)
            }
        }
        return values
    }
}

extension String {
    fileprivate var trimmed: String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice = slice.dropFirst() }
        while slice.last?.isWhitespace == true { slice = slice.dropLast() }
        return String(slice)
    }
}
