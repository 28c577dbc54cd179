import AMQP
import ArgumentParser
import BPMN
import Contracts
import Foundation
import Messaging
import Postgres

/// `utilis deploy FILE...`: checks each model here, sends it to the orchestrator as
/// `orchestrator.deploy` and prints the versions stored. New instances start on the new
/// version; running ones keep theirs.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy", abstract: "Deploy BPMN models (drawn in Camunda Modeler) to the running orchestrator.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "BPMN 2.0 XML files.") var files: [String]
    @Option(help: "Who deploys, as the process history records it.") var actor = "operator:\(ProcessInfo.processInfo.environment["USER"] ?? "cli")"
    @Option(help: "Seconds to wait for the orchestrator.") var timeout = 15.0

    func run() async throws {
        // Refused here with the reader's problems, before anything is sent.
        var models: [(file: String, xml: String, processes: Int)] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            do {
                let definitions = try BPMNReader.read(Array(data))
                models.append((file, String(decoding: data, as: UTF8.self), definitions.processes.filter(\.isExecutable).count))
            } catch {
                print("\(file): rejected")
                for problem in error.problems { print("  \(problem)") }
                throw ExitCode(1)
            }
        }
        let broker = AMQPConnection(configuration: try AMQPConfiguration(url: connection.amqpURL), name: "utilis-deploy")
        // A queue of this command's own for the answers, removed by the broker once unused.
        let answers = "utilis-deploy-\(UUID().lowercasedText)"
        try await broker.declare(AMQPTopology(
            queues: [.init(name: answers, arguments: ["x-expires": .int(60_000)], durable: false)],
            bindings: [.init(queue: answers, exchange: Exchanges.events, routingKey: ProcessDeployed.routingKey)]))
        var failed = false
        for model in models {
            let envelope = Envelope(type: DeployProcess.type, actor: actor)
            let outcome = try await broker.publish([
                AMQPOutgoingMessage(
                    exchange: Exchanges.commands, routingKey: DeployProcess.routingKey, properties: envelope.properties(),
                    body: try JSONBody.encode(DeployProcess(fileName: URL(filePath: model.file).lastPathComponent, xml: model.xml)), mandatory: true)
            ])
            guard outcome == [.confirmed] else {
                print("\(model.file): the broker did not take it (\(outcome)); is the orchestrator running?")
                failed = true
                continue
            }
            var deployed = 0
            let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
            while deployed < model.processes, ContinuousClock.now < deadline {
                guard let delivery = try await broker.get(queue: answers) else {
                    try await Task.sleep(for: .milliseconds(100))
                    continue
                }
                try await broker.ack(delivery)
                guard delivery.properties.headers["causation-id"]?.stringValue == envelope.messageId.lowercasedText else { continue }
                let event = try JSONBody.decode(ProcessDeployed.self, from: delivery.body)
                print("\(model.file): \(event.processId) version \(event.version)\(event.unchanged ? " (unchanged: the same bytes were deployed before)" : "")")
                deployed += 1
            }
            if deployed < model.processes {
                print("\(model.file): no answer from the orchestrator within \(timeout) s; see `utilis dead-letters list`")
                failed = true
            }
        }
        await broker.close()
        if failed { throw ExitCode(1) }
    }
}
