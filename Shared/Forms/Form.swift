import Contracts

/// A form an employee fills in: the fields of a user task or a start event, read from the
/// process model (Camunda Forms JSON or Camunda 7 `camunda:formData`). The cartable draws it
/// and checks what is sent against it before anything goes to the orchestrator.
public struct Form: Sendable, Hashable {
    public var id: String?
    public var fields: [Field]

    public init(id: String? = nil, fields: [Field]) {
        self.id = id
        self.fields = fields
    }

    /// The fields that take a value (not the text and separators between them).
    public var inputs: [Field] { fields.filter { $0.kind.takesInput } }

    public struct Field: Sendable, Hashable {
        public var kind: Kind
        /// The variable the value goes into; nil for display-only components.
        public var key: String?
        public var label: String?
        public var description: String?
        /// The text of a `text` component (shown, not entered).
        public var text: String?
        public var defaultValue: JSONValue?
        public var readonly = false
        /// `date`, `time` or `datetime` for a datetime field.
        public var subtype: DateSubtype = .datetime
        /// The choices of a select or radio field.
        public var options: [Option] = []
        /// A variable holding the choices, as a list of `{label, value}`, when they are not fixed.
        public var optionsKey: String?
        public var rules = Rules()

        public init(kind: Kind, key: String?, label: String? = nil) {
            self.kind = kind
            self.key = key
            self.label = label
        }
    }

    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case textfield, textarea, number, checkbox, select, radio, datetime
        /// Shown only.
        case text, separator, spacer

        public var takesInput: Bool { ![.text, .separator, .spacer].contains(self) }
    }

    public enum DateSubtype: String, Sendable, Hashable { case date, time, datetime }

    public struct Option: Sendable, Hashable {
        public var label: String
        public var value: JSONValue
        public init(label: String, value: JSONValue) {
            self.label = label
            self.value = value
        }
    }

    /// The validation of a field, as Camunda Forms names it.
    public struct Rules: Sendable, Hashable {
        public var required = false
        public var min: Double?
        public var max: Double?
        public var minLength: Int?
        public var maxLength: Int?
        public var pattern: String?
        /// `email` or `phone`: a built-in pattern.
        public var validationType: String?
        /// Whether a number must be whole (Camunda 7's `long`, or `decimalDigits: 0`).
        public var wholeNumber = false
        public init() {}
    }
}
