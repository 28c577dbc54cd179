import AMQP
import ArgumentParser
import Contracts
import Foundation
import Messaging

/// `utilis message NAME --key KEY`: the message a process waits for (a fee paid at the cash
/// desk while the payment system is down, a signed contract brought in), sent as
/// `orchestrator.correlate-message`, as the system that would send it does.
struct MessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "message", abstract: "Send a process instance the message it waits for (orchestrator.correlate-message).")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The message's name, as the model's message says: connection-fee-paid.") var name: String
    @Option(help: "The correlation key: for connection-fee-paid, the service point's number.") var key: String?
    @Option(help: "Variables for the instance, as a JSON object.") var variables: String?
    @Option(help: "How long the orchestrator keeps it when no instance waits yet (ISO 8601 duration).") var timeToLive: String?
    @Option(help: "Who sends it, as the process history records it.") var actor = "operator:\(ProcessInfo.processInfo.environment["USER"] ?? "cli")"

    func run() async throws {
        var values: [String: JSONValue]?
        if let variables {
            guard case .object(let object)? = try? JSONBody.decode(JSONValue.self, from: variables) else {
                throw ValidationError("--variables must be a JSON object")
            }
            values = object
        }
        let broker = AMQPConnection(configuration: try AMQPConfiguration(url: connection.amqpURL), name: "utilis-message")
        let command = CorrelateMessage(name: name, correlationKey: key, variables: values, timeToLive: timeToLive)
        let outcome = try await broker.publish([
            AMQPOutgoingMessage(
                exchange: Exchanges.commands, routingKey: CorrelateMessage.routingKey,
                properties: Envelope(type: CorrelateMessage.type, actor: actor).properties(), body: try JSONBody.encode(command), mandatory: true)
        ])
        await broker.close()
        guard outcome == [.confirmed] else {
            FileHandle.standardError.write(Data("the broker did not take the message (\(outcome)); is the orchestrator running?\n".utf8))
            throw ExitCode.failure
        }
        print("sent \(name)\(key.map { " for \($0)" } ?? "") to the orchestrator")
    }
}
