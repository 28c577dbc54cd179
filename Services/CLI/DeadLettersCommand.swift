import AMQP
import ArgumentParser
import Contracts
import Foundation
import Messaging

struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters", abstract: "Show and re-send messages that could not be handled.",
        subcommands: [List.self, Replay.self])

    /// The queues of every service, each of which may have a `.dead` twin.
    static func knownQueues() -> [String] {
        Catalog.services.flatMap { ["\($0).commands", "\($0).queries", "\($0).events"] }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the dead letters as JSON lines: queue, message id, type, reason, where it came from, body.")

        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("queue"), help: "Only this queue (e.g. registration.commands); default: every service's queues.")
        var queues: [String] = []
        @Option(help: "At most this many per queue.") var limit = 1000

        func run() async throws {
            let broker = AMQPConnection(configuration: try AMQPConfiguration(url: connection.amqpURL), name: "dead-letters")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            var total = 0
            for queue in queues.isEmpty ? DeadLettersCommand.knownQueues() : queues {
                let dead = queue.hasSuffix(".dead") ? queue : "\(queue).dead"
                do {
                    for letter in try await DeadLetters.list(deadQueue: dead, connection: broker, limit: limit) {
                        print(String(decoding: try encoder.encode(letter), as: UTF8.self))
                        total += 1
                    }
                } catch AMQPError.channelClosed(404, _) {
                    continue  // that service has no such queue (yet)
                }
            }
            FileHandle.standardError.write(Data("\(total) dead letters\n".utf8))
            await broker.close()
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send dead letters back to the exchange and routing key they came from.")

        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The queue whose dead letters to replay (e.g. billing.commands).") var queue: String
        @Option(name: .customLong("message-id"), help: "Only these messages.") var messageIds: [String] = []
        @Flag(help: "Replay every dead letter of the queue.") var all = false

        func validate() throws {
            guard all != !messageIds.isEmpty else { throw ValidationError("give --message-id (one or more) or --all") }
        }

        func run() async throws {
            let amqp = try AMQPConfiguration(url: connection.amqpURL)
            let broker = AMQPConnection(configuration: amqp, name: "dead-letters")
            let publisher = AMQPConnection(configuration: amqp, name: "replay")
            let dead = queue.hasSuffix(".dead") ? queue : "\(queue).dead"
            let replayed = try await DeadLetters.replay(
                deadQueue: dead, messageIds: all ? nil : Set(messageIds), connection: broker, publisher: publisher)
            for letter in replayed {
                print("replayed \(letter.messageId ?? "-") \(letter.type ?? "-") to \(letter.exchange)/\(letter.routingKey)")
            }
            print("\(replayed.count) replayed")
            await broker.close()
            await publisher.close()
        }
    }
}
