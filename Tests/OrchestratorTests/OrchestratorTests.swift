import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// The orchestrator as a real process. Definitions: deployed at start-up from its folder and by
/// `orchestrator.deploy` over the broker, versioned, and refused with element-level errors.
/// Serialized: the service's queue name is fixed, so one orchestrator runs at a time.
@Suite(.serialized) struct OrchestratorTests {
    static func model(_ id: String, task: String = "review", extra: String = "") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d-\(id)">
          <process id="\(id)" name="Process \(id)" isExecutable="true">
            <startEvent id="s"/><userTask id="\(task)"/><endEvent id="e"/>\(extra)
            <sequenceFlow id="f1" sourceRef="s" targetRef="\(task)"/><sequenceFlow id="f2" sourceRef="\(task)" targetRef="e"/>
          </process>
        </definitions>
        """
    }

    struct Running {
        let process: ChildProcess
        let database: PostgresConfiguration
        let amqp: AMQPConfiguration
        let broker: AMQPConnection
        let events: String

        func stop() async {
            process.signal(SIGTERM)
            _ = await process.wait(timeout: .seconds(30))
            await broker.close()
        }

        /// Deploys a document over the broker, as an operator's tool would.
        func deploy(_ fileName: String, _ xml: String, actor: String = "operator:sara") async throws {
            let properties = Envelope(type: DeployProcess.type, actor: actor).properties()
            let outcome = try await broker.publish([
                AMQPOutgoingMessage(
                    exchange: Exchanges.commands, routingKey: DeployProcess.routingKey, properties: properties,
                    body: try JSONBody.encode(DeployProcess(fileName: fileName, xml: xml)), mandatory: true)
            ])
            #expect(outcome == [.confirmed])
        }

        func nextEvent() async throws -> ProcessDeployed {
            var delivery: AMQPDelivery?
            try await eventually("a process-deployed event") {
                delivery = try await broker.get(queue: events)
                return delivery != nil
            }
            return try JSONDecoder().decode(ProcessDeployed.self, from: Data(delivery!.body))
        }

        func versions(_ processId: String) async throws -> [Int] {
            let db = PostgresConnection(configuration: database)
            defer { Task { await db.close() } }
            return try await db.query("SELECT version FROM definitions WHERE process_id = $1 ORDER BY version", [processId]).column(Int.self)
        }
    }

    /// Starts an orchestrator process on a fresh database, or on `database` to restart one.
    /// `models`: the files of its processes folder, by name (models and `event-bindings.json`).
    func start(models: [String: String], database reused: PostgresConfiguration? = nil) async throws -> Running {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("processes"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, xml) in models { try xml.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let amqp = try TestEnvironment.amqp
        let database: PostgresConfiguration
        if let reused { database = reused } else { database = try await TestEnvironment.freshDatabase("orchestrator") }
        let broker = AMQPConnection(configuration: amqp, name: "deployment-test")
        let events = TestEnvironment.uniqueName("deployed")
        try await broker.declare(AMQPTopology(
            exchanges: [.init(name: Exchanges.events, kind: .topic)],
            queues: [.init(name: events, arguments: ["x-queue-type": .string("quorum")])],
            bindings: [.init(queue: events, exchange: Exchanges.events, routingKey: ProcessDeployed.routingKey)]))
        // A command left by an earlier run must not be taken for this one's.
        _ = try? await broker.purgeQueue("orchestrator.commands")
        _ = try? await broker.purgeQueue("orchestrator.events")
        let port = 19_000 + Int.random(in: 2000..<4000)
        let process = try ChildProcess(
            TestEnvironment.executable("Orchestrator"),
            environment: TestEnvironment.serviceVariables(amqp: amqp, database: database)
                .merging(["UTILIS_HTTP_PORT": "\(port)", "UTILIS_PROCESSES_DIR": folder.path, "UTILIS_LOG_LEVEL": "info"]) { $1 })
        try await eventually("the orchestrator is ready", timeout: .seconds(60)) {
            (try? await httpGet(port: port, path: "/health"))?.status == 200
        }
        return Running(process: process, database: database, amqp: amqp, broker: broker, events: events)
    }

    @Test func theModelsOfTheFolderAreDeployedAtStartUpAndABadOneIsSkippedWithItsReason() async throws {
        let broken = Self.model("meter-relocation").replacingOccurrences(of: #"targetRef="e""#, with: #"targetRef="nowhere""#)
        let running = try await start(models: ["new-connection.bpmn": Self.model("new-connection"), "meter-relocation.bpmn": broken])
        let first = try await running.nextEvent()
        #expect(first.processId == "new-connection")
        #expect(first.version == 1)
        #expect(first.deployedBy == "system:orchestrator")
        #expect(try await running.versions("new-connection") == [1])
        #expect(try await running.versions("meter-relocation") == [])
        try await eventually("the bad file is reported") { running.process.log.contains("meter-relocation.bpmn") }
        #expect(running.process.log.contains("f2: the sequence flow goes to nowhere"))
        await running.stop()
    }

    @Test func deployingMakesVersionsAndTheSameBytesAgainChangeNothing() async throws {
        let running = try await start(models: [:])
        try await running.deploy("new-connection.bpmn", Self.model("new-connection"))
        let first = try await running.nextEvent()
        #expect((first.processId, first.version, first.unchanged, first.deployedBy) == ("new-connection", 1, false, "operator:sara"))

        try await running.deploy("new-connection.bpmn", Self.model("new-connection"))
        let again = try await running.nextEvent()
        #expect((again.version, again.unchanged) == (1, true))

        try await running.deploy("new-connection.bpmn", Self.model("new-connection", task: "survey"))
        let changed = try await running.nextEvent()
        #expect((changed.version, changed.unchanged) == (2, false))
        #expect(try await running.versions("new-connection") == [1, 2])

        let db = PostgresConnection(configuration: running.database)
        let xml = try await db.query("SELECT xml FROM definitions WHERE process_id = 'new-connection' AND version = 2").scalar(String.self)
        #expect(xml == Self.model("new-connection", task: "survey"))  // kept whole, for diagrams
        await db.close()
        await running.stop()
    }

    @Test func anInvalidModelIsDeadLetteredWithItsElementErrorsAndLeavesNothing() async throws {
        let running = try await start(models: [:])
        let invalid = Self.model("billing-review", extra: #"<exclusiveGateway id="decide"/><sequenceFlow id="g1" sourceRef="decide" targetRef="e"/><sequenceFlow id="g2" sourceRef="decide" targetRef="s2"/><endEvent id="s2"/>"#)
        _ = try? await running.broker.purgeQueue("orchestrator.commands.dead")
        try await running.deploy("billing-review.bpmn", invalid)
        var letters: [DeadLetters.Letter] = []
        try await eventually("the command is dead-lettered") {
            letters += try await DeadLetters.list(deadQueue: "orchestrator.commands.dead", connection: running.broker)
            return !letters.isEmpty
        }
        #expect(letters.first?.reason.contains("xml: billing-review.bpmn is not a valid model") == true)
        #expect(letters.first?.reason.contains("decide: the branch g1 has neither a condition nor is it the default flow") == true)
        #expect(try await running.versions("billing-review") == [])
        // The orchestrator keeps working after the bad message.
        try await running.deploy("new-connection.bpmn", Self.model("new-connection"))
        #expect(try await running.nextEvent().version == 1)
        await running.stop()
    }
}
