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
    @Option(help: "Seconds to wait for each answer.") var timeout = 5.0
    @Option(help: "Ask this many times, one after another, and print the round trip's spread.") var count = 1

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        var logger = Logger(label: "utilis.ping")
        logger.logLevel = .warning
        let client = RequestClient(amqp: try AMQPConfiguration(url: connection.amqpURL), actor: "operator:cli", logger: logger)
        var roundTrips: [Duration] = []
        do {
            for _ in 0..<count {
                let started = ContinuousClock.now
                let pong = try await client.ask(Ping(), service: service, timeout: .milliseconds(Int(timeout * 1000)))
                let elapsed = ContinuousClock.now - started
                roundTrips.append(elapsed)
                if count == 1 {
                    print("\(pong.service) \(pong.instance) version \(pong.version), up since \(pong.startedAt), database \(pong.database), answered in \(elapsed)")
                }
            }
        } catch {
            await client.close()
            FileHandle.standardError.write(Data("\(service): \(error)\n".utf8))
            throw ExitCode.failure
        }
        await client.close()
        if count > 1 {
            // The first ask also connects and subscribes to the replies: it is left out of the spread.
            let sorted = roundTrips.dropFirst().map { $0.seconds * 1000 }.sorted()
            func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            print(String(format: "%@: %d round trips after the first (%.2f ms): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                service, sorted.count, roundTrips[0].seconds * 1000, at(0.5), at(0.9), at(0.99), sorted.last ?? 0))
        }
    }
}
