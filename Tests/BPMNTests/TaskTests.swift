import BPMN
import Contracts
import Testing

/// Tasks (BPMN 2.0, 10.3.3) and variable mappings.
@Suite struct TaskTests {
    @Test func aUserTaskWaitsForItsCompletionAndKeepsTheVariables() throws {
        var run = try Run(document("""
            <startEvent id="s"/><userTask id="register" name="Register the customer"/><endEvent id="e"/>
            \(flows("s", "register", "e"))
            """))
        try run.start(["nationalId": .string("0012345678")])
        #expect(run.active == ["register"])
        #expect(run.tasks.first?.variables == ["nationalId": .string("0012345678")])
        #expect(run.tasks.first?.priority == 50)
        try run.completeTask("register", ["customerId": .string("C-1")])
        #expect(run.summary == "completed")
        #expect(run.variables["customerId"] == .string("C-1"))
        #expect(throws: CommandRejected.self) { try run.execute(.completeTask(key: 999, variables: [:])) }
    }

    @Test func serviceSendAndBusinessRuleTasksAreJobs() throws {
        var run = try Run(document("""
            <startEvent id="s"/>\(serviceTask("check", type: "registration.check-national-id"))
            <sendTask id="letter"><extensionElements><zeebe:taskDefinition type="letters.send" retries="5"/></extensionElements></sendTask>
            <businessRuleTask id="tariff"><extensionElements><zeebe:calledDecision decisionId="choose-tariff" resultVariable="tariffCode"/></extensionElements></businessRuleTask>
            <endEvent id="e"/>
            \(flows("s", "check", "letter", "tariff", "e"))
            """))
        try run.start()
        try run.completeJob("check", ["valid": .bool(true)])
        try run.completeJob("letter")
        try run.completeJob("tariff", ["tariffCode": .string("R1")])
        #expect(run.jobs.map(\.type) == ["registration.check-national-id", "letters.send", "decision"])
        #expect(run.jobs[1].retries == 5)
        #expect(run.jobs[2].headers == ["decisionId": "choose-tariff", "resultVariable": "tariffCode"])
        #expect(run.jobs[2].variables["valid"] == .bool(true))
        #expect(run.summary == "completed")
    }

    @Test func aReceiveTaskWaitsForItsMessage() throws {
        var run = try Run(document("""
            <startEvent id="s"/><receiveTask id="waitSurvey" messageRef="survey"/><endEvent id="e"/>
            \(flows("s", "waitSurvey", "e"))
            """, globals: #"<message id="survey" name="site-survey-done"><extensionElements><zeebe:subscription correlationKey="=request"/></extensionElements></message>"#))
        try run.start(["request": .number(17)])
        try run.correlate("site-survey-done", key: "17", ["distance": .number(35)])
        #expect(run.summary == "completed")
        #expect(run.variables["distance"] == .number(35))
    }

    @Test func aScriptTaskPutsAFEELValueIntoAVariable() throws {
        var run = try Run(document("""
            <startEvent id="s"/>
            <scriptTask id="fee"><extensionElements><zeebe:script expression="=if capacity > 32 then 250 else 120" resultVariable="connectionFee"/></extensionElements></scriptTask>
            <scriptTask id="c7" scriptFormat="feel" camunda:resultVariable="deposit"><script>connectionFee * 2</script></scriptTask>
            <endEvent id="e"/>
            \(flows("s", "fee", "c7", "e"))
            """))
        try run.start(["capacity": .number(63)])
        #expect(run.variables["connectionFee"] == .number(250))
        #expect(run.variables["deposit"] == .number(500))
    }

    @Test func manualAndPlainTasksPassThrough() throws {
        var run = try Run(document("<startEvent id=\"s\"/><manualTask id=\"m\"/><task id=\"t\"/><endEvent id=\"e\"/>" + flows("s", "m", "t", "e")))
        try run.start()
        #expect(run.completed == ["s", "m", "t", "e"])
    }

    @Test func inputAndOutputMappingsWorkOnAnyActivity() throws {
        var run = try Run(document("""
            <startEvent id="s"/>
            <serviceTask id="price"><extensionElements><zeebe:taskDefinition type="tariff.price"/>
              <zeebe:ioMapping><zeebe:input source="=reading.value - reading.previous" target="consumption"/>
                <zeebe:output source="=total" target="bill.amount"/><zeebe:output source="=consumption" target="bill.kwh"/></zeebe:ioMapping>
            </extensionElements></serviceTask>
            <endEvent id="e"/>
            \(flows("s", "price", "e"))
            """))
        try run.start(["reading": .object(["value": .number(1500), "previous": .number(1200)])])
        #expect(run.jobs.first?.variables["consumption"] == .number(300))
        try run.completeJob("price", ["total": .number(4500)])
        #expect(run.variables["bill"] == .object(["amount": .number(4500), "kwh": .number(300)]))
        #expect(run.variables["total"] == nil)  // with output mappings, only mapped values leave the task
        #expect(run.variables["consumption"] == nil)
    }

    @Test func withoutOutputMappingsAJobsVariablesGoToTheScopeThatHasThem() throws {
        var run = try Run(document("""
            <startEvent id="s"/><subProcess id="sub"><extensionElements><zeebe:ioMapping><zeebe:input source="=0" target="attempts"/></zeebe:ioMapping></extensionElements>
              <startEvent id="ss"/>\(serviceTask("call"))<endEvent id="se"/>\(flows("ss", "call", "se"))
              <zeebe:ioMapping/></subProcess>
            <endEvent id="e"/>\(flows("s", "sub", "e"))
            """))
        try run.start()
        try run.completeJob("call", ["attempts": .number(1), "result": .string("ok")])
        #expect(run.variables["result"] == .string("ok"))  // new: the process instance
        #expect(run.variables["attempts"] == nil)  // existing: the sub-process's own, gone with it
    }

    @Test func aJobThatFailsIsRetriedThenBecomesAnIncidentAndCanBeResolved() throws {
        var run = try Run(document("<startEvent id=\"s\"/>\(serviceTask("send"))<endEvent id=\"e\"/>" + flows("s", "send", "e")))
        try run.start()
        let job = try #require(run.open("send", .job))
        try run.failJob("send", retries: 2, message: "SMTP timeout")
        #expect(run.summary == "active")
        try run.failJob("send", retries: 0, message: "SMTP refused")
        #expect(run.summary == "incident")
        #expect(run.incidents == ["SMTP refused"])
        #expect(throws: CommandRejected.self) { try run.execute(.completeJob(key: job, variables: [:])) }
        let incident = try #require(run.state?.incidents.keys.first)
        try run.execute(.resolveIncident(key: incident, retries: 3))
        #expect(run.jobs.count == 2)
        #expect(run.jobs.last?.retries == 3)
        try run.completeJob("send")
        #expect(run.summary == "completed")
    }
}
