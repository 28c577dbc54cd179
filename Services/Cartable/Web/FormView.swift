import Contracts
import Forms

/// A form as the templates draw it (`form-fields.mustache`): each field with its current value,
/// its HTML constraints (a help, not the check: the server checks) and its problem, if any.
enum FormView {
    /// `values` are what to show: what was just posted, or the process's variables.
    static func fields(_ form: Form?, values: [String: JSONValue], problems: [Form.Problem] = [], locked: Bool, variables: [String: JSONValue] = [:]) -> [[String: Any]] {
        guard let form else { return [] }
        let problemOf = Dictionary(problems.map { ($0.field, $0.message) }) { first, _ in first }
        return form.fields.map { field in
            var view: [String: Any] = [:]
            switch field.kind {
            case .text: view["isText"] = true; view["text"] = field.text ?? field.label ?? ""
            case .separator, .spacer: view["isSeparator"] = true
            default: break
            }
            guard let key = field.key, field.kind.takesInput else { return view }
            let value = values[key] ?? field.defaultValue ?? .null
            view["isInput"] = true
            view["key"] = key
            view["label"] = field.label ?? key
            view["description"] = field.description
            view["required"] = field.rules.required
            view["locked"] = locked || field.readonly
            view["problem"] = problemOf[key]
            view["value"] = value.displayText
            switch field.kind {
            case .textfield:
                view["isTextfield"] = true
                view["inputType"] = ["email": "email", "phone": "tel"][field.rules.validationType ?? ""]
            case .textarea: view["isTextarea"] = true
            case .number:
                view["isNumber"] = true
                view["step"] = field.rules.wholeNumber ? "1" : "any"
                view["min"] = field.rules.min.map { JSONValue.number($0).displayText }
                view["max"] = field.rules.max.map { JSONValue.number($0).displayText }
            case .checkbox:
                view["isCheckbox"] = true
                view["checked"] = value == .bool(true)
            case .datetime:
                view["isDatetime"] = true
                view["dateInput"] = ["date": "date", "time": "time", "datetime": "datetime-local"][field.subtype.rawValue]
            case .select, .radio:
                view[field.kind == .select ? "isSelect" : "isRadio"] = true
                view["options"] = field.options(variables: variables).map { option -> [String: Any] in
                    ["label": option.label, "value": option.value.displayText, "selected": option.value == value]
                }
            case .text, .separator, .spacer: break
            }
            if let minLength = field.rules.minLength { view["minLength"] = String(minLength) }
            if let maxLength = field.rules.maxLength { view["maxLength"] = String(maxLength) }
            return view
        }
    }

    /// "Phone: is required; Address: must be at least 10 characters", with each field's label.
    static func summary(_ problems: Form.Problems, of form: Form?) -> String {
        let labels = Dictionary((form?.inputs ?? []).compactMap { field in field.key.map { ($0, field.label ?? $0) } }) { first, _ in first }
        let count = problems.all.count
        return "The form has \(count == 1 ? "an error" : "\(count) errors"): "
            + problems.all.map { "\(labels[$0.field] ?? $0.field) \($0.message)" }.joined(separator: "; ")
    }
}
