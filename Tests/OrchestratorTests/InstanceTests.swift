import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// Instances: started over the broker, a service task handed to a worker as a command on the
/// job type's routing key, completed by the worker, the history kept.
extension OrchestratorTests {
    static func serviceModel(jobType: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
          <process id="meter-check" name="Meter check" isExecutable="true">
            <startEvent id="requested"/>
            <serviceTask id="checkMeter"><extensionElements><zeebe:taskDefinition type="\(jobType)" retries="2"/>
              <zeebe:taskHeaders><zeebe:header key="team" value="north"/></zeebe:taskHeaders></extensionElements></serviceTask>
            <endEvent id="checked"/>
            <sequenceFlow id="f1" sourceRef="requested" targetRef="checkMeter"/><sequenceFlow id="f2" sourceRef="checkMeter" targetRef="checked"/>
          </process>
        </definitions>
        """
    }

    func send<M: MessageContract>(_ message: M, on running: Running, messageId: UUID = UUID()) async throws {
        let properties = Envelope(messageId: messageId, type: M.type, actor: "operator:sara").properties()
        let outcome = try await running.broker.publish([
            AMQPOutgoingMessage(
                exchange: Exchanges.commands, routingKey: M.routingKey, properties: properties, body: try JSONBody.encode(message),
                mandatory: true)
        ])
        #expect(outcome == [.confirmed])
    }

    func take(_ queue: String, on running: Running) async throws -> AMQPDelivery {
        var delivery: AMQPDelivery?
        try await eventually("a message on \(queue)") {
            delivery = try await running.broker.get(queue: queue)
            return delivery != nil
        }
        return delivery!
    }

    @Test func aServiceTaskIsAJobForItsWorkerAndTheInstanceCompletesWithItsHistory() async throws {
        let jobType = TestEnvironment.uniqueName("lab") + ".check-meter"
        let running = try await start(models: ["meter-check.bpmn": Self.serviceModel(jobType: jobType)])
        _ = try await running.nextEvent()  // deployed at start-up
        // The test is the worker: a queue bound to the job type on the commands exchange.
        let work = TestEnvironment.uniqueName("worker")
        let lifecycle = TestEnvironment.uniqueName("lifecycle")
        try await running.broker.declare(AMQPTopology(
            exchanges: [.init(name: Exchanges.commands, kind: .direct)],
            queues: [.init(name: work, arguments: ["x-queue-type": .string("quorum")]), .init(name: lifecycle, arguments: ["x-queue-type": .string("quorum")])],
            bindings: [.init(queue: work, exchange: Exchanges.commands, routingKey: jobType),
                .init(queue: lifecycle, exchange: Exchanges.events, routingKey: ProcessStarted.routingKey),
                .init(queue: lifecycle, exchange: Exchanges.events, routingKey: ProcessCompleted.routingKey)]))

        let start = UUID()
        try await send(StartProcess(processId: "meter-check", version: nil, businessKey: "REQ-7", variables: ["meter": .string("EM-9")]), on: running, messageId: start)
        try await send(StartProcess(processId: "meter-check", version: nil, businessKey: "REQ-7", variables: ["meter": .string("EM-9")]), on: running, messageId: start)
        let delivery = try await take(work, on: running)
        #expect(delivery.properties.type == "\(jobType).v1")
        let job = try JSONDecoder().decode(WorkerJob.self, from: Data(delivery.body))
        #expect(job.type == jobType)
        #expect(job.elementId == "checkMeter")
        #expect(job.processId == "meter-check" && job.version == 1 && job.businessKey == "REQ-7")
        #expect(job.retries == 2)
        #expect(job.headers == ["team": "north"])
        #expect(job.variables == ["meter": .string("EM-9")])
        #expect(job.instanceId == start.uuidString.lowercased())

        try await send(CompleteJob(jobId: job.jobId, variables: ["accuracy": .number(0.4)]), on: running)
        let db = PostgresConnection(configuration: running.database)
        try await eventually("the instance completes") {
            try await db.query("SELECT status FROM instances WHERE id = $1", [start]).scalar(String.self) == "completed"
        }
        // The same start twice is one instance; the history is the audit trail.
        #expect(try await db.query("SELECT count(*) FROM instances").scalar(Int.self) == 1)
        let history = try await db.query(
            "SELECT event || ' ' || element_id FROM history WHERE instance_id = $1 ORDER BY seq", [start]).column(String.self)
        #expect(history == [
            "activated meter-check", "activated requested", "completed requested", "activated checkMeter", "completed checkMeter",
            "activated checked", "completed checked", "completed meter-check",
        ])
        let changed = try await db.query(
            "SELECT variables::text FROM history WHERE instance_id = $1 AND element_id = 'checkMeter' AND event = 'completed'", [start])
            .scalar(String.self)
        #expect(changed.contains("accuracy"))
        #expect(try await db.query("SELECT actor FROM history WHERE instance_id = $1 AND element_id = 'checkMeter' AND event = 'completed'", [start]).scalar(String.self) == "operator:sara")
        await db.close()

        let started = try JSONDecoder().decode(ProcessStarted.self, from: Data(try await take(lifecycle, on: running).body))
        let completed = try JSONDecoder().decode(ProcessCompleted.self, from: Data(try await take(lifecycle, on: running).body))
        #expect((started.instanceId, started.startedBy, started.variables) == (job.instanceId, "operator:sara", ["meter": .string("EM-9")]))
        #expect(completed.instanceId == job.instanceId)
        #expect(completed.variables["accuracy"] == .number(0.4))
        // Only one worker job was sent, though the start came twice.
        #expect(try await running.broker.get(queue: work) == nil)
        await running.stop()
    }

    @Test func aMalformedStartAStartOfAProcessNotDeployedAndABadJobIdAreDeadLetteredWithTheField() async throws {
        let running = try await start(models: [:])
        _ = try? await running.broker.purgeQueue("orchestrator.commands.dead")
        try await send(StartProcess(processId: "no-such-process", version: nil, businessKey: nil, variables: nil), on: running)
        try await send(CompleteJob(jobId: "not-a-job", variables: nil), on: running)
        // A start whose process id is a number, as a careless client would send it.
        let outcome = try await running.broker.publish([
            AMQPOutgoingMessage(
                exchange: Exchanges.commands, routingKey: StartProcess.routingKey,
                properties: Envelope(type: StartProcess.type, actor: "operator:sara").properties(), body: Array(#"{"processId": 7}"#.utf8),
                mandatory: true)
        ])
        #expect(outcome == [.confirmed])
        var letters: [DeadLetters.Letter] = []
        try await eventually("all three are dead-lettered") {
            letters += try await DeadLetters.list(deadQueue: "orchestrator.commands.dead", connection: running.broker)
            return letters.count >= 3
        }
        let reasons = letters.map(\.reason).joined(separator: "\n")
        #expect(reasons.contains("processId: must be a string"), "\(reasons)")
        #expect(reasons.contains("processId: no process no-such-process is deployed"))
        #expect(reasons.contains("jobId: \"not-a-job\" is not a job id"))
        await running.stop()
    }
}
