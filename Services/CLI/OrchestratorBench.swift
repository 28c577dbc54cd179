import AMQP
import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit
import Synchronization

/// `utilis bench orchestrator`: the orchestrator as a process of its own on this machine, fed
/// at a steady rate for a while: (a) start → service task answered by a worker over AMQP → end;
/// (b) three user tasks in sequence, each completed by a simulated client as soon as it appears.
struct OrchestratorBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orchestrator", abstract: "Completed process instances per second, start-to-end latency and the orchestrator's memory.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Seconds of steady load in each phase.") var seconds = 60
    @Option(help: "Instances started per second in phase (a), one service task.") var serviceTaskRate = 1000
    @Option(help: "Instances started per second in phase (b), three user tasks.") var userTaskRate = 300
    @Option(help: "The orchestrator's executable (default: beside this one).") var orchestrator: String?

    func run() async throws {
        let logger = BenchSetup.logger()
        let amqp = try AMQPConfiguration(url: connection.amqpURL)
        let admin = try PostgresConfiguration(url: connection.databaseURL, applicationName: "utilis-bench")
        let database = try await BenchSetup.database("bench_orchestrator", admin: admin, logger: logger)
        let setup = PostgresConnection(configuration: database, logger: logger)
        let settings = try await setup.query("SELECT current_setting('fsync'), current_setting('synchronous_commit'), version()")[0]
        await setup.close()

        let broker = AMQPConnection(configuration: amqp, name: "bench-setup", logger: logger)
        try await broker.declare(BenchQueues.topology)
        for queue in BenchQueues.all + ["orchestrator.commands"] { _ = try? await broker.purgeQueue(queue) }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("utilis-bench-processes-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try BenchModels.serviceTask.write(to: folder.appendingPathComponent("meter-check.bpmn"), atomically: true, encoding: .utf8)
        try BenchModels.userTasks.write(to: folder.appendingPathComponent("connection-review.bpmn"), atomically: true, encoding: .utf8)
        let service = try ServiceProcess.start(
            executable: orchestrator ?? ServiceProcess.besideThisExecutable("Orchestrator"),
            environment: ["UTILIS_AMQP_URL": connection.amqpURL, "UTILIS_DATABASE_URL": database.url, "UTILIS_PROCESSES_DIR": folder.path,
                "UTILIS_HTTP_PORT": "0", "UTILIS_LOG_LEVEL": "warning"])
        defer { service.stop() }
        // Ready when both models are deployed and its command queue has a consumer.
        try await service.waitUntil("the orchestrator consumes and has deployed both models") {
            let consumers = (try? await broker.queueStatus("orchestrator.commands").consumers) ?? 0
            let db = PostgresConnection(configuration: database, logger: logger)
            let deployed = (try? await db.query("SELECT count(*) FROM definitions").scalar(Int.self)) ?? 0
            await db.close()
            return consumers > 0 && deployed == 2
        }

        print("utilis bench orchestrator")
        print("setup: \(ProcessInfo.processInfo.activeProcessorCount) cores shared by the broker, the database, the orchestrator (one process, pid \(service.pid)) and this one,")
        print("       broker \(amqp.redacted) (quorum queues, persistent messages, publisher confirms),")
        print("       database \(database.redacted) (fsync=\(settings[0] ?? "?"), synchronous_commit=\(settings[1] ?? "?"); \(settings[2]?.split(separator: ",").first ?? "")),")
        print("       \(seconds) s of steady load per phase; latency from publishing start-process to receiving process-completed")

        let phases: [(String, String, Int)] = [
            ("(a) start → service task (worker over AMQP) → end", "meter-check", serviceTaskRate),
            ("(b) three user tasks in sequence, completed by a client as they appear", "connection-review", userTaskRate),
        ]
        var failures: [String] = []
        for (title, processId, rate) in phases {
            let cpuBefore = service.cpuSeconds(), switchesBefore = service.contextSwitches()
            let result = try await BenchPhase(processId: processId, rate: rate, seconds: seconds, amqp: amqp, logger: logger).run()
            let cpu = (service.cpuSeconds() - cpuBefore) / result.elapsed
            let switches = Double(service.contextSwitches() - switchesBefore) / Double(max(1, result.completed))
            let memory = service.residentMemory()
            print(title)
            print(String(format: "    offered %d/s; completed %d of %d instances in %.1f s: %.0f instances/s; p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                rate, result.completed, result.started, result.elapsed, Double(result.completed) / result.elapsed,
                result.percentile(0.5) * 1000, result.percentile(0.99) * 1000, result.percentile(1) * 1000))
            print(String(format: "    orchestrator: %.2f cores, %.0f context switches an instance, resident memory %.0f MiB now, %.0f MiB peak",
                cpu, switches, memory.current, memory.peak))
            if result.completed < result.started { failures.append("\(processId): \(result.started - result.completed) instances did not complete") }
        }
        let db = PostgresConnection(configuration: database, logger: logger)
        let open = try await db.query("SELECT count(*) FROM instances WHERE status <> 'completed'").scalar(Int.self)
        let total = try await db.query("SELECT count(*) FROM instances").scalar(Int.self)
        await db.close()
        print("check: \(total) instances stored, \(open) not completed")
        await broker.close()
        try? FileManager.default.removeItem(at: folder)
        if !failures.isEmpty || open > 0 { throw ValidationError(failures.joined(separator: "; ")) }
    }
}

/// The worker's, the client's and the observer's queues.
enum BenchQueues {
    static let jobType = "bench.check-meter"
    static let work = "bench.check-meter"
    static let tasks = "bench.tasks"
    static let done = "bench.completed"
    static let all = [work, tasks, done]

    static var topology: AMQPTopology {
        AMQPTopology(
            exchanges: [.init(name: Exchanges.commands, kind: .direct), .init(name: Exchanges.events, kind: .topic)],
            queues: all.map { .quorum($0, deliveryLimit: 5, deadLetterExchange: Exchanges.dead, deadLetterRoutingKey: $0) },
            bindings: [
                .init(queue: work, exchange: Exchanges.commands, routingKey: jobType),
                .init(queue: tasks, exchange: Exchanges.events, routingKey: TaskCreated.routingKey),
                .init(queue: done, exchange: Exchanges.events, routingKey: ProcessCompleted.routingKey),
            ])
    }
}

enum BenchModels {
    static let serviceTask = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench-a">
          <process id="meter-check" name="Meter check" isExecutable="true">
            <startEvent id="requested"/>
            <serviceTask id="checkMeter"><extensionElements><zeebe:taskDefinition type="\(BenchQueues.jobType)" retries="3"/></extensionElements></serviceTask>
            <endEvent id="checked"/>
            <sequenceFlow id="f1" sourceRef="requested" targetRef="checkMeter"/><sequenceFlow id="f2" sourceRef="checkMeter" targetRef="checked"/>
          </process>
        </definitions>
        """
    static let userTasks = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench-b">
          <process id="connection-review" name="Connection review" isExecutable="true">
            <startEvent id="requested"/>
            <userTask id="checkDocuments"><extensionElements><zeebe:assignmentDefinition candidateGroups="front-office"/></extensionElements></userTask>
            <userTask id="siteSurvey"><extensionElements><zeebe:assignmentDefinition candidateGroups="field-technician"/></extensionElements></userTask>
            <userTask id="approve"><extensionElements><zeebe:assignmentDefinition candidateGroups="engineering"/></extensionElements></userTask>
            <endEvent id="approved"/>
            <sequenceFlow id="f1" sourceRef="requested" targetRef="checkDocuments"/><sequenceFlow id="f2" sourceRef="checkDocuments" targetRef="siteSurvey"/>
            <sequenceFlow id="f3" sourceRef="siteSurvey" targetRef="approve"/><sequenceFlow id="f4" sourceRef="approve" targetRef="approved"/>
          </process>
        </definitions>
        """
}
