import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// Timers are rows that outlive the orchestrator: one due while it was down fires when it is back.
extension OrchestratorTests {
    static let reminderModel = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
          <process id="payment-reminder" name="Payment reminder" isExecutable="true">
            <startEvent id="billed"/>
            <intermediateCatchEvent id="grace"><timerEventDefinition><timeDuration>PT2S</timeDuration></timerEventDefinition></intermediateCatchEvent>
            <userTask id="remind" name="Call the customer"/><endEvent id="reminded"/>
            <sequenceFlow id="f1" sourceRef="billed" targetRef="grace"/><sequenceFlow id="f2" sourceRef="grace" targetRef="remind"/>
            <sequenceFlow id="f3" sourceRef="remind" targetRef="reminded"/>
          </process>
        </definitions>
        """

    @Test func aTimerDueWhileTheOrchestratorWasKilledFiresWhenItIsBack() async throws {
        let first = try await start(models: ["payment-reminder.bpmn": Self.reminderModel])
        _ = try await first.nextEvent()
        let listening = try await listen(jobType: TestEnvironment.uniqueName("none"), on: first)
        try await send(StartProcess(processId: "payment-reminder", version: nil, businessKey: "BILL-9", variables: nil), on: first)
        let db = PostgresConnection(configuration: first.database)
        try await eventually("the timer is stored") { try await db.query("SELECT count(*) FROM timers").scalar(Int.self) == 1 }
        first.process.signal(SIGKILL)
        _ = await first.process.wait(timeout: .seconds(10))
        try await Task.sleep(for: .seconds(3))  // the timer falls due while no orchestrator runs
        #expect(try await db.query("SELECT count(*) FROM timers WHERE due_at <= now()").scalar(Int.self) == 1)

        let second = try await start(models: ["payment-reminder.bpmn": Self.reminderModel], database: first.database)
        let task = try await next(TaskCreated.self, on: second, from: listening)
        #expect(task.elementId == "remind" && task.businessKey == "BILL-9")
        #expect(try await db.query("SELECT count(*) FROM timers").scalar(Int.self) == 0)
        let history = try await db.query("SELECT event || ' ' || element_id || ' ' || actor FROM history WHERE element_id = 'grace' ORDER BY seq")
            .column(String.self)
        #expect(history == ["activated grace operator:sara", "completed grace system:timer"])
        await db.close()
        await second.stop()
        await first.broker.close()
    }
}
