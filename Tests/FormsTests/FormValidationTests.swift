import Contracts
import Forms
import Testing

/// A meter-replacement form as Camunda Modeler writes it, checked the way the cartable checks
/// what an employee sends.
@Suite struct FormValidationTests {
    static let form = try! Form(text: """
        {"id": "replaceMeter", "components": [
          {"type": "text", "text": "Read the old meter before removing it."},
          {"type": "textfield", "key": "newSerial", "label": "New meter serial",
           "validate": {"required": true, "minLength": 6, "maxLength": 12, "pattern": "[A-Z]{2}[0-9]+"}},
          {"type": "number", "key": "finalReading", "label": "Final reading (kWh)", "decimalDigits": 0,
           "validate": {"required": true, "min": 0, "max": 999999}},
          {"type": "select", "key": "reason", "label": "Reason",
           "values": [{"label": "Faulty", "value": "faulty"}, {"label": "Test due", "value": "test-due"}]},
          {"type": "radio", "key": "phase", "values": [{"label": "Single", "value": 1}, {"label": "Three", "value": 3}]},
          {"type": "checkbox", "key": "sealed", "label": "New seals fitted", "validate": {"required": true}},
          {"type": "datetime", "key": "replacedOn", "subtype": "date"},
          {"type": "textfield", "key": "email", "validate": {"validationType": "email"}},
          {"type": "textarea", "key": "remarks"},
          {"type": "group", "components": [{"type": "textfield", "key": "sealNumber", "readonly": true}]},
          {"type": "button", "action": "submit", "label": "Submit"}
        ]}
        """)

    static let good: [String: JSONValue] = [
        "newSerial": "AB123456", "finalReading": .number(10234), "reason": "faulty", "phase": .number(3), "sealed": true, "replacedOn": "2026-12-01",
    ]

    @Test func readsEveryComponentItDrawsAndSkipsButtons() {
        #expect(Self.form.id == "replaceMeter")
        #expect(Self.form.fields.map(\.kind) == [.text, .textfield, .number, .select, .radio, .checkbox, .datetime, .textfield, .textarea, .textfield])
        #expect(Self.form.inputs.compactMap(\.key) == ["newSerial", "finalReading", "reason", "phase", "sealed", "replacedOn", "email", "remarks", "sealNumber"])
    }

    @Test func acceptsAGoodSubmissionAndRequiresTheTickedBox() throws {
        let values = try Self.form.validate(Self.good).get()
        #expect(values["newSerial"] == "AB123456")
        #expect(values["finalReading"] == .number(10234))
        #expect(values["remarks"] == nil)
        var unticked = Self.good
        unticked.removeValue(forKey: "sealed")
        let problems = problems(unticked)
        #expect(problems == ["sealed": "must be ticked"])
    }

    @Test func namesEveryWrongField() {
        let found = problems([
            "newSerial": "ab12", "finalReading": .number(-1.5), "reason": "stolen", "phase": "3", "sealed": true,
            "replacedOn": "2026-02-30", "email": "not-an-address", "meterColour": "grey",
        ])
        #expect(found["newSerial"] == "must be at least 6 characters")
        #expect(found["finalReading"] == "must be a whole number")
        #expect(found["reason"] == "must be one of faulty, test-due")
        #expect(found["phase"] == "must be one of 1, 3")
        #expect(found["replacedOn"] == "must be a date like 2026-12-01")
        #expect(found["email"] == "is not an e-mail address")
        #expect(found["meterColour"] == "is not a field of this form")
        #expect(found.count == 7)
    }

    @Test func checksRangesPatternsAndRequiredFields() {
        #expect(problems(Self.good.merging(["finalReading": .number(1_000_000)]) { $1 })["finalReading"] == "must be at most 999999")
        #expect(problems(Self.good.merging(["newSerial": "ab123456"]) { $1 })["newSerial"] == "does not have the expected form ([A-Z]{2}[0-9]+)")
        #expect(problems(Self.good.merging(["newSerial": .number(5)]) { $1 })["newSerial"] == "must be text")
        #expect(problems(Self.good.merging(["newSerial": ""]) { $1 })["newSerial"] == "is required")
        #expect(problems(Self.good.merging(["finalReading": "ten"]) { $1 })["finalReading"] == "must be a number")
    }

    @Test func aReadOnlyFieldIsNeitherTakenNorRefused() throws {
        let values = try Self.form.validate(Self.good.merging(["sealNumber": "S-1"]) { $1 }).get()
        #expect(values["sealNumber"] == nil)
    }

    @Test func choicesMayComeFromAVariable() {
        let form = try! Form(text: #"{"components": [{"type": "select", "key": "tariff", "valuesKey": "tariffs"}]}"#)
        let variables: [String: JSONValue] = ["tariffs": .array([.object(["label": "Residential", "value": "R1"]), "C1"])]
        #expect(throws: Never.self) { try form.validate(["tariff": "C1"], variables: variables).get() }
        #expect(problem(form, ["tariff": "X9"], variables: variables) == "tariff: must be one of R1, C1")
    }

    @Test func aBrowserPostIsTurnedIntoTypedValues() throws {
        let posted = Self.form.values(fromPost: [
            "newSerial": "AB123456", "finalReading": " 10234 ", "reason": "faulty", "phase": "3", "sealed": "on", "replacedOn": "2026-12-01", "email": "",
        ])
        #expect(posted == Self.good)
        #expect(try Self.form.validate(posted).get() == Self.good)
        let unticked = Self.form.values(fromPost: ["finalReading": "lots"])
        #expect(unticked["sealed"] == false)
        #expect(unticked["finalReading"] == "lots")
    }

    @Test func datesAndTimes() {
        let form = try! Form(text: """
            {"components": [{"type": "datetime", "key": "at"}, {"type": "datetime", "key": "time", "subtype": "time"}]}
            """)
        #expect(problem(form, ["at": "2026-12-01T09:30", "time": "23:59"]) == nil)
        #expect(problem(form, ["at": "2026-12-01T09:30:00Z", "time": "07:05:10"]) == nil)
        #expect(problem(form, ["at": "2026-12-01", "time": "24:00"]) == "at: must be a datetime like 2026-12-01T09:30; time: must be a time like 09:30")
    }

    @Test func aWrongFormIsRefusedNamingThePart() {
        func refusal(_ text: String) -> String? {
            do { _ = try Form(text: text); return nil } catch { return error.description }
        }
        #expect(refusal(#"{"components": [{"type": "textfield"}]}"#) == "components[0].key is missing")
        #expect(refusal(#"{"components": [{"type": "slider", "key": "x"}]}"#)?.hasPrefix("components[0].type \"slider\" is not a field") == true)
        #expect(refusal(#"{"components": [{"type": "select", "key": "x"}]}"#) == "components[0].values a select needs its values or a valuesKey")
        #expect(refusal(#"{"components": [{"type": "textfield", "key": "x", "validate": {"pattern": "("}}]}"#) == "components[0].validate.pattern is not a regular expression")
        #expect(refusal(#"{"components": [{"type": "textfield", "key": "x"}, {"type": "number", "key": "x"}]}"#) == "components the key \"x\" is used twice")
        #expect(refusal("[1]") == "form is not a JSON object")
    }

    @Test func theWrittenFormReadsBackTheSame() throws {
        #expect(try Form(json: Self.form.json) == Self.form)
    }

    func problems(_ submitted: [String: JSONValue]) -> [String: String] {
        guard case .failure(let problems) = Self.form.validate(submitted) else { return [:] }
        return Dictionary(uniqueKeysWithValues: problems.all.map { ($0.field, $0.message) })
    }

    func problem(_ form: Form, _ submitted: [String: JSONValue], variables: [String: JSONValue] = [:]) -> String? {
        guard case .failure(let problems) = form.validate(submitted, variables: variables) else { return nil }
        return problems.description
    }
}
