import BPMN
import Contracts
import Testing

/// Sub-processes, event sub-processes and call activities (BPMN 2.0, 10.3.5 and 10.3.6).
@Suite struct ScopeTests {
    let globals = """
        <message id="cancelRequest" name="cancel-request"/><message id="address" name="address-changed"/>
        <error id="noAccess" errorCode="NO_ACCESS"/>
        """

    @Test func anEmbeddedSubProcessRunsItsOwnFlowThenContinues() throws {
        var run = try Run(document("""
            <startEvent id="s"/>
            <subProcess id="install"><startEvent id="is"/><userTask id="mount"/><userTask id="seal"/><endEvent id="ie"/>\(flows("is", "mount", "seal", "ie"))</subProcess>
            <task id="after"/><endEvent id="e"/>
            \(flows("s", "install", "after", "e"))
            """))
        try run.start()
        #expect(run.active == ["install", "mount"])
        try run.completeTask("mount")
        try run.completeTask("seal")
        #expect(run.completed == ["s", "is", "mount", "seal", "ie", "install", "after", "e"])
        #expect(run.summary == "completed")
    }

    @Test func aSubProcessWithoutStartEventStartsEveryElementWithoutIncomingFlow() throws {
        var run = try Run(document("""
            <startEvent id="s"/><subProcess id="checks"><userTask id="a"/><userTask id="b"/></subProcess><endEvent id="e"/>
            \(flows("s", "checks", "e"))
            """))
        try run.start()
        #expect(Set(run.active) == ["checks", "a", "b"])
        try run.completeTask("a")
        try run.completeTask("b")
        #expect(run.summary == "completed")
    }

    func withEventSubProcess(interrupting: Bool) -> String {
        document("""
            <startEvent id="s"/><userTask id="work"/><endEvent id="e"/>\(flows("s", "work", "e"))
            <subProcess id="onMessage" triggeredByEvent="true">
              <startEvent id="ms" isInterrupting="\(interrupting)"><messageEventDefinition messageRef="cancelRequest"/></startEvent>
              <userTask id="handle"/><endEvent id="me"/>\(flows("ms", "handle", "me"))
            </subProcess>
            """, globals: globals)
    }

    @Test func anInterruptingEventSubProcessEndsTheRestOfItsScope() throws {
        var run = try Run(withEventSubProcess(interrupting: true))
        try run.start()
        try run.correlate("cancel-request", ["reason": .string("moved away")])
        #expect(run.terminated == ["work"])
        #expect(run.active == ["onMessage", "handle"])
        try run.completeTask("handle")
        #expect(run.summary == "completed")
        #expect(!run.completed.contains("e"))
        #expect(run.variables["reason"] == .string("moved away"))
    }

    @Test func aNonInterruptingEventSubProcessRunsAlongside() throws {
        var run = try Run(withEventSubProcess(interrupting: false))
        try run.start()
        try run.correlate("cancel-request")
        try run.correlate("cancel-request")  // it stays ready while the scope runs
        #expect(run.terminated.isEmpty)
        #expect(run.active.filter { $0 == "handle" }.count == 2)
        try run.completeTask("handle")
        try run.completeTask("handle")
        #expect(run.summary == "active")
        try run.completeTask("work")
        #expect(run.summary == "completed")
    }

    @Test func anErrorInsideASubProcessIsCaughtByAnEventSubProcessOfTheScope() throws {
        var run = try Run(document("""
            <startEvent id="s"/>
            <subProcess id="visit"><startEvent id="vs"/>\(serviceTask("openMeterBox"))<endEvent id="ve"/>\(flows("vs", "openMeterBox", "ve"))
              <subProcess id="onError" triggeredByEvent="true"><startEvent id="es"><errorEventDefinition errorRef="noAccess"/></startEvent>
                <userTask id="rebook"/><endEvent id="ee"/>\(flows("es", "rebook", "ee"))</subProcess>
            </subProcess>
            <task id="next"/><endEvent id="e"/>\(flows("s", "visit", "next", "e"))
            """, globals: globals))
        try run.start()
        try run.throwError("openMeterBox", code: "NO_ACCESS")
        #expect(run.terminated == ["openMeterBox"])
        try run.completeTask("rebook")
        // The sub-process ends normally after its event sub-process, and the flow goes on.
        #expect(run.completed.suffix(3) == ["visit", "next", "e"])
        #expect(run.summary == "completed")
    }

    let child = """
        <?xml version="1.0"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="c">
          <process id="meter-test" isExecutable="true">
            <startEvent id="cs"/><userTask id="testMeter"/><endEvent id="ce"/>
            <sequenceFlow id="c1" sourceRef="cs" targetRef="testMeter"/><sequenceFlow id="c2" sourceRef="testMeter" targetRef="ce"/>
          </process>
        </definitions>
        """

    @Test func aCallActivityRunsTheCalledProcessWithMappedVariables() throws {
        var run = try Run(document("""
            <startEvent id="s"/>
            <callActivity id="test"><extensionElements><zeebe:calledElement processId="meter-test" propagateAllChildVariables="false"/>
              <zeebe:ioMapping><zeebe:input source="=meter.serial" target="serial"/><zeebe:output source="=accuracy" target="meter.accuracy"/></zeebe:ioMapping>
            </extensionElements></callActivity>
            <endEvent id="e"/>\(flows("s", "test", "e"))
            """), others: [child])
        try run.start(["meter": .object(["serial": .string("EM-9")]), "secret": .string("not for the child")])
        let task = try #require(run.tasks.first)
        #expect(task.variables == ["serial": .string("EM-9")])  // the child sees only what is mapped in
        try run.completeTask("testMeter", ["accuracy": .number(0.5), "labNote": .string("ok")])
        #expect(run.variables["meter"] == .object(["serial": .string("EM-9"), "accuracy": .number(0.5)]))
        #expect(run.variables["labNote"] == nil)
        #expect(run.summary == "completed")
    }

    @Test func aCamunda7CallActivityWithAllVariablesInAndOut() throws {
        var run = try Run(document("""
            <startEvent id="s"/>
            <callActivity id="test" calledElement="meter-test"><extensionElements><camunda:in variables="all"/><camunda:out variables="all"/></extensionElements></callActivity>
            <endEvent id="e"/>\(flows("s", "test", "e"))
            """), others: [child])
        try run.start(["serial": .string("EM-1")])
        #expect(run.tasks.first?.variables == ["serial": .string("EM-1")])
        try run.completeTask("testMeter", ["passed": .bool(true)])
        #expect(run.variables["passed"] == .bool(true))
    }

    @Test func aCallActivityCallsThePinnedOrTheLatestVersion() throws {
        struct Versions: ProcessLibrary {
            let caller: ProcessModel
            let versions: [ProcessModel]
            func process(_ id: String, version: Int?) -> (model: ProcessModel, version: Int)? {
                if id == caller.id { return (caller, 1) }
                guard id == "meter-test" else { return nil }
                let chosen = version ?? versions.count
                return chosen >= 1 && chosen <= versions.count ? (versions[chosen - 1], chosen) : nil
            }
        }
        for (binding, expected) in [("camunda:calledElementBinding=\"version\" camunda:calledElementVersion=\"1\"", "firstTask"), ("", "secondTask")] {
            let caller = try BPMNReader.read(document("""
                <startEvent id="s"/><callActivity id="test" calledElement="meter-test" \(binding)/><endEvent id="e"/>\(flows("s", "test", "e"))
                """)).processes[0]
            let engine = Engine(library: Versions(caller: caller, versions: [try meterTestVersion("firstTask"), try meterTestVersion("secondTask")]))
            let (state, effects) = try engine.execute(nil, .start(processId: "p", startEvent: nil, variables: [:]), now: 0)
            #expect(effects.contains { if case .taskCreated(let task) = $0 { task.elementId == expected } else { false } })
            #expect(state.models.last?.version == (expected == "firstTask" ? 1 : 2))
        }
    }

    @Test func aCallToAProcessThatIsNotDeployedIsAnIncident() throws {
        var run = try Run(document("<startEvent id=\"s\"/><callActivity id=\"c\" calledElement=\"ghost\"/><endEvent id=\"e\"/>" + flows("s", "c", "e")))
        try run.start()
        #expect(run.incidents == ["no process ghost is deployed"])
    }

    @Test func anErrorInACalledProcessIsCaughtOnTheCallActivity() throws {
        let failing = """
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="f"><error id="x" errorCode="LAB_CLOSED"/>
              <process id="lab" isExecutable="true"><startEvent id="ls"/><endEvent id="le"><errorEventDefinition errorRef="x"/></endEvent>
              <sequenceFlow id="l1" sourceRef="ls" targetRef="le"/></process></definitions>
            """
        var run = try Run(document("""
            <startEvent id="s"/><callActivity id="c" calledElement="lab"/><endEvent id="e"/>\(flows("s", "c", "e"))
            <boundaryEvent id="closed" attachedToRef="c"><errorEventDefinition errorRef="labClosed"/></boundaryEvent>
            <userTask id="findOtherLab"/><endEvent id="e2"/>\(flows("closed", "findOtherLab", "e2"))
            """, globals: #"<error id="labClosed" errorCode="LAB_CLOSED"/>"#), others: [failing])
        try run.start()
        #expect(run.active == ["findOtherLab"])
        #expect(run.terminated.contains("c"))
    }
}

/// A version of the called process `meter-test` whose one user task has the given id.
private func meterTestVersion(_ task: String) throws -> ProcessModel {
    let xml = document("<startEvent id=\"cs\"/><userTask id=\"\(task)\"/><endEvent id=\"ce\"/>" + flows("cs", task, "ce"), id: "meter-test")
    let definitions: Definitions = try BPMNReader.read(xml)
    return definitions.processes[0]
}
