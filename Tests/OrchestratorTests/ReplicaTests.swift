import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// Two orchestrators on one database, taking commands from one queue: commands for the same
/// instance at the same moment are serialized by its row lock, so nothing is lost or doubled.
extension OrchestratorTests {
    static func twoStepModel(jobType: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
          <process id="two-steps" isExecutable="true">
            <startEvent id="s"/>
            <serviceTask id="first"><extensionElements><zeebe:taskDefinition type="\(jobType)"/></extensionElements></serviceTask>
            <serviceTask id="second"><extensionElements><zeebe:taskDefinition type="\(jobType)"/></extensionElements></serviceTask>
            <endEvent id="e"/>
            <sequenceFlow id="f1" sourceRef="s" targetRef="first"/><sequenceFlow id="f2" sourceRef="first" targetRef="second"/>
            <sequenceFlow id="f3" sourceRef="second" targetRef="e"/>
          </process>
        </definitions>
        """
    }

    @Test func twoReplicasRacingOnTheSameInstancesLoseNothingAndDoubleNothing() async throws {
        let jobType = TestEnvironment.uniqueName("race") + ".step"
        let models = ["two-steps.bpmn": Self.twoStepModel(jobType: jobType)]
        let one = try await start(models: models)
        let two = try await start(models: models, database: one.database)
        let listening = try await listen(jobType: jobType, on: one)
        _ = try? await one.broker.purgeQueue("orchestrator.commands.dead")
        let count = 20
        for index in 0..<count {
            try await send(StartProcess(processId: "two-steps", version: nil, businessKey: "R-\(index)", variables: nil), on: one)
        }
        // The first job of each instance gets its completion and a set-variables at once; the
        // second only its completion, once the set-variables is in (an instance that has ended
        // refuses variables, rightly).
        let db = PostgresConnection(configuration: one.database)
        var jobs = 0
        while jobs < 2 * count {
            let job = try await self.job(on: one, from: listening)
            jobs += 1
            if job.elementId == "first" {
                try await send(SetVariables(instanceId: job.instanceId, variables: ["touched": .bool(true)]), on: one)
            } else {
                try await eventually("the set-variables of \(job.instanceId) is applied") {
                    try await db.query("SELECT state FROM instances WHERE id = $1", [UUID(uuidString: job.instanceId)!]).scalar(String.self)
                        .contains("\"touched\"")
                }
            }
            try await send(CompleteJob(jobId: job.jobId, variables: ["done-\(job.elementId)": .bool(true)]), on: one)
        }
        try await eventually("every instance completes", timeout: .seconds(60)) {
            try await db.query("SELECT count(*) FROM instances WHERE status = 'completed'").scalar(Int.self) == count
        }
        #expect(try await db.query("SELECT count(*) FROM instances").scalar(Int.self) == count)
        // Both replicas deployed the same file at start-up: one version.
        #expect(try await db.query("SELECT count(*) FROM definitions").scalar(Int.self) == 1)
        // Each element completed exactly once per instance.
        let doubled = try await db.query(
            """
            SELECT count(*) FROM (SELECT instance_id, element_id FROM history WHERE event = 'completed'
            GROUP BY instance_id, element_id HAVING count(*) <> 1) AS d
            """).scalar(Int.self)
        #expect(doubled == 0)
        #expect(try await db.query("SELECT count(*) FROM history WHERE event = 'completed'").scalar(Int.self) == count * 5)
        // And no update was lost: each instance has the variables of all three commands.
        for state in try await db.query("SELECT state FROM instances").column(String.self) {
            for name in ["\"touched\"", "done-first", "done-second"] { #expect(state.contains(name)) }
        }
        let letters = try await DeadLetters.list(deadQueue: "orchestrator.commands.dead", connection: one.broker)
        #expect(letters.isEmpty, "\(letters.map(\.reason))")
        await db.close()
        await two.stop()
        await one.stop()
    }
}
