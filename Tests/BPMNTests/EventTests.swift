import BPMN
import Contracts
import Testing

/// Start, end and intermediate events (BPMN 2.0, 10.5).
@Suite struct EventTests {
    let messages = """
        <message id="paid" name="payment-received"><extensionElements><zeebe:subscription correlationKey="=bill"/></extensionElements></message>
        <message id="outage" name="outage-reported"/>
        <signal id="storm" name="storm-warning"/>
        <error id="bad" errorCode="METER_DEFECT"/>
        <escalation id="late" escalationCode="LATE"/>
        """

    @Test func noneStartAndNoneEndCompleteTheInstance() throws {
        var run = try Run(document("<startEvent id=\"s\"/><task id=\"t\"/><endEvent id=\"e\"/>" + flows("s", "t", "e")))
        try run.start(["a": .number(1)])
        #expect(run.summary == "completed")
        #expect(run.completed == ["s", "t", "e"])
        #expect(run.effects.last == .instanceCompleted(processId: "p", variables: ["a": .number(1)]))
    }

    @Test func aMessageTimerOrSignalStartEventIsChosenByTheStarter() throws {
        let xml = document("""
            <startEvent id="byHand"/><startEvent id="byMessage"><messageEventDefinition messageRef="outage"/></startEvent>
            <startEvent id="nightly"><timerEventDefinition><timeCycle>R/PT24H</timeCycle></timerEventDefinition></startEvent>
            <startEvent id="bySignal"><signalEventDefinition signalRef="storm"/></startEvent>
            <endEvent id="e"/>
            \(flow("byHand", "e"))\(flow("byMessage", "e"))\(flow("nightly", "e"))\(flow("bySignal", "e"))
            """, globals: messages)
        for start in ["byMessage", "nightly", "bySignal"] {
            var run = try Run(xml)
            try run.start(at: start)
            #expect(run.completed == [start, "e"])
        }
        var plain = try Run(xml)
        try plain.start()
        #expect(plain.completed.first == "byHand")
        var wrong = try Run(xml)
        #expect(throws: CommandRejected.self) { try wrong.start(at: "e") }
    }

    @Test func aMessageCatchEventWaitsForItsCorrelationKey() throws {
        var run = try Run(document("""
            <startEvent id="s"/><intermediateCatchEvent id="waitPayment"><messageEventDefinition messageRef="paid"/></intermediateCatchEvent><endEvent id="e"/>
            \(flows("s", "waitPayment", "e"))
            """, globals: messages))
        try run.start(["bill": .string("B-7")])
        #expect(run.active == ["waitPayment"])
        #expect(throws: CommandRejected.self) { try run.correlate("payment-received", key: "B-8") }
        try run.correlate("payment-received", key: "B-7", ["amount": .number(40)])
        #expect(run.summary == "completed")
        #expect(run.variables["amount"] == .number(40))
    }

    @Test func timerCatchEventsForDurationDateAndExpression() throws {
        var run = try Run(document("""
            <startEvent id="s"/>
            <intermediateCatchEvent id="oneHour"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
            <intermediateCatchEvent id="onDate"><timerEventDefinition><timeDate>2026-01-06T08:00:00Z</timeDate></timerEventDefinition></intermediateCatchEvent>
            <intermediateCatchEvent id="fromVariable"><timerEventDefinition><timeDuration>=duration(grace)</timeDuration></timerEventDefinition></intermediateCatchEvent>
            <endEvent id="e"/>
            \(flows("s", "oneHour", "onDate", "fromVariable", "e"))
            """))
        try run.start(["grace": .string("P2D")])
        try run.advance(3599)
        #expect(run.active == ["oneHour"])
        try run.advance(1)
        #expect(run.active == ["onDate"])
        try run.advance(22 * 3600 - 1)  // 2026-01-06T07:59:59Z
        #expect(run.active == ["onDate"])
        try run.advance(1)
        #expect(run.active == ["fromVariable"])
        try run.advance(2 * 86_400)
        #expect(run.summary == "completed")
    }

    @Test func aSignalReachesEveryWaitingCatchEvent() throws {
        var run = try Run(document("""
            <startEvent id="s"/><parallelGateway id="fork"/>
            <intermediateCatchEvent id="a"><signalEventDefinition signalRef="storm"/></intermediateCatchEvent>
            <intermediateCatchEvent id="b"><signalEventDefinition signalRef="storm"/></intermediateCatchEvent>
            <endEvent id="ea"/><endEvent id="eb"/>
            \(flows("s", "fork"))\(flows("fork", "a", "ea"))\(flows("fork", "b", "eb"))
            """, globals: messages))
        try run.start()
        #expect(Set(run.active) == ["a", "b"])
        try run.signal("storm-warning")
        #expect(run.summary == "completed")
    }

    @Test func linkEventsJumpWithinTheScope() throws {
        var run = try Run(document("""
            <startEvent id="s"/><intermediateThrowEvent id="goTo"><linkEventDefinition name="Billing"/></intermediateThrowEvent>
            <intermediateCatchEvent id="arrive"><linkEventDefinition name="Billing"/></intermediateCatchEvent><task id="bill"/><endEvent id="e"/>
            \(flow("s", "goTo"))\(flows("arrive", "bill", "e"))
            """))
        try run.start()
        #expect(run.completed == ["s", "goTo", "arrive", "bill", "e"])
        #expect(run.summary == "completed")
    }

    @Test func throwEventsPublishMessagesAndSignals() throws {
        var run = try Run(document("""
            <startEvent id="s"/>
            <intermediateThrowEvent id="tell"><messageEventDefinition messageRef="paid"/></intermediateThrowEvent>
            <intermediateThrowEvent id="warn"><signalEventDefinition signalRef="storm"/></intermediateThrowEvent>
            <endEvent id="e"><messageEventDefinition messageRef="outage"/></endEvent>
            \(flows("s", "tell", "warn", "e"))
            """, globals: messages))
        try run.start(["bill": .string("B-1")])
        let published = run.effects.compactMap { if case .messagePublished(let id, let name, let key, _) = $0 { "\(id):\(name):\(key ?? "-")" } else { nil } }
        #expect(published == ["tell:payment-received:B-1", "e:outage-reported:-"])
        #expect(run.effects.contains { if case .signalBroadcast("warn", "storm-warning", _) = $0 { true } else { false } })
        #expect(run.summary == "completed")
    }

    @Test func aMessageEventWithATaskDefinitionIsAJob() throws {
        var run = try Run(document("""
            <startEvent id="s"/>
            <intermediateThrowEvent id="sms"><extensionElements><zeebe:taskDefinition type="sms"/></extensionElements><messageEventDefinition messageRef="outage"/></intermediateThrowEvent>
            <endEvent id="e"/>
            \(flows("s", "sms", "e"))
            """, globals: messages))
        try run.start()
        #expect(run.jobs.map(\.type) == ["sms"])
        try run.completeJob("sms")
        #expect(run.summary == "completed")
    }

    @Test func terminateEndsEverythingInItsScope() throws {
        var run = try Run(document("""
            <startEvent id="s"/><parallelGateway id="fork"/><userTask id="slow"/><endEvent id="stop"><terminateEventDefinition/></endEvent>
            \(flows("s", "fork"))\(flow("fork", "slow"))\(flow("fork", "stop"))
            """))
        try run.start()
        #expect(run.terminated == ["slow"])
        #expect(run.effects.contains { if case .taskCancelled(_, "slow") = $0 { true } else { false } })
        #expect(run.summary == "completed")
    }

    @Test func anEscalationThatNothingCatchesIsNotAnError() throws {
        var run = try Run(document("""
            <startEvent id="s"/><intermediateThrowEvent id="raise"><escalationEventDefinition escalationRef="late"/></intermediateThrowEvent><endEvent id="e"/>
            \(flows("s", "raise", "e"))
            """, globals: messages))
        try run.start()
        #expect(run.summary == "completed")
    }

    @Test func anUncaughtErrorEndEventIsAnIncident() throws {
        var run = try Run(document("""
            <startEvent id="s"/><endEvent id="fail"><errorEventDefinition errorRef="bad"/></endEvent>
            \(flow("s", "fail"))
            """, globals: messages))
        try run.start()
        #expect(run.summary == "incident")
        #expect(run.incidents == ["the error METER_DEFECT thrown by fail is not caught"])
        #expect(run.active == ["fail"])
    }
}
