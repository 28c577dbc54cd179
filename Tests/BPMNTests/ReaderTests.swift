import BPMN
import Contracts
import Foundation
import Testing

/// The reader: vendor extensions, validation with element-level errors, diagram interchange.
@Suite struct ReaderTests {
    func problems(_ xml: String) -> [String] {
        do {
            _ = try BPMNReader.read(xml)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func camunda8AttributesAreRead() throws {
        let xml = document("""
            <startEvent id="start"/>
            <userTask id="review" name="Review the application">
              <extensionElements>
                <zeebe:assignmentDefinition assignee="=clerk" candidateGroups="registration-clerk, supervisor" candidateUsers="=[&quot;sara&quot;]"/>
                <zeebe:taskSchedule dueDate="=now() + duration(&quot;P2D&quot;)" followUpDate="2026-01-06T09:00:00Z"/>
                <zeebe:priorityDefinition priority="80"/>
                <zeebe:formDefinition formKey="forms/review"/>
                <zeebe:ioMapping><zeebe:input source="=customer.name" target="applicant"/><zeebe:output source="=decision" target="review.decision"/></zeebe:ioMapping>
              </extensionElements>
            </userTask>
            \(serviceTask("notify", type: "=&quot;notify-&quot; + channel", extra: #"<zeebe:taskHeaders><zeebe:header key="template" value="welcome"/></zeebe:taskHeaders>"#))
            <endEvent id="end"/>
            \(flows("start", "review", "notify", "end"))
            """)
        var run = try Run(xml)
        try run.start(["clerk": .string("ali"), "customer": .object(["name": .string("Sara")]), "channel": .string("sms")])
        let task = try #require(run.tasks.first)
        #expect(task.name == "Review the application")
        #expect(task.assignee == "ali")
        #expect(task.candidateGroups == ["registration-clerk", "supervisor"])
        #expect(task.candidateUsers == ["sara"])
        #expect(task.dueDate == "2026-01-07T09:00:00Z")
        #expect(task.followUpDate == "2026-01-06T09:00:00Z")
        #expect(task.priority == 80)
        #expect(task.formKey == "forms/review")
        #expect(task.variables["applicant"] == .string("Sara"))
        try run.completeTask("review", ["decision": .string("accept")])
        #expect(run.variables["review"] == .object(["decision": .string("accept")]))
        #expect(run.variables["applicant"] == nil)  // an input mapping is local to its element
        let job = try #require(run.jobs.first)
        #expect(job.type == "notify-sms")
        #expect(job.retries == 3)
        #expect(job.headers == ["template": "welcome"])
    }

    @Test func camunda7AndFlowableAttributesAreRead() throws {
        let xml = document("""
            <startEvent id="start"/>
            <userTask id="c7" camunda:assignee="${clerk}" camunda:candidateGroups="field-technician" camunda:dueDate="2026-02-01T00:00:00Z" camunda:priority="30" camunda:formKey="embedded:app:forms/visit.html">
              <extensionElements><camunda:inputOutput><camunda:inputParameter name="site">${premise.address}</camunda:inputParameter></camunda:inputOutput></extensionElements>
            </userTask>
            <userTask id="fl" flowable:assignee="sara" flowable:candidateUsers="ali,reza" flowable:formKey="meter-test"/>
            <serviceTask id="c7job" camunda:type="external" camunda:topic="meter-lab"/>
            <serviceTask id="flclass" flowable:class="org.utility.SendBill"/>
            <endEvent id="end"/>
            \(flows("start", "c7", "fl", "c7job", "flclass", "end"))
            """)
        var run = try Run(xml)
        try run.start(["clerk": .string("ali"), "premise": .object(["address": .string("12 River St")])])
        try run.completeTask("c7")
        try run.completeTask("fl")
        try run.completeJob("c7job")
        #expect(run.tasks[0].assignee == "ali")
        #expect(run.tasks[0].candidateGroups == ["field-technician"])
        #expect(run.tasks[0].dueDate == "2026-02-01T00:00:00Z")
        #expect(run.tasks[0].priority == 30)
        #expect(run.tasks[0].formKey == "embedded:app:forms/visit.html")
        #expect(run.tasks[0].variables["site"] == .string("12 River St"))
        #expect(run.tasks[1].assignee == "sara")
        #expect(run.tasks[1].candidateUsers == ["ali", "reza"])
        #expect(run.jobs.map(\.type) == ["meter-lab", "org.utility.SendBill"])
    }

    @Test func validationNamesTheElementAndTheProblem() {
        let cases: [(String, String)] = [
            (document("<startEvent id=\"s\"/>" + flow("s", "ghost", id: "f1")), "f1: the sequence flow goes to ghost, which is not a flow node"),
            (document("<startEvent id=\"s\"/><sequenceFlow id=\"f2\" sourceRef=\"s\"/>"), "f2: the sequence flow goes nowhere"),
            (document("""
                <startEvent id="s"/><exclusiveGateway id="g"/><endEvent id="a"/><endEvent id="b"/>
                \(flow("s", "g"))\(flow("g", "a", id: "toA", condition: "=x > 1"))\(flow("g", "b", id: "toB"))
                """), "g: the branch toB has neither a condition nor is it the default flow"),
            (document("<startEvent id=\"s\"/><complexGateway id=\"cg\"/>" + flow("s", "cg")), "cg: <complexGateway> is not supported"),
            (document("""
                <startEvent id="s"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>soon</timeDuration></timerEventDefinition></intermediateCatchEvent>
                \(flow("s", "wait"))
                """), "wait: bad timer: \"soon\" is not an ISO 8601 duration"),
            (document("<startEvent id=\"s\"/><endEvent id=\"e\"/>" + flow("s", "e", id: "bad", condition: "=amount >")), "bad: bad FEEL in the condition"),
            (document("<startEvent id=\"s\"/><serviceTask id=\"work\"/>" + flow("s", "work")), "work: the serviceTask has no job type"),
            (document("<startEvent id=\"s\"/><intermediateCatchEvent id=\"m\"><messageEventDefinition messageRef=\"nope\"/></intermediateCatchEvent>" + flow("s", "m")),
                "m: messageRef nope is not a <message> of the document"),
            (document("<startEvent id=\"s\"/><boundaryEvent id=\"b\" attachedToRef=\"s\"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>"),
                "b: the boundary event is attached to s, which is not an activity"),
            (document("<startEvent id=\"s\"/><intermediateThrowEvent id=\"jump\"><linkEventDefinition name=\"L\"/></intermediateThrowEvent>" + flow("s", "jump")),
                "jump: no link catch event named L"),
            (document("<startEvent id=\"s\"/><callActivity id=\"call\"/>" + flow("s", "call")), "call: the call activity names no process"),
            ("<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><startEvent id=\"s\"/></definitions>", "the document has no <process>"),
            ("<notBPMN/>", "the root element is <notBPMN>"),
        ]
        for (xml, expected) in cases {
            let found = problems(xml)
            #expect(found.contains { $0.contains(expected) }, "expected \"\(expected)\", found \(found)")
        }
    }

    @Test func aDescriptiveModelLoadsWithItsProblemsAsWarnings() throws {
        let xml = document("<startEvent id=\"s\"/><serviceTask id=\"work\"/>" + flow("s", "work"), executable: false)
        let definitions = try BPMNReader.read(xml)
        #expect(definitions.processes.first?.isExecutable == false)
        #expect(definitions.warnings.map(\.description).contains { $0.contains("work: the serviceTask has no job type") })
    }

    @Test func theDiagramIsKept() throws {
        let xml = """
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
              xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI">
              <process id="p" isExecutable="true"><startEvent id="s"/><endEvent id="e"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/></process>
              <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="plane" bpmnElement="p">
                <bpmndi:BPMNShape id="s_di" bpmnElement="s"><dc:Bounds x="10" y="20" width="36" height="36"/>
                  <bpmndi:BPMNLabel><dc:Bounds x="5" y="60" width="50" height="14"/></bpmndi:BPMNLabel></bpmndi:BPMNShape>
                <bpmndi:BPMNShape id="e_di" bpmnElement="e"><dc:Bounds x="110" y="20" width="36" height="36"/></bpmndi:BPMNShape>
                <bpmndi:BPMNEdge id="f_di" bpmnElement="f"><di:waypoint x="46" y="38"/><di:waypoint x="110" y="38"/></bpmndi:BPMNEdge>
              </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
            </definitions>
            """
        let diagram = try BPMNReader.read(xml).diagram
        let plane = try #require(diagram.planes.first)
        #expect(plane.elementId == "p")
        #expect(plane.shapes.map(\.elementId) == ["s", "e"])
        #expect(plane.shapes[0].bounds == Diagram.Bounds(x: 10, y: 20, width: 36, height: 36))
        #expect(plane.shapes[0].label == Diagram.Bounds(x: 5, y: 60, width: 50, height: 14))
        #expect(plane.edges.first?.waypoints == [Diagram.Point(x: 46, y: 38), Diagram.Point(x: 110, y: 38)])
    }
}
