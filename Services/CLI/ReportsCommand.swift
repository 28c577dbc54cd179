import AMQP
import ArgumentParser
import Contracts
import Foundation
import Messaging

/// `utilis reports rebuild --reason …`: the read model emptied and replayed from the events
/// Reports kept (after a new field or measure, or to check it), as an operator asks for it.
struct ReportsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports", abstract: "Operate the Reports service.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the reports' read model from its events (reports.rebuild); reports answer from the old one until it is done.")

        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Why, as Reports logs it and its reports.rebuilt event says.") var reason: String
        @Option(help: "Who asks, as the envelope records it.") var actor = "operator:\(ProcessInfo.processInfo.environment["USER"] ?? "cli")"

        func run() async throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason must say why") }
            let broker = AMQPConnection(configuration: try AMQPConfiguration(url: connection.amqpURL), name: "utilis-reports")
            let outcome = try await broker.publish([
                AMQPOutgoingMessage(
                    exchange: Exchanges.commands, routingKey: RebuildReports.routingKey,
                    properties: Envelope(type: RebuildReports.type, actor: actor).properties(), body: try JSONBody.encode(RebuildReports(reason: reason)),
                    mandatory: true)
            ])
            await broker.close()
            guard outcome == [.confirmed] else {
                FileHandle.standardError.write(Data("the broker did not take the command (\(outcome)); is Reports running?\n".utf8))
                throw ExitCode.failure
            }
            print("asked Reports to rebuild its read model; its log and the reports.rebuilt event say when it is done")
        }
    }
}
