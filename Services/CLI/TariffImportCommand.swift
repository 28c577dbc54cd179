import AMQP
import ArgumentParser
import Contracts
import Foundation
import Messaging
import Postgres
import Pricing

/// `utilis tariff import --urdb FILE.json`: a URDB record created as a tariff in the Tariff
/// service (`tariff.create-tariff`), answered with what the service said.
struct TariffImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Create a tariff in the Tariff service from a URDB rate record.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "The URDB rate record.") var urdb: String
    @Option(help: "The tariff's code (the record's label when left out).") var code: String?
    @Option(help: "The tariff region it is for.") var region = "US"
    @Option(help: "Why, as the tariff's audit keeps it.") var reason = "Imported from the Utility Rate Database"
    @Option(help: "Who imports it, as the audit records it.") var actor = "operator:\(ProcessInfo.processInfo.environment["USER"] ?? "cli")"

    func run() async throws {
        let (tariff, version): (Tariff, TariffVersion)
        do {
            (tariff, version) = try URDB.read(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: urdb))), code: code, region: region)
        } catch let refused as PricingRefused {
            throw ValidationError("\(urdb): \(refused)")
        }
        let broker = AMQPConnection(configuration: try AMQPConfiguration(url: connection.amqpURL), name: "utilis-tariff-import")
        defer { Task { await broker.close() } }
        let answers = "utilis-tariff-import-\(UUID().uuidString.prefix(8).lowercased())"
        try await broker.declare(AMQPTopology(
            exchanges: [.init(name: Exchanges.events, kind: .topic)],
            queues: [.init(name: answers, arguments: ["x-expires": .int(60_000)], durable: false)],
            bindings: [
                .init(queue: answers, exchange: Exchanges.events, routingKey: TariffCreated.routingKey),
                .init(queue: answers, exchange: Exchanges.events, routingKey: TariffCommandRefused.routingKey),
            ]))
        let id = UUID()
        let outcome = try await broker.publish([
            AMQPOutgoingMessage(
                exchange: Exchanges.commands, routingKey: CreateTariff.routingKey, properties: Envelope(messageId: id, type: CreateTariff.type, actor: actor).properties(),
                body: try JSONBody.encode(CreateTariff(tariff: tariff, firstVersion: version, reason: reason)), mandatory: true)
        ])
        guard outcome == [.confirmed] else { throw ValidationError("the broker did not take the command (\(outcome)); is the Tariff service running?") }
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            guard let delivery = try await broker.get(queue: answers) else {
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            try await broker.ack(delivery)
            guard delivery.properties.headers["causation-id"]?.stringValue == id.lowercasedText else { continue }
            if delivery.properties.type == TariffCommandRefused.type {
                let refused = try JSONBody.decode(TariffCommandRefused.self, from: delivery.body)
                throw ValidationError("refused: " + refused.problems.map(\.description).joined(separator: "; "))
            }
            print("created tariff \(tariff.code) (\(tariff.name)), in force from \(version.effectiveFrom)")
            return
        }
        // The same tariff sent again is done already: nothing new is announced.
        print("tariff \(tariff.code): no news from the Tariff service in 15 s (already created with these fees, or the service is not running)")
    }
}
