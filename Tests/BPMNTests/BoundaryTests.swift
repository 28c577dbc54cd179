import BPMN
import Contracts
import Testing

/// Boundary events (BPMN 2.0, 10.5.4), interrupting and non-interrupting, and error propagation.
@Suite struct BoundaryTests {
    let globals = """
        <message id="withdrawn" name="application-withdrawn"/><signal id="storm" name="storm-warning"/>
        <error id="defect" errorCode="METER_DEFECT"/><error id="any"/><escalation id="late" escalationCode="LATE"/>
        """

    func model(_ boundaries: String) -> String {
        document("""
            <startEvent id="s"/><userTask id="inspect"/><endEvent id="done"/>\(flows("s", "inspect", "done"))
            \(boundaries)
            """, globals: globals)
    }

    @Test func anInterruptingTimerEndsTheActivityAndTakesItsOwnPath() throws {
        var run = try Run(model("""
            <boundaryEvent id="deadline" attachedToRef="inspect"><timerEventDefinition><timeDuration>P3D</timeDuration></timerEventDefinition></boundaryEvent>
            <userTask id="escalate"/><endEvent id="late"/>\(flows("deadline", "escalate", "late"))
            """))
        try run.start()
        try run.advance(3 * 86_400)
        #expect(run.terminated == ["inspect"])
        #expect(run.effects.contains { if case .taskCancelled(_, "inspect") = $0 { true } else { false } })
        #expect(run.active == ["escalate"])
    }

    @Test func aNonInterruptingCycleTimerRemindsWhileTheActivityRuns() throws {
        var run = try Run(model("""
            <boundaryEvent id="remind" attachedToRef="inspect" cancelActivity="false"><timerEventDefinition><timeCycle>R2/P1D</timeCycle></timerEventDefinition></boundaryEvent>
            \(serviceTask("sendReminder"))<endEvent id="reminded"/>\(flows("remind", "sendReminder", "reminded"))
            """))
        try run.start()
        try run.advance(5 * 86_400)
        #expect(run.jobs.filter { $0.type == "sendReminder" }.count == 2)  // R2: twice, then no more
        #expect(run.active.contains("inspect"))
        try run.completeTask("inspect")
        #expect(run.active.filter { $0 == "sendReminder" }.count == 2)
        #expect(!run.active.contains("inspect"))
    }

    @Test func timersAreCancelledWhenTheActivityCompletes() throws {
        var run = try Run(model("""
            <boundaryEvent id="deadline" attachedToRef="inspect"><timerEventDefinition><timeDuration>P3D</timeDuration></timerEventDefinition></boundaryEvent>
            <endEvent id="late"/>\(flow("deadline", "late"))
            """))
        try run.start()
        try run.completeTask("inspect")
        #expect(run.effects.contains { if case .timerCancelled(_, "deadline") = $0 { true } else { false } })
        #expect(run.state?.subscriptions.isEmpty == true)
        #expect(run.summary == "completed")
    }

    @Test func messageAndSignalBoundaryEvents() throws {
        var run = try Run(model("""
            <boundaryEvent id="cancelled" attachedToRef="inspect"><messageEventDefinition messageRef="withdrawn"/></boundaryEvent><endEvent id="c"/>\(flow("cancelled", "c"))
            <boundaryEvent id="weather" attachedToRef="inspect" cancelActivity="false"><signalEventDefinition signalRef="storm"/></boundaryEvent>
            <task id="warnCrew"/><endEvent id="w"/>\(flows("weather", "warnCrew", "w"))
            """))
        try run.start()
        try run.signal("storm-warning")
        #expect(run.completed.contains("warnCrew"))
        #expect(run.active == ["inspect"])
        try run.correlate("application-withdrawn")
        #expect(run.terminated == ["inspect"])
        #expect(run.summary == "completed")
    }

    @Test func anErrorGoesToTheNearestCatchingBoundary() throws {
        let xml = document("""
            <startEvent id="s"/>
            <subProcess id="visit"><startEvent id="vs"/>\(serviceTask("readMeter"))<endEvent id="ve"/>\(flows("vs", "readMeter", "ve"))</subProcess>
            <endEvent id="e"/>\(flows("s", "visit", "e"))
            <boundaryEvent id="onDefect" attachedToRef="readMeter"><errorEventDefinition errorRef="defect"/></boundaryEvent>
            <boundaryEvent id="onAnyOuter" attachedToRef="visit"><errorEventDefinition/></boundaryEvent>
            <task id="replaceMeter"/><task id="outer"/><endEvent id="e2"/><endEvent id="e3"/>
            \(flows("onDefect", "replaceMeter", "e2"))\(flows("onAnyOuter", "outer", "e3"))
            """, globals: globals)
        var run = try Run(xml)
        try run.start()
        try run.throwError("readMeter", code: "METER_DEFECT")
        #expect(run.completed.contains("replaceMeter"))
        #expect(!run.completed.contains("outer"))
        #expect(run.summary == "completed")

        var other = try Run(xml)
        try other.start()
        try other.throwError("readMeter", code: "NO_ACCESS")  // not the inner code: the outer catch-all takes it
        #expect(other.terminated == ["readMeter", "visit"])
        #expect(other.completed.contains("outer"))
    }

    @Test func theCaughtErrorsCodeAndMessageGoIntoTheVariablesTheCatchNames() throws {
        let xml = document("""
            <startEvent id="s"/>\(serviceTask("register"))<endEvent id="e"/>\(flows("s", "register", "e"))
            <boundaryEvent id="refused" attachedToRef="register">
              <errorEventDefinition errorRef="defect" camunda:errorCodeVariable="refusalCode" camunda:errorMessageVariable="refusal"/>
            </boundaryEvent>
            <userTask id="correct"/><endEvent id="e2"/>\(flows("refused", "correct", "e2"))
            """, globals: globals)
        var run = try Run(xml)
        try run.start()
        try run.throwError("register", code: "METER_DEFECT")
        #expect(run.active == ["correct"])
        #expect(run.variables["refusal"] == .string("thrown by the test"))
        #expect(run.variables["refusalCode"] == .string("METER_DEFECT"))
    }

    @Test func anErrorNothingCatchesIsAnIncidentOnTheElement() throws {
        var run = try Run(document("<startEvent id=\"s\"/>\(serviceTask("work"))<endEvent id=\"e\"/>" + flows("s", "work", "e"), globals: globals))
        try run.start()
        try run.throwError("work", code: "UNKNOWN")
        #expect(run.summary == "incident")
        #expect(run.incidents.first?.contains("the error UNKNOWN thrown by work is not caught") == true)
    }

    @Test func escalationsAreCaughtInterruptingOrNot() throws {
        let body = """
            <startEvent id="s"/>
            <subProcess id="job"><startEvent id="js"/><intermediateThrowEvent id="tooSlow"><escalationEventDefinition escalationRef="late"/></intermediateThrowEvent>
              <userTask id="finish"/><endEvent id="je"/>\(flows("js", "tooSlow", "finish", "je"))</subProcess>
            <endEvent id="e"/>\(flows("s", "job", "e"))
            """
        var nonInterrupting = try Run(document(body + """
            <boundaryEvent id="tellSupervisor" attachedToRef="job" cancelActivity="false"><escalationEventDefinition escalationRef="late"/></boundaryEvent>
            <userTask id="supervise"/><endEvent id="se"/>\(flows("tellSupervisor", "supervise", "se"))
            """, globals: globals))
        try nonInterrupting.start()
        #expect(Set(nonInterrupting.active) == ["job", "finish", "supervise"])

        var interrupting = try Run(document(body + """
            <boundaryEvent id="takeOver" attachedToRef="job"><escalationEventDefinition escalationRef="late"/></boundaryEvent>
            <userTask id="supervise"/><endEvent id="se"/>\(flows("takeOver", "supervise", "se"))
            """, globals: globals))
        try interrupting.start()
        #expect(interrupting.active == ["supervise"])
        #expect(interrupting.terminated.contains("job"))
    }
}
