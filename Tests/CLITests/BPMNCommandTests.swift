import Contracts
import Foundation
import Testing
import TestSupport

/// `utilis bpmn check` and `utilis bpmn simulate` as an analyst runs them.
@Suite struct BPMNCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("bpmn-cli"))

    func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func utilis(_ arguments: [String]) async throws -> (status: Int32?, output: String) {
        let process = try ChildProcess(TestEnvironment.executable("utilis"), arguments: arguments)
        let status = await process.wait(timeout: .seconds(60))
        return (status, process.log)
    }

    let connection = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
          <process id="new-connection" isExecutable="true">
            <startEvent id="requested"/>
            <userTask id="survey" name="Site survey"><extensionElements><zeebe:assignmentDefinition candidateGroups="field-technician"/></extensionElements></userTask>
            <exclusiveGateway id="feasible" default="reject"/>
            <serviceTask id="quote"><extensionElements><zeebe:taskDefinition type="tariff.quote-connection"/></extensionElements></serviceTask>
            <endEvent id="quoted"/><endEvent id="rejected"/>
            <sequenceFlow id="f1" sourceRef="requested" targetRef="survey"/>
            <sequenceFlow id="f2" sourceRef="survey" targetRef="feasible"/>
            <sequenceFlow id="ok" sourceRef="feasible" targetRef="quote"><conditionExpression>=distance &lt;= 50</conditionExpression></sequenceFlow>
            <sequenceFlow id="reject" sourceRef="feasible" targetRef="rejected"/>
            <sequenceFlow id="f3" sourceRef="quote" targetRef="quoted"/>
          </process>
        </definitions>
        """

    @Test func checkAcceptsAGoodModelAndNamesEachProblemOfABadOne() async throws {
        let good = try write("good.bpmn", connection)
        let bad = try write("bad.bpmn", connection.replacingOccurrences(of: #" default="reject""#, with: "")
            .replacingOccurrences(of: "tariff.quote-connection", with: "=tariff +"))
        let passed = try await utilis(["bpmn", "check", good])
        #expect(passed.status == 0, "\(passed.output)")
        #expect(passed.output.contains("good.bpmn: ok: new-connection with 6 elements"))
        let failed = try await utilis(["bpmn", "check", good, bad])
        #expect(failed.status == 1)
        #expect(failed.output.contains("bad.bpmn: rejected"))
        #expect(failed.output.contains("feasible: the branch reject has neither a condition nor is it the default flow"))
        #expect(failed.output.contains("quote: bad FEEL in the job type"))
    }

    @Test func simulatePrintsEachEffectThenTheEnd() async throws {
        let model = try write("connection.bpmn", connection)
        let scenario = try write("far.json", """
            {"start": {"variables": {"customer": "C-7"}},
             "steps": [{"completeTask": "survey", "variables": {"distance": 30}}, {"completeJob": "quote", "variables": {"fee": 250}}]}
            """)
        let run = try await utilis(["bpmn", "simulate", model, "--scenario", scenario])
        #expect(run.status == 0, "\(run.output)")
        let lines = try run.output.split(separator: "\n").map { try JSONValue.parse(Array($0.utf8)) }
        for line in lines { #expect(line["event"] != nil && line["elementId"] != nil, "\(line)") }
        let task = try #require(lines.first { $0["event"] == .string("task-created") })
        #expect(task["candidateGroups"] == .array([.string("field-technician")]))
        #expect(lines.contains { $0["event"] == .string("job-created") && $0["type"] == .string("tariff.quote-connection") })
        let end = try #require(lines.last)
        #expect(end["event"] == .string("end"))
        #expect(end["state"] == .string("completed"))
        #expect(end["active"] == .array([]))
        #expect(end["variables"] == .object(["customer": .string("C-7"), "distance": .number(30), "fee": .number(250)]))
    }

    @Test func simulateStopsAtAStepThatDoesNotApply() async throws {
        let model = try write("connection.bpmn", connection)
        let scenario = try write("wrong.json", #"{"steps": [{"completeJob": "quote"}]}"#)
        let run = try await utilis(["bpmn", "simulate", model, "--scenario", scenario])
        #expect(run.status == 1)
        #expect(run.output.contains(#""event":"step-rejected""#))
        #expect(run.output.contains("quote has no open job"))
        #expect(run.output.contains(#""state":"active""#))
        let invalid = try write("invalid.json", #"{"steps": [{"advanceClock": "later"}]}"#)
        let refused = try await utilis(["bpmn", "simulate", model, "--scenario", invalid])
        #expect(refused.status != 0)
        #expect(refused.output.contains("steps[0].advanceClock"))
    }
}
