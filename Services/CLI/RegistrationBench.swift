import AMQP
import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import Registry
import ServiceKit

/// `utilis bench registration`: Registration as a process of its own, sent customers through
/// the broker as fast as it takes them (first one `register-customer` command each, then
/// `import-customers` batches of customers with a connection, a meter and an active
/// subscription each), then asked to find customers every way a clerk does.
struct RegistrationBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration", abstract: "Customers registered per second through the broker, and the search's latency.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Customers registered in all.") var customers = 1_000_000
    @Option(help: "Of them, registered one register-customer command each (customers only).") var single = 20_000
    @Option(help: "Customers per import-customers message, each with a connection, meter and subscription.") var batch = 500
    @Option(help: "Searches timed after the registrations.") var searches = 3000
    @Option(help: "Registration's executable (default: beside this one).") var registration: String?

    func run() async throws {
        guard single <= customers, (1...ImportCustomers.maximumEntries).contains(batch) else {
            throw ValidationError("--single must be at most --customers, --batch 1 to \(ImportCustomers.maximumEntries)")
        }
        let logger = BenchSetup.logger()
        let amqp = try AMQPConfiguration(url: connection.amqpURL)
        let admin = try PostgresConfiguration(url: connection.databaseURL, applicationName: "utilis-bench")
        let database = try await BenchSetup.database("bench_registration", admin: admin, logger: logger)
        let broker = AMQPConnection(configuration: amqp, name: "bench-registration", logger: logger)
        _ = try? await broker.purgeQueue("registration.commands")
        let answers = "bench-registration-answers"
        try await broker.declare(AMQPTopology(
            exchanges: [.init(name: Exchanges.events, kind: .topic)],
            queues: [.init(name: answers, arguments: ["x-expires": .int(600_000)], durable: false)],
            bindings: [
                .init(queue: answers, exchange: Exchanges.events, routingKey: CustomersImported.routingKey),
                .init(queue: answers, exchange: Exchanges.events, routingKey: CommandRefused.routingKey),
            ]))
        _ = try? await broker.purgeQueue(answers)
        let service = try ServiceProcess.start(
            executable: registration ?? ServiceProcess.besideThisExecutable("Registration"),
            environment: ["UTILIS_AMQP_URL": connection.amqpURL, "UTILIS_DATABASE_URL": database.url, "UTILIS_HTTP_PORT": "0", "UTILIS_LOG_LEVEL": "warning"])
        defer { service.stop() }
        try await service.waitUntil("registration consumes its commands") {
            ((try? await broker.queueStatus("registration.commands").consumers) ?? 0) > 0
        }
        print("utilis bench registration")
        print("setup: \(ProcessInfo.processInfo.activeProcessorCount) cores shared by the broker, the database, Registration (one process, pid \(service.pid)) and this one,")
        print("       \(single) register-customer commands (a customer each), then \(customers - single) customers in import-customers messages of \(batch),")
        print("       each customer with a premises, a service point, an installed meter and an active subscription; encoded beforehand, published with confirms")
        print("       to \(amqp.redacted), into \(database.redacted)")
        let db = PostgresConnection(configuration: database, logger: logger)

        // One command a customer: done when the last number is drawn (one per registration).
        var begin = ContinuousClock.now
        try await publish(stride(from: 0, to: single, by: 1000).map { start in
            try (start..<min(start + 1000, single)).map { index in
                try Self.message(RegisterCustomer(customer: BenchCustomers.customer(index)))
            }
        }, on: broker)
        var registered = 0
        while registered < single {
            try await Task.sleep(for: .milliseconds(100))
            registered = (try? await db.query("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM customer_numbers").scalar(Int.self)) ?? 0
        }
        var elapsed = (ContinuousClock.now - begin).seconds
        print(String(format: "register-customer: %d customers in %.1f s: %.0f registrations/s (customers alone)", single, elapsed, Double(single) / elapsed))

        // Imports: encoded before the clock starts (on two cores, encoding them as they go
        // would take the CPU Registration is measured with); done when every batch is
        // answered, after its transaction commits.
        let batches = try stride(from: single, to: customers, by: batch).map { start in
            try Self.message(ImportCustomers(entries: (start..<min(start + batch, customers)).map { BenchCustomers.entry($0) }))
        }
        begin = ContinuousClock.now
        let publishing = Task {
            for group in stride(from: 0, to: batches.count, by: 20) {
                try await publish([Array(batches[group..<min(group + 20, batches.count)])], on: broker)
            }
        }
        var answered = 0, refused = 0, lastProgress = ContinuousClock.now
        while answered < batches.count {
            guard let delivery = try await broker.get(queue: answers) else {
                try await Task.sleep(for: .milliseconds(20))
                if ContinuousClock.now - begin > .seconds(3600) { throw ValidationError("only \(answered) of \(batches.count) batches answered within an hour") }
                continue
            }
            try await broker.ack(delivery)
            guard delivery.properties.type == CustomersImported.type else { throw ValidationError("an import was refused: \(String(decoding: delivery.body, as: UTF8.self))") }
            let imported = try JSONBody.decode(CustomersImported.self, from: delivery.body)
            refused += imported.entries.filter { !$0.problems.isEmpty }.count
            answered += 1
            if ContinuousClock.now - lastProgress > .seconds(30) {
                lastProgress = .now
                print(String(format: "  … %d of %d batches after %.0f s", answered, batches.count, (ContinuousClock.now - begin).seconds))
            }
        }
        try await publishing.value
        elapsed = (ContinuousClock.now - begin).seconds
        let imported = customers - single
        let stored = try await db.query("SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM subscriptions), (SELECT count(*) FROM meters)")[0]
        print(String(format: "import-customers: %d customers with their subscriptions and meters in %.1f s: %.0f registrations/s (target ≥ 5000/s); %d refused",
            imported, elapsed, Double(imported) / elapsed, refused))
        print("stored: \(try stored.decode(Int.self, 0)) customers, \(try stored.decode(Int.self, 1)) subscriptions, \(try stored.decode(Int.self, 2)) meters")
        try await db.run(script: "ANALYZE")

        // Searches one at a time by request/reply, every way a clerk finds a customer.
        let client = RequestClient(amqp: amqp, actor: "system:bench", logger: logger)
        let kinds = ["full name", "last name", "national id", "customer number", "subscription number", "meter serial"]
        var latencies = [[Double]](repeating: [], count: kinds.count)
        var found = 0
        for index in 0..<searches {
            let someone = Int.random(in: 0..<customers), kind = index % kinds.count
            let text: String
            switch kind {
            case 0: text = BenchCustomers.customer(someone).displayName
            case 1: text = BenchCustomers.customer(someone).lastName ?? ""
            case 2: text = BenchCustomers.nationalId(someone)
            case 3: text = CheckDigit.reference("C", someone + 1)
            case 4: text = CheckDigit.reference("S", max(1, someone - single + 1))
            default: text = BenchCustomers.meterSerial(max(single, someone))
            }
            let sent = ContinuousClock.now
            let list = try await client.ask(FindCustomers(text: text, limit: 20), timeout: .seconds(10))
            latencies[kind].append((ContinuousClock.now - sent).seconds * 1000)
            if !list.customers.isEmpty { found += 1 }
        }
        func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        let all = latencies.flatMap { $0 }
        print(String(format: "search: %d searches, %d with results: p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 20 ms)",
            searches, found, percentile(all, 0.5), percentile(all, 0.99), percentile(all, 1)))
        for (kind, values) in zip(kinds, latencies) where !values.isEmpty {
            print(String(format: "  by %@: p50 %.1f ms, p99 %.1f ms", kind, percentile(values, 0.5), percentile(values, 0.99)))
        }
        let memory = service.residentMemory()
        print(String(format: "registration: resident memory %.0f MiB now, %.0f MiB peak", memory.current, memory.peak))
        await client.close()
        await db.close()
        await broker.close()
    }

    static func message<M: MessageContract>(_ command: M) throws -> AMQPOutgoingMessage {
        AMQPOutgoingMessage(
            exchange: Exchanges.commands, routingKey: M.routingKey, properties: Envelope(type: M.type, actor: "system:bench").properties(),
            body: try JSONBody.encode(command), mandatory: true)
    }

    func publish(_ groups: [[AMQPOutgoingMessage]], on broker: AMQPConnection) async throws {
        for messages in groups {
            let outcomes = try await broker.publish(messages)
            guard outcomes.allSatisfy({ $0 == .confirmed }) else { throw ValidationError("the broker did not confirm every command") }
        }
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

    static func meterSerial(_ index: Int) -> String { "BM-\(String(index + 10_000_000))" }

    /// A customer with one connection taken over: a premises by their address, an installed
    /// meter of their own and an active subscription.
    static func entry(_ index: Int) -> CustomerImport {
        let customer = customer(index)
        let premises = PremisesDetails(
            address: customer.address, region: "R-\(index % 12)", location: Coordinates(latitude: 35 + Double(index % 1000) / 1000, longitude: 51 + Double(index % 997) / 997))
        let meter = MeterSpecification(
            manufacturer: "Afzar Azma", serialNumber: meterSerial(index), utility: .electricity, model: "AZ-1P", registers: ["total"], dials: 6, multiplier: 1,
            accuracyClass: 1, nominalRating: "10(60) A", yearOfManufacture: 2020 + index % 6, seals: ["S-\(index)"], nextTestDue: "2032-06-30")
        return CustomerImport(
            reference: "B-\(index)", customer: customer,
            connections: [
                ConnectionImport(
                    premises: premises, utility: .electricity, capacity: Capacity(value: 25, unit: "A"), meter: meter,
                    readings: [RegisterReading(register: "total", index: Double(index % 90_000))], useType: .residential, tariffCode: "E-RES-1",
                    billingCycle: "M0\(index % 4 + 1)", startDate: "2020-01-01", deposit: Money(amount: 2_000_000, currency: "IRR"))
            ])
    }

    static func customer(_ index: Int) -> CustomerDetails {
        CustomerDetails(
            kind: .person, nationalId: nationalId(index), firstName: firstNames[index % firstNames.count],
            lastName: lastNames[(index / firstNames.count) % lastNames.count], phones: ["+98 9\(String(100_000_000 + index % 900_000_000))"],
            address: PostalAddress(line1: "\(index % 300 + 1) Street \(index % 997)", city: cities[index % cities.count], country: "IR"),
            preferredLanguage: "fa")
    }
}
