import BPMN
import Contracts
import Forms
import Testing

/// Forms as models hold them: Camunda 8's embedded `zeebe:userTaskForm` and Camunda 7's
/// `camunda:formData`, and the starters of a process.
@Suite struct ModelFormTests {
    static func model(_ body: String, processAttributes: String = "", processExtensions: String = "") -> String {
        """
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
          <process id="p" isExecutable="true" \(processAttributes)>
            <extensionElements>\(processExtensions)</extensionElements>
            \(body)
          </process>
        </definitions>
        """
    }

    @Test func readsAnEmbeddedCamundaForm() throws {
        let xml = Self.model(
            """
            <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
            <userTask id="t"><extensionElements><zeebe:formDefinition formKey="camunda-forms:bpmn:survey"/></extensionElements></userTask>
            <sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/>
            """,
            processExtensions: #"<zeebe:userTaskForm id="survey">{"components":[{"type":"number","key":"metres","validate":{"required":true}}]}</zeebe:userTaskForm>"#)
        let task = try #require(try BPMNReader.read(xml).processes[0].node("t")?.userTask)
        #expect(task.formKey == "camunda-forms:bpmn:survey")
        #expect(task.form?.inputs.map(\.key) == ["metres"])
        #expect(task.form?.inputs.first?.rules.required == true)
    }

    @Test func aMissingOrBrokenEmbeddedFormRefusesTheModelNamingTheTask() {
        func problems(_ extensions: String) -> [String] {
            do {
                _ = try BPMNReader.read(Self.model(
                    """
                    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
                    <userTask id="t"><extensionElements><zeebe:formDefinition formKey="camunda-forms:bpmn:survey"/></extensionElements></userTask>
                    <sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/>
                    """, processExtensions: extensions))
                return []
            } catch { return error.problems.map(\.description) }
        }
        #expect(problems("") == ["t: the form survey is not in the process (zeebe:userTaskForm)"])
        #expect(problems(#"<zeebe:userTaskForm id="survey">{"components":[{"type":"number"}]}</zeebe:userTaskForm>"#)
            == ["t: form survey: components[0].key is missing"])
    }

    @Test func readsCamunda7FormDataOnTasksAndStartEvents() throws {
        let xml = Self.model(
            """
            <startEvent id="s"><extensionElements><camunda:formData>
              <camunda:formField id="nationalId" label="National id" type="string">
                <camunda:validation><camunda:constraint name="required"/><camunda:constraint name="minlength" config="10"/>
                <camunda:constraint name="maxlength" config="10"/></camunda:validation>
              </camunda:formField>
            </camunda:formData></extensionElements></startEvent>
            <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
            <userTask id="t"><extensionElements><camunda:formData>
              <camunda:formField id="amperes" type="long" defaultValue="25"><camunda:validation><camunda:constraint name="min" config="6"/>
                <camunda:constraint name="max" config="63"/></camunda:validation></camunda:formField>
              <camunda:formField id="approved" type="boolean"/>
              <camunda:formField id="visit" type="date"/>
              <camunda:formField id="useType" type="enum"><camunda:value id="residential" name="Residential"/><camunda:value id="commercial" name="Commercial"/></camunda:formField>
            </camunda:formData></extensionElements></userTask>
            <sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/>
            """, processAttributes: #"camunda:candidateStarterGroups="registration-clerk, supervisor" camunda:candidateStarterUsers="admin""#)
        let process = try BPMNReader.read(xml).processes[0]
        #expect(process.candidateStarterGroups == ["registration-clerk", "supervisor"])
        #expect(process.candidateStarterUsers == ["admin"])
        let start = try #require(process.node("s")?.startForm)
        #expect(start.inputs.first?.rules == { var r = Form.Rules(); r.required = true; r.minLength = 10; r.maxLength = 10; return r }())
        let form = try #require(process.node("t")?.userTask?.form)
        #expect(form.inputs.map(\.kind) == [.number, .checkbox, .datetime, .select])
        #expect(form.inputs[0].defaultValue == .number(25))
        #expect(form.inputs[3].options.map(\.label) == ["Residential", "Commercial"])
        guard case .failure(let problems) = form.validate(["amperes": .number(80), "useType": "industrial", "visit": "01/12/2026"]) else {
            Issue.record("accepted")
            return
        }
        #expect(problems.description == "amperes: must be at most 63; visit: must be a date like 2026-12-01; useType: must be one of residential, commercial")
    }

    @Test func anUnknownFormFieldTypeIsAModelProblem() {
        let xml = Self.model(
            """
            <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
            <userTask id="t"><extensionElements><camunda:formData><camunda:formField id="x" type="money"/></camunda:formData></extensionElements></userTask>
            <sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/>
            """)
        #expect(throws: ModelRejected.self) { try BPMNReader.read(xml) }
    }

    @Test func theTaskCreatedEffectCarriesTheForm() throws {
        let xml = Self.model(
            """
            <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
            <userTask id="t"><extensionElements><camunda:formData><camunda:formField id="ok" type="boolean"/></camunda:formData></extensionElements></userTask>
            <sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/>
            """)
        let definitions = try BPMNReader.read(xml)
        let (_, effects) = try Engine(library: StaticLibrary([definitions])).execute(nil, .start(processId: "p", startEvent: nil, variables: [:]), now: 0)
        let created = effects.compactMap { effect -> Effect.UserTask? in if case .taskCreated(let task) = effect { task } else { nil } }
        #expect(created.first?.form?.inputs.map(\.key) == ["ok"])
    }
}
