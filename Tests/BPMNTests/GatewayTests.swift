import BPMN
import Contracts
import Testing

/// Gateways (BPMN 2.0, 10.6 and 13.3.4 for the inclusive join).
@Suite struct GatewayTests {
    func exclusive(_ amount: Double) throws -> Run {
        var run = try Run(document("""
            <startEvent id="s"/><exclusiveGateway id="size" default="toSmall"/><task id="large"/><task id="medium"/><task id="small"/>
            <exclusiveGateway id="merge"/><endEvent id="e"/>
            \(flow("s", "size"))
            \(flow("size", "large", id: "toLarge", condition: "=amount &gt; 1000"))
            \(flow("size", "medium", id: "toMedium", condition: "${amount &gt; 100}"))
            \(flow("size", "small", id: "toSmall"))
            \(flow("large", "merge"))\(flow("medium", "merge"))\(flow("small", "merge"))\(flow("merge", "e"))
            """))
        try run.start(["amount": .number(amount)])
        return run
    }

    @Test func anExclusiveGatewayTakesTheFirstBranchThatHoldsElseTheDefault() throws {
        #expect(try exclusive(5000).completed.contains("large"))
        #expect(!(try exclusive(5000).completed.contains("medium")))  // only the first that holds
        #expect(try exclusive(500).completed.contains("medium"))
        #expect(try exclusive(5).completed.contains("small"))
        #expect(try exclusive(5).summary == "completed")
    }

    @Test func anExclusiveGatewayWithNoBranchToTakeIsAnIncident() throws {
        var run = try Run(document("""
            <startEvent id="s"/><exclusiveGateway id="g"/><endEvent id="a"/><endEvent id="b"/>
            \(flow("s", "g"))\(flow("g", "a", condition: "=x = 1"))\(flow("g", "b", condition: "=x = 2"))
            """))
        try run.start(["x": .number(3)])
        #expect(run.summary == "incident")
        #expect(run.incidents.first?.contains("no condition of the gateway g holds") == true)
        // The analyst fixes the data and resolves the incident: the gateway decides again.
        try run.execute(.setVariables(scope: nil, variables: ["x": .number(2)], local: false))
        try run.execute(.resolveIncident(key: try #require(run.state?.incidents.keys.first), retries: nil))
        #expect(run.completed.last == "b")
        #expect(run.summary == "completed")
    }

    @Test func aParallelGatewayForksAndJoinsWaitingForEveryBranch() throws {
        var run = try Run(document("""
            <startEvent id="s"/><parallelGateway id="fork"/><userTask id="survey"/><userTask id="payment"/><parallelGateway id="join"/>
            <task id="connect"/><endEvent id="e"/>
            \(flows("s", "fork"))\(flows("fork", "survey", "join"))\(flows("fork", "payment", "join"))\(flows("join", "connect", "e"))
            """))
        try run.start()
        #expect(Set(run.active) == ["survey", "payment"])
        try run.completeTask("payment")
        #expect(run.active == ["survey", "join"])
        #expect(!run.completed.contains("connect"))
        try run.completeTask("survey")
        #expect(run.completed.filter { $0 == "connect" }.count == 1)
        #expect(run.summary == "completed")
    }

    @Test func aTenBranchParallelForkJoinsOnce() throws {
        let branches = (1...10).map { "b\($0)" }
        var run = try Run(document("""
            <startEvent id="s"/><parallelGateway id="fork"/><parallelGateway id="join"/><endEvent id="e"/>
            \(branches.map { "<task id=\"\($0)\"/>" }.joined())
            \(flow("s", "fork"))\(branches.map { flows("fork", $0, "join") }.joined())\(flow("join", "e"))
            """))
        try run.start()
        #expect(run.completed.filter { $0 == "join" }.count == 1)
        #expect(run.completed.filter { $0 == "e" }.count == 1)
        #expect(run.summary == "completed")
    }

    func inclusive(_ variables: [String: JSONValue]) throws -> Run {
        var run = try Run(document("""
            <startEvent id="s"/><inclusiveGateway id="needs" default="toNothing"/>
            <userTask id="meter"/><userTask id="cable"/><task id="nothing"/>
            <inclusiveGateway id="done"/><endEvent id="e"/>
            \(flow("s", "needs"))
            \(flow("needs", "meter", id: "toMeter", condition: "=newMeter"))
            \(flow("needs", "cable", id: "toCable", condition: "=newCable"))
            \(flow("needs", "nothing", id: "toNothing"))
            \(flow("meter", "done"))\(flow("cable", "done"))\(flow("nothing", "done"))\(flow("done", "e"))
            """))
        try run.start(variables)
        return run
    }

    @Test func anInclusiveGatewayTakesEveryBranchThatHolds() throws {
        let both = try inclusive(["newMeter": .bool(true), "newCable": .bool(true)])
        #expect(Set(both.active) == ["meter", "cable"])
        let none = try inclusive(["newMeter": .bool(false), "newCable": .bool(false)])
        #expect(none.completed.contains("nothing"))
        #expect(none.summary == "completed")
    }

    @Test func anInclusiveJoinWaitsOnlyForTokensThatCanStillArrive() throws {
        var one = try inclusive(["newMeter": .bool(true), "newCable": .bool(false)])
        #expect(one.active == ["meter"])
        try one.completeTask("meter")
        // Only one branch was taken, so the join does not wait for the others.
        #expect(one.summary == "completed")

        var two = try inclusive(["newMeter": .bool(true), "newCable": .bool(true)])
        try two.completeTask("cable")
        #expect(two.summary == "active")
        #expect(two.active == ["meter", "done"])
        try two.completeTask("meter")
        #expect(two.completed.filter { $0 == "done" }.count == 1)
        #expect(two.summary == "completed")
    }

    @Test func anEventBasedGatewayTakesTheFirstEventAndWithdrawsTheOthers() throws {
        let xml = document("""
            <startEvent id="s"/><eventBasedGateway id="wait"/>
            <intermediateCatchEvent id="paid"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>
            <intermediateCatchEvent id="overdue"><timerEventDefinition><timeDuration>P14D</timeDuration></timerEventDefinition></intermediateCatchEvent>
            <task id="thank"/><task id="remind"/><endEvent id="e1"/><endEvent id="e2"/>
            \(flow("s", "wait"))\(flows("wait", "paid", "thank", "e1"))\(flows("wait", "overdue", "remind", "e2"))
            """, globals: #"<message id="m" name="payment-received"/>"#)
        var paid = try Run(xml)
        try paid.start()
        #expect(paid.active == ["wait"])
        try paid.correlate("payment-received")
        #expect(paid.completed.contains("thank"))
        #expect(!paid.completed.contains("remind"))
        #expect(paid.effects.contains { if case .timerCancelled(_, "overdue") = $0 { true } else { false } })
        #expect(paid.summary == "completed")

        var late = try Run(xml)
        try late.start()
        try late.advance(14 * 86_400)
        #expect(late.completed.contains("remind"))
        #expect(late.summary == "completed")
        #expect(throws: CommandRejected.self) { try late.correlate("payment-received") }
    }
}
