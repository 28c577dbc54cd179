import AMQP
import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit

/// `utilis bench registration`: Registration as a process of its own, sent customers to
/// register through the broker as fast as it takes them, then asked to find customers.
/// (Subscriptions and meters join the registrations when Registration keeps them.)
struct RegistrationBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration", abstract: "Customers registered per second through the broker, and the search's latency.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Customers registered.") var customers = 1_000_000
    @Option(help: "Searches timed after the registrations.") var searches = 2000
    @Option(help: "Registration's executable (default: beside this one).") var registration: String?

    func run() async throws {
        let logger = BenchSetup.logger()
        let amqp = try AMQPConfiguration(url: connection.amqpURL)
        let admin = try PostgresConfiguration(url: connection.databaseURL, applicationName: "utilis-bench")
        let database = try await BenchSetup.database("bench_registration", admin: admin, logger: logger)
        let broker = AMQPConnection(configuration: amqp, name: "bench-registration", logger: logger)
        _ = try? await broker.purgeQueue("registration.commands")
        let service = try ServiceProcess.start(
            executable: registration ?? ServiceProcess.besideThisExecutable("Registration"),
            environment: ["UTILIS_AMQP_URL": connection.amqpURL, "UTILIS_DATABASE_URL": database.url, "UTILIS_HTTP_PORT": "0", "UTILIS_LOG_LEVEL": "warning"])
        defer { service.stop() }
        try await service.waitUntil("registration consumes its commands") {
            ((try? await broker.queueStatus("registration.commands").consumers) ?? 0) > 0
        }
        print("utilis bench registration")
        print("setup: \(ProcessInfo.processInfo.activeProcessorCount) cores shared by the broker, the database, Registration (one process, pid \(service.pid)) and this one,")
        print("       \(customers) register-customer commands published in batches of 1000 with confirms to \(amqp.redacted), into \(database.redacted);")
        print("       customers only (premises, subscriptions and meters are not in Registration yet)")

        // Registrations: published as fast as the broker confirms them; done when the last
        // number is drawn (one per registration).
        let db = PostgresConnection(configuration: database, logger: logger)
        let begin = ContinuousClock.now
        let publishing = Task {
            for start in stride(from: 0, to: customers, by: 1000) {
                let messages = try (start..<min(start + 1000, customers)).map { index in
                    AMQPOutgoingMessage(
                        exchange: Exchanges.commands, routingKey: RegisterCustomer.routingKey,
                        properties: Envelope(type: RegisterCustomer.type, actor: "system:bench").properties(),
                        body: try JSONBody.encode(RegisterCustomer(customer: BenchCustomers.customer(index))), mandatory: true)
                }
                let outcomes = try await broker.publish(messages)
                guard outcomes.allSatisfy({ $0 == .confirmed }) else { throw ValidationError("the broker did not confirm every registration") }
            }
        }
        var registered = 0
        var lastProgress = ContinuousClock.now
        while registered < customers {
            try await Task.sleep(for: .milliseconds(250))
            registered = (try? await db.query("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM customer_numbers").scalar(Int.self)) ?? 0
            if ContinuousClock.now - lastProgress > .seconds(30) {
                lastProgress = .now
                print(String(format: "  … %d registered after %.0f s", registered, (ContinuousClock.now - begin).seconds))
            }
            if ContinuousClock.now - begin > .seconds(3600) { throw ValidationError("only \(registered) of \(customers) registered within an hour") }
        }
        try await publishing.value
        let elapsed = (ContinuousClock.now - begin).seconds
        let stored = try await db.query("SELECT count(*) FROM customers").scalar(Int.self)
        print(String(format: "registrations: %d customers in %.1f s: %.0f registrations/s (target ≥ 5000/s); %d stored",
            customers, elapsed, Double(customers) / elapsed, stored))
        try await db.run(script: "ANALYZE customers")

        // Searches: one at a time by request/reply, a third each by a full name (which many
        // share), by national id and by customer number.
        let client = RequestClient(amqp: amqp, actor: "system:bench", logger: logger)
        var latencies: [Double] = []
        var found = 0
        for index in 0..<searches {
            let someone = Int.random(in: 0..<customers)
            let text: String
            switch index % 3 {
            case 0: text = BenchCustomers.customer(someone).displayName
            case 1: text = BenchCustomers.nationalId(someone)
            default: text = try await db.query("SELECT customer_number FROM customers ORDER BY registered_at OFFSET $1 LIMIT 1", [someone % 1000]).scalar(String.self)
            }
            let sent = ContinuousClock.now
            let list = try await client.ask(FindCustomers(text: text, limit: 20), timeout: .seconds(10))
            latencies.append((ContinuousClock.now - sent).seconds)
            if !list.customers.isEmpty { found += 1 }
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000 }
        print(String(format: "search: %d searches (name, national id, customer number), %d with results: p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 20 ms)",
            searches, found, percentile(0.5), percentile(0.99), percentile(1)))
        let memory = service.residentMemory()
        print(String(format: "registration: resident memory %.0f MiB now, %.0f MiB peak", memory.current, memory.peak))
        await db.close()
        await broker.close()
    }
}

/// The benchmark's customers: people with names from short lists (so a name search finds
/// many, as it does in a real city) and national ids from their index.
enum BenchCustomers {
    static let firstNames = ["Hassan", "Zahra", "Ali", "Maryam", "Reza", "Fatemeh", "Mohammad", "Sara", "Hossein", "Leila", "Mehdi", "Narges"]
    static let lastNames = ["Rezaei", "Karimi", "Hosseini", "Ahmadi", "Moradi", "Jafari", "Sadeghi", "Rahimi", "Mohammadi", "Kazemi", "Nouri",
        "Ebrahimi", "Hashemi", "Ghasemi", "Rostami", "Tehrani", "Shirazi", "Esfahani", "Tabrizi", "Mashhadi"]
    static let cities = ["Tehran", "Isfahan", "Shiraz", "Tabriz", "Mashhad", "Karaj", "Ahvaz", "Qom", "Kermanshah", "Rasht"]

    static func nationalId(_ index: Int) -> String { String(1_000_000_000 + index) }

    static func customer(_ index: Int) -> CustomerDetails {
        CustomerDetails(
            kind: .person, nationalId: nationalId(index), firstName: firstNames[index % firstNames.count],
            lastName: lastNames[(index / firstNames.count) % lastNames.count], phones: ["+98 9\(String(100_000_000 + index % 900_000_000))"],
            address: PostalAddress(line1: "\(index % 300 + 1) Street \(index % 997)", city: cities[index % cities.count], country: "IR"),
            preferredLanguage: "fa")
    }
}
