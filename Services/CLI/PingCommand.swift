import AMQP
import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging

struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping", abstract: "Ask a service, through the broker, which replica answers and how it is.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The service: \(Catalog.services.joined(separator: ", ")).") var service: String
    @Option(help: "Seconds to wait for the answer.") var timeout = 5.0

    func run() async throws {
        var logger = Logger(label: "utilis.ping")
        logger.logLevel = .warning
        let client = RequestClient(amqp: try AMQPConfiguration(url: connection.amqpURL), actor: "operator:cli", logger: logger)
        let started = ContinuousClock.now
        do {
            let pong = try await client.ask(Ping(), service: service, timeout: .milliseconds(Int(timeout * 1000)))
            let elapsed = ContinuousClock.now - started
            print("\(pong.service) \(pong.instance) version \(pong.version), up since \(pong.startedAt), database \(pong.database), answered in \(elapsed)")
        } catch {
            await client.close()
            FileHandle.standardError.write(Data("\(service): \(error)\n".utf8))
            throw ExitCode.failure
        }
        await client.close()
    }
}
