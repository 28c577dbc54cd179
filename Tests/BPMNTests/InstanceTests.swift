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
