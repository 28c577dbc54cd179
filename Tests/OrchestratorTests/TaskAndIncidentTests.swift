import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// User tasks announced for the cartable, a job out of retries as an incident and its
/// resolution, a BPMN error from a worker caught by a boundary event, and a cancel.
extension OrchestratorTests {
    static func connectionModel(jobType: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
          <error id="defect" errorCode="METER_DEFECT"/>
          <process id="new-connection" name="New connection" isExecutable="true">
            <startEvent id="requested"/>
            <userTask id="survey" name="Site survey"><extensionElements>
              <zeebe:assignmentDefinition candidateGroups="field-technician"/><zeebe:formDefinition formKey="forms/site-survey"/></extensionElements></userTask>
            <serviceTask id="install"><extensionElements><zeebe:taskDefinition type="\(jobType)" retries="1"/></extensionElements></serviceTask>
            <endEvent id="connected"/>
            <boundaryEvent id="onDefect" attachedToRef="install"><errorEventDefinition errorRef="defect"/></boundaryEvent>
            <userTask id="replaceMeter" name="Replace the meter"/><endEvent id="replaced"/>
            <sequenceFlow id="f1" sourceRef="requested" targetRef="survey"/><sequenceFlow id="f2" sourceRef="survey" targetRef="install"/>
            <sequenceFlow id="f3" sourceRef="install" targetRef="connected"/>
            <sequenceFlow id="f4" sourceRef="onDefect" targetRef="replaceMeter"/><sequenceFlow id="f5" sourceRef="replaceMeter" targetRef="replaced"/>
          </process>
        </definitions>
        """
    }

    struct Listening {
        let work: String
        let events: String
    }

    func listen(jobType: String, on running: Running) async throws -> Listening {
        let listening = Listening(work: TestEnvironment.uniqueName("worker"), events: TestEnvironment.uniqueName("cartable"))
        try await running.broker.declare(AMQPTopology(
            exchanges: [.init(name: Exchanges.commands, kind: .direct)],
            queues: [.init(name: listening.work, arguments: ["x-queue-type": .string("quorum")]),
                .init(name: listening.events, arguments: ["x-queue-type": .string("quorum")])],
            bindings: [.init(queue: listening.work, exchange: Exchanges.commands, routingKey: jobType)]
                + Self.instanceEvents.map {
                    .init(queue: listening.events, exchange: Exchanges.events, routingKey: $0)
                }))
        return listening
    }

    /// What a cartable and reports hear of instances.
    static let instanceEvents = [
        TaskCreated.routingKey, TaskAssigned.routingKey, TaskCompleted.routingKey, TaskCancelled.routingKey, IncidentRaised.routingKey,
        IncidentResolved.routingKey, ProcessStarted.routingKey, ProcessCompleted.routingKey, ProcessTerminated.routingKey,
    ]

    /// The next event of the given contract on the events queue, skipping others.
    func next<M: MessageContract>(_ type: M.Type, on running: Running, from listening: Listening) async throws -> M {
        while true {
            let delivery = try await take(listening.events, on: running)
            if delivery.properties.type == M.type { return try JSONDecoder().decode(M.self, from: Data(delivery.body)) }
        }
    }

    /// An orchestrator with the connection model (the install task's extra extension elements in
    /// `headers`), an instance started and its survey completed: its install job is out.
    func untilTheInstallJob(headers: String = "") async throws -> (Running, Listening, WorkerJob) {
        let jobType = TestEnvironment.uniqueName("registration") + ".install-meter"
        let model = Self.connectionModel(jobType: jobType).replacingOccurrences(of: #"retries="1"/>"#, with: #"retries="1"/>"# + headers)
        let running = try await start(models: ["new-connection.bpmn": model])
        _ = try await running.nextEvent()
        let listening = try await listen(jobType: jobType, on: running)
        try await send(StartProcess(processId: "new-connection", version: nil, businessKey: nil, variables: nil), on: running)
        let survey = try await next(TaskCreated.self, on: running, from: listening)
        try await send(CompleteTask(taskId: survey.taskId, variables: nil), on: running)
        return (running, listening, try await job(on: running, from: listening))
    }

    func job(on running: Running, from listening: Listening) async throws -> WorkerJob {
        try JSONDecoder().decode(WorkerJob.self, from: Data(try await take(listening.work, on: running).body))
    }

    @Test func aTaskIsAnnouncedAFailedJobBecomesAnIncidentAndResolvingItRetriesTheJob() async throws {
        let jobType = TestEnvironment.uniqueName("registration") + ".install-meter"
        let running = try await start(models: ["new-connection.bpmn": Self.connectionModel(jobType: jobType)])
        _ = try await running.nextEvent()
        let listening = try await listen(jobType: jobType, on: running)
        try await send(StartProcess(processId: "new-connection", version: nil, businessKey: "REQ-42", variables: ["customer": .string("C-7")]), on: running)

        let task = try await next(TaskCreated.self, on: running, from: listening)
        #expect(task.elementId == "survey" && task.name == "Site survey" && task.processName == "New connection")
        #expect(task.candidateGroups == ["field-technician"] && task.formKey == "forms/site-survey" && task.businessKey == "REQ-42")
        #expect(task.variables == ["customer": .string("C-7")])
        try await send(CompleteTask(taskId: task.taskId, variables: ["distance": .number(30)]), on: running)
        let ended = try await next(TaskCompleted.self, on: running, from: listening)
        #expect((ended.taskId, ended.actor, ended.variables) == (task.taskId, "operator:sara", ["distance": .number(30)]))

        let first = try await job(on: running, from: listening)
        #expect(first.retries == 1 && first.variables["distance"] == .number(30))
        try await send(FailJob(jobId: first.jobId, retries: 0, message: "the meter registry did not answer"), on: running)
        let incident = try await next(IncidentRaised.self, on: running, from: listening)
        #expect((incident.elementId, incident.message) == ("install", "the meter registry did not answer"))

        try await send(ResolveIncident(incidentId: incident.incidentId, retries: 2), on: running)
        let resolved = try await next(IncidentResolved.self, on: running, from: listening)
        #expect((resolved.incidentId, resolved.actor) == (incident.incidentId, "operator:sara"))
        let again = try await job(on: running, from: listening)
        #expect(again.jobId == first.jobId && again.retries == 2)
        try await send(CompleteJob(jobId: again.jobId, variables: nil), on: running)
        let completed = try await next(ProcessCompleted.self, on: running, from: listening)
        #expect(completed.businessKey == "REQ-42" && completed.variables["distance"] == .number(30))
        await running.stop()
    }

    @Test func aWorkersBusinessErrorIsCaughtByTheBoundaryEventAndACancelEndsTheTask() async throws {
        let (running, listening, install) = try await untilTheInstallJob()
        try await send(ThrowError(jobId: install.jobId, code: "METER_DEFECT", message: "seal broken"), on: running)

        let replace = try await next(TaskCreated.self, on: running, from: listening)
        #expect(replace.elementId == "replaceMeter")
        try await send(CancelInstance(instanceId: replace.instanceId), on: running)
        let cancelled = try await next(TaskCancelled.self, on: running, from: listening)
        #expect((cancelled.taskId, cancelled.actor) == (replace.taskId, "operator:sara"))
        #expect(try await next(ProcessTerminated.self, on: running, from: listening).instanceId == replace.instanceId)
        let db = PostgresConnection(configuration: running.database)
        #expect(try await db.query("SELECT status FROM instances WHERE id = $1", [UUID(uuidString: replace.instanceId)!]).scalar(String.self) == "terminated")
        await db.close()
        await running.stop()
    }
}

extension OrchestratorTests {
    @Test func aJobThatNoServiceTakesBecomesAnIncidentNamingItsType() async throws {
        let jobType = TestEnvironment.uniqueName("nobody") + ".do-it"
        let running = try await start(models: ["new-connection.bpmn": Self.connectionModel(jobType: jobType)])
        _ = try await running.nextEvent()
        // Events only: no queue is bound for the job type.
        let listening = try await listen(jobType: TestEnvironment.uniqueName("other"), on: running)
        try await send(StartProcess(processId: "new-connection", version: nil, businessKey: nil, variables: nil), on: running)
        let survey = try await next(TaskCreated.self, on: running, from: listening)
        try await send(CompleteTask(taskId: survey.taskId, variables: nil), on: running)
        let incident = try await next(IncidentRaised.self, on: running, from: listening)
        #expect(incident.elementId == "install")
        #expect(incident.message.contains("no service takes jobs of type \(jobType)"))
        await running.stop()
    }
}

extension OrchestratorTests {
    @Test func aJobThatFailsWithRetriesLeftIsHandedOutAgainAfterItsBackoff() async throws {
        let (running, listening, first) = try await untilTheInstallJob()
        let failedAt = ContinuousClock.now
        try await send(FailJob(jobId: first.jobId, retries: 3, message: "registry busy"), on: running)
        let again = try await job(on: running, from: listening)
        #expect(ContinuousClock.now - failedAt >= .milliseconds(900))  // the first backoff is a second
        #expect(again.jobId == first.jobId && again.retries == 3)
        try await send(CompleteJob(jobId: again.jobId, variables: nil), on: running)
        // (`started` went by while the test looked for the task.)
        #expect(try await next(ProcessCompleted.self, on: running, from: listening).instanceId == first.instanceId)
        let db = PostgresConnection(configuration: running.database)
        #expect(try await db.query("SELECT count(*) FROM job_retries").scalar(Int.self) == 0)
        await db.close()
        await running.stop()
    }
}

extension OrchestratorTests {
    @Test func aJobWithNoAnswerWithinItsTimeoutIsSentAgainUnderTheSameId() async throws {
        let (running, listening, first) = try await untilTheInstallJob(headers: #"<zeebe:taskHeaders><zeebe:header key="timeout" value="PT1S"/></zeebe:taskHeaders>"#)
        let sentAt = ContinuousClock.now
        let again = try await job(on: running, from: listening)  // the worker never answered the first
        #expect(ContinuousClock.now - sentAt >= .milliseconds(900))
        #expect(again.jobId == first.jobId)
        try await send(CompleteJob(jobId: again.jobId, variables: nil), on: running)
        #expect(try await next(ProcessCompleted.self, on: running, from: listening).instanceId == first.instanceId)
        await running.stop()
    }
}
