import BPMN
import Contracts
import Foundation
import Testing

/// The instance as a whole: its state as JSON, cancel, variables, determinism.
@Suite struct InstanceTests {
    let xml = document("""
        <startEvent id="s"/><parallelGateway id="fork"/><userTask id="survey"/>
        <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT2H</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <parallelGateway id="join"/><endEvent id="e"/>
        \(flows("s", "fork"))\(flows("fork", "survey", "join"))\(flows("fork", "wait", "join"))\(flow("join", "e"))
        """)

    @Test func theStateSurvivesAJSONRoundTripAtAWaitPoint() throws {
        var run = try Run(xml)
        try run.start(["customer": .object(["id": .string("C-1")])])
        try run.advance(7200)
        let state = try #require(run.state)
        let bytes = try state.jsonBytes()
        let restored = try InstanceState.fromJSON(bytes)
        #expect(restored == state)
        // The same state always gives the same bytes.
        #expect(try restored.jsonBytes() == bytes)
        var continued = run
        continued.state = restored
        try continued.completeTask("survey")
        #expect(continued.summary == "completed")
        #expect(continued.variables["customer"] == .object(["id": .string("C-1")]))
    }

    /// States stored before the hand-written codec (by Codable) read the same, and the other way
    /// round: a multi-instance body with inner instances, a job out of retries (an incident), a
    /// message subscription with its key, text that needs escaping and a fraction.
    @Test func theStoredFormIsTheOneCodableWritesAndReads() throws {
        let xml = document("""
            <startEvent id="s"/><parallelGateway id="fork"/>
            <userTask id="readMeter"><multiInstanceLoopCharacteristics isSequential="false">
              <extensionElements><zeebe:loopCharacteristics inputCollection="=meters" inputElement="meter"/></extensionElements>
            </multiInstanceLoopCharacteristics></userTask>
            \(serviceTask("install"))
            <receiveTask id="awaitPayment" messageRef="paid"/>
            \(flows("s", "fork"))\(flow("fork", "readMeter"))\(flow("fork", "install"))\(flow("fork", "awaitPayment"))
            """, globals: #"<message id="paid" name="payment-received"><extensionElements><zeebe:subscription correlationKey="=bill"/></extensionElements></message>"#)
        var run = try Run(xml)
        try run.start([
            "meters": .array([.string("EM-1"), .string("EM-\"2\"\n")]), "bill": .string("BILL-7"), "ratio": .number(0.125),
            "address": .string("خیابان ولیعصر، تهران"),
        ])
        try run.failJob("install", retries: 0, message: "registry \\ down")
        let state = try #require(run.state)
        #expect(!state.incidents.isEmpty && !state.subscriptions.isEmpty && state.elements.values.contains { $0.isMultiInstanceBody })

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let byCodable = Array(try encoder.encode(state))
        #expect(try InstanceState.fromJSON(byCodable) == state)
        #expect(try JSONDecoder().decode(InstanceState.self, from: Data(try state.jsonBytes())) == state)
        #expect(try InstanceState.fromJSON(try state.jsonBytes()) == state)
    }

    @Test func aDamagedStoredStateNamesTheField() throws {
        #expect {
            try InstanceState.fromJSON(Array(#"{"models":[],"status":"sleeping","nextKey":1,"elements":[],"subscriptions":[],"joins":[],"incidents":[]}"#.utf8))
        } throws: { "\($0)".contains("state.status") }
        #expect {
            try InstanceState.fromJSON(Array(#"{"models":[],"status":"active","nextKey":1,"elements":[{"key":"zero"}],"subscriptions":[],"joins":[],"incidents":[]}"#.utf8))
        } throws: { "\($0)".contains("elements.key") }
    }

    @Test func theSameCommandsGiveTheSameEffects() throws {
        func play() throws -> [Effect] {
            var run = try Run(xml)
            try run.start(["a": .number(1), "b": .number(2), "c": .number(3)])
            try run.completeTask("survey", ["x": .number(1), "y": .number(2)])
            try run.advance(7200)
            return run.effects
        }
        #expect(try play() == play())
    }

    @Test func cancelEndsEveryElementAndCancelsTasksAndTimers() throws {
        var run = try Run(xml)
        try run.start()
        try run.execute(.cancel)
        #expect(run.summary == "terminated")
        #expect(Set(run.terminated) == ["survey", "wait", "p"])
        #expect(run.effects.contains { if case .taskCancelled(_, "survey") = $0 { true } else { false } })
        #expect(run.effects.contains { if case .timerCancelled(_, "wait") = $0 { true } else { false } })
        #expect(run.effects.last == .instanceTerminated(processId: "p"))
        #expect(throws: CommandRejected.self) { try run.execute(.cancel) }
    }

    @Test func setVariablesChangesWhatTheNextStepsSee() throws {
        var run = try Run(document("""
            <startEvent id="s"/><userTask id="wait"/><exclusiveGateway id="g" default="no"/><endEvent id="yes"/><endEvent id="no"/>
            \(flows("s", "wait", "g"))\(flow("g", "yes", id: "isYes", condition: "=priority = \"urgent\""))\(flow("g", "no", id: "no"))
            """))
        try run.start(["priority": .string("normal")])
        try run.execute(.setVariables(scope: nil, variables: ["priority": .string("urgent")], local: false))
        try run.completeTask("wait")
        #expect(run.completed.last == "yes")
    }

    @Test func eachElementIsRecordedWhenItIsActivatedAndCompleted() throws {
        var run = try Run(document("<startEvent id=\"s\"/><userTask id=\"u\"/><endEvent id=\"e\"/>" + flows("s", "u", "e")))
        try run.start()
        try run.completeTask("u", ["decision": .string("ok")])
        let history = run.effects.compactMap { effect -> String? in
            switch effect {
            case .elementActivated(_, let id, _): "+\(id)"
            case .elementCompleted(_, let id, _, let variables): "-\(id)\(variables.isEmpty ? "" : " \(variables.keys.sorted())")"
            default: nil
            }
        }
        #expect(history == ["+p", "+s", "-s", "+u", "-u [\"decision\"]", "+e", "-e", "-p"])
    }
}
