import Contracts
import Forms

/// The forms of a model: a Camunda Forms document embedded in the process
/// (`zeebe:userTaskForm`, named by a task's `camunda-forms:bpmn:ID` form key) or Camunda 7's
/// `camunda:formData` fields on a user task or start event.
extension BPMNReader {
    /// The `zeebe:userTaskForm` documents of a process, by id.
    static func embeddedForms(of process: XMLElement) -> [String: String] {
        let extensions = process.child("extensionElements", in: Namespace.bpmn)
        var forms: [String: String] = [:]
        for form in extensions?.children("userTaskForm", in: Namespace.zeebe) ?? [] {
            if let id = form["id"] { forms[id] = form.text }
        }
        return forms
    }

    /// The form of a user task or start event, or nil when it has none that this engine holds
    /// (a form key naming an outside form stays a key for the cartable to show).
    mutating func readForm(_ element: XMLElement, extensions: XMLElement?, formKey: String?, id: String) -> Form? {
        if let formData = Namespace.classicEngines.lazy.compactMap({ extensions?.child("formData", in: $0) }).first {
            return readFormData(formData, id: id)
        }
        guard let formKey, formKey.hasPrefix("camunda-forms:bpmn:") else { return nil }
        let formId = String(formKey.dropFirst("camunda-forms:bpmn:".count))
        guard let text = embeddedForms[formId] else {
            problems.append(ModelProblem(id, "the form \(formId) is not in the process (zeebe:userTaskForm)"))
            return nil
        }
        do {
            return try Form(text: text)
        } catch {
            problems.append(ModelProblem(id, "form \(formId): \(error)"))
            return nil
        }
    }

    /// Camunda 7 `formField`s: string, long, boolean, date and enum, with `required`, `readonly`,
    /// `minlength`, `maxlength`, `min` and `max` constraints.
    private mutating func readFormData(_ formData: XMLElement, id: String) -> Form? {
        var fields: [Form.Field] = []
        for field in classicChildren(formData, "formField") {
            guard let key = field["id"], !key.isEmpty else {
                problems.append(ModelProblem(id, "a formField has no id"))
                continue
            }
            let type = field["type"] ?? "string"
            var read: Form.Field
            switch type {
            case "string": read = Form.Field(kind: .textfield, key: key)
            case "long": read = Form.Field(kind: .number, key: key); read.rules.wholeNumber = true
            case "boolean": read = Form.Field(kind: .checkbox, key: key)
            case "date": read = Form.Field(kind: .datetime, key: key); read.subtype = .date
            case "enum":
                read = Form.Field(kind: .select, key: key)
                read.options = classicChildren(field, "value").compactMap { value in
                    value["id"].map { Form.Option(label: value["name"] ?? $0, value: .string($0)) }
                }
                if read.options.isEmpty { problems.append(ModelProblem(id, "the enum formField \(key) has no values")) }
            default:
                problems.append(ModelProblem(id, "formField \(key): the type \(type) is not one of string, long, boolean, date, enum"))
                continue
            }
            read.label = field["label"]
            if let value = field["defaultValue"], !value.isEmpty {
                switch read.kind {
                case .number: read.defaultValue = Double(value).map(JSONValue.number)
                case .checkbox: read.defaultValue = .bool(value == "true")
                default: read.defaultValue = .string(value)
                }
            }
            for validation in classicChildren(field, "validation") {
                for constraint in classicChildren(validation, "constraint") {
                    let config = constraint["config"]
                    switch constraint["name"] {
                    case "required": read.rules.required = true
                    case "readonly": read.readonly = true
                    case "minlength": read.rules.minLength = config.flatMap { Int($0) }
                    case "maxlength": read.rules.maxLength = config.flatMap { Int($0) }
                    case "min": read.rules.min = config.flatMap { Double($0) }
                    case "max": read.rules.max = config.flatMap { Double($0) }
                    case let name?: problems.append(ModelProblem(id, "formField \(key): the constraint \(name) is not known"))
                    case nil: problems.append(ModelProblem(id, "formField \(key): a constraint has no name"))
                    }
                }
            }
            fields.append(read)
        }
        return Form(fields: fields)
    }
}
