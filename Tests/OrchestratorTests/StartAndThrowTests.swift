import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// Processes started by a message or a signal, and instances that message one another.
extension OrchestratorTests {
    /// A complaint starts a case per customer; the case asks for an inspection by message, and
    /// the inspection's result comes back to the case by message; a storm signal starts a
    /// patrol process.
    static let complaintModels = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
          <message id="complaint" name="complaint-received"/>
          <message id="inspect" name="inspection-requested"/>
          <message id="result" name="inspection-done"><extensionElements><zeebe:subscription correlationKey="=customer"/></extensionElements></message>
          <signal id="storm" name="storm-warning"/>
          <process id="complaint-case" name="Complaint case" isExecutable="true">
            <startEvent id="received"><messageEventDefinition messageRef="complaint"/></startEvent>
            <intermediateThrowEvent id="askInspection"><messageEventDefinition messageRef="inspect"/></intermediateThrowEvent>
            <intermediateCatchEvent id="awaitResult"><messageEventDefinition messageRef="result"/></intermediateCatchEvent>
            <userTask id="answerCustomer"/><endEvent id="answered"/>
            <sequenceFlow id="c1" sourceRef="received" targetRef="askInspection"/><sequenceFlow id="c2" sourceRef="askInspection" targetRef="awaitResult"/>
            <sequenceFlow id="c3" sourceRef="awaitResult" targetRef="answerCustomer"/><sequenceFlow id="c4" sourceRef="answerCustomer" targetRef="answered"/>
          </process>
          <process id="meter-inspection" name="Meter inspection" isExecutable="true">
            <startEvent id="requested"><messageEventDefinition messageRef="inspect"/></startEvent>
            <userTask id="inspectMeter"/>
            <endEvent id="reported"><messageEventDefinition messageRef="result"/></endEvent>
            <sequenceFlow id="i1" sourceRef="requested" targetRef="inspectMeter"/><sequenceFlow id="i2" sourceRef="inspectMeter" targetRef="reported"/>
          </process>
          <process id="storm-patrol" name="Storm patrol" isExecutable="true">
            <startEvent id="warned"><signalEventDefinition signalRef="storm"/></startEvent>
            <userTask id="patrolLines"/><endEvent id="patrolled"/>
            <sequenceFlow id="p1" sourceRef="warned" targetRef="patrolLines"/><sequenceFlow id="p2" sourceRef="patrolLines" targetRef="patrolled"/>
          </process>
        </definitions>
        """

    @Test func aMessageStartsOneCasePerCustomerAndInstancesMessageEachOther() async throws {
        let running = try await start(models: ["complaints.bpmn": Self.complaintModels])
        for _ in 0..<3 { _ = try await running.nextEvent() }
        let listening = try await listen(jobType: TestEnvironment.uniqueName("none"), on: running)

        // The complaint starts a case with the customer as its business key; a second complaint
        // of the same customer while the case is open starts nothing.
        try await send(CorrelateMessage(name: "complaint-received", correlationKey: "C-7", variables: ["customer": .string("C-7")], timeToLive: nil), on: running)
        let started = try await next(ProcessStarted.self, on: running, from: listening)
        #expect((started.processId, started.businessKey, started.startedBy) == ("complaint-case", "C-7", "operator:sara"))
        // The case's throw event asked for an inspection: a message start of the other process.
        let inspection = try await next(TaskCreated.self, on: running, from: listening)
        #expect(inspection.processId == "meter-inspection" && inspection.variables["customer"] == .string("C-7"))
        try await send(CorrelateMessage(name: "complaint-received", correlationKey: "C-7", variables: ["customer": .string("C-7")], timeToLive: nil), on: running)

        // The inspection's message end event reaches the waiting case by the customer's key.
        try await send(CompleteTask(taskId: inspection.taskId, variables: ["finding": .string("meter fast by 4%")]), on: running)
        var answer: TaskCreated?
        while answer == nil {
            let task = try await next(TaskCreated.self, on: running, from: listening)
            if task.elementId == "answerCustomer" { answer = task } else { Issue.record("unexpected task \(task.elementId)") }
        }
        #expect(answer?.instanceId == started.instanceId)
        #expect(answer?.variables["finding"] == .string("meter fast by 4%"))

        let db = PostgresConnection(configuration: running.database)
        #expect(try await db.query("SELECT count(*) FROM instances WHERE process_id = 'complaint-case'").scalar(Int.self) == 1)
        await db.close()
        await running.stop()
    }

    @Test func aSignalStartsTheProcessesThatStartOnIt() async throws {
        let running = try await start(models: ["complaints.bpmn": Self.complaintModels])
        for _ in 0..<3 { _ = try await running.nextEvent() }
        let listening = try await listen(jobType: TestEnvironment.uniqueName("none"), on: running)
        try await send(BroadcastSignal(name: "storm-warning", variables: ["region": .string("north")]), on: running)
        let patrol = try await next(TaskCreated.self, on: running, from: listening)
        #expect(patrol.processId == "storm-patrol" && patrol.elementId == "patrolLines" && patrol.variables["region"] == .string("north"))
        await running.stop()
    }

    @Test func aTaskIsClaimedAndHandedOverWithTheTrailKeptAndAClosedTaskRefused() async throws {
        let jobType = TestEnvironment.uniqueName("registration") + ".install-meter"
        let running = try await start(models: ["new-connection.bpmn": Self.connectionModel(jobType: jobType)])
        _ = try await running.nextEvent()
        _ = try? await running.broker.purgeQueue("orchestrator.commands.dead")
        let listening = try await listen(jobType: jobType, on: running)
        try await send(StartProcess(processId: "new-connection", version: nil, businessKey: nil, variables: nil), on: running)
        let task = try await next(TaskCreated.self, on: running, from: listening)

        try await send(AssignTask(taskId: task.taskId, assignee: "user:ali"), on: running)
        let claimed = try await next(TaskAssigned.self, on: running, from: listening)
        #expect((claimed.taskId, claimed.assignee, claimed.actor) == (task.taskId, "user:ali", "operator:sara"))
        try await send(AssignTask(taskId: task.taskId, assignee: nil), on: running)
        #expect(try await next(TaskAssigned.self, on: running, from: listening).assignee == nil)
        try await send(CompleteTask(taskId: task.taskId, variables: nil), on: running)
        _ = try await next(TaskCompleted.self, on: running, from: listening)
        try await send(AssignTask(taskId: task.taskId, assignee: "user:reza"), on: running)

        var letters: [DeadLetters.Letter] = []
        try await eventually("the assignment of a completed task is dead-lettered") {
            letters += try await DeadLetters.list(deadQueue: "orchestrator.commands.dead", connection: running.broker)
            return !letters.isEmpty
        }
        #expect(letters.first?.reason.contains("taskId: \(task.taskId) is not an open user task") == true)
        let db = PostgresConnection(configuration: running.database)
        let trail = try await db.query(
            "SELECT event || ' ' || coalesce(variables->>'assignee', '-') FROM history WHERE element_id = 'survey' ORDER BY seq").column(String.self)
        #expect(trail == ["activated -", "assigned user:ali", "assigned -", "completed -"])
        await db.close()
        await running.stop()
    }
}
