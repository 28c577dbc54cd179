import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// The Registration service as a real process: customers registered and changed over the
/// broker, refused field by field, as jobs of a process, and found again.
@Suite(.serialized) struct RegistrationTests {
    struct Running {
        let process: ChildProcess
        let broker: AMQPConnection
        let amqp: AMQPConfiguration
        /// Registration's events, and the orchestrator commands its jobs answer with.
        let events: String
        let replies: String

        func send<M: MessageContract>(_ message: M, actor: String = "system:crm", messageId: UUID = UUID()) async throws {
            let outcome = try await broker.publish([
                AMQPOutgoingMessage(
                    exchange: Exchanges.commands, routingKey: M.routingKey,
                    properties: Envelope(messageId: messageId, type: M.type, actor: actor).properties(), body: try JSONBody.encode(message),
                    mandatory: true)
            ])
            #expect(outcome == [.confirmed])
        }

        /// The next message on `queue`, with its causation id.
        func next(on queue: String) async throws -> AMQPDelivery {
            var delivery: AMQPDelivery?
            try await eventually("a message on \(queue)") {
                delivery = try await broker.get(queue: queue)
                return delivery != nil
            }
            try await broker.ack(delivery!)
            return delivery!
        }

        func next<M: MessageContract>(_ type: M.Type, on queue: String) async throws -> (M, causation: String?) {
            let delivery = try await next(on: queue)
            #expect(delivery.properties.type == M.type, "\(String(decoding: delivery.body, as: UTF8.self))")
            return (try JSONDecoder().decode(M.self, from: Data(delivery.body)), delivery.properties.headers["causation-id"]?.stringValue)
        }

        func ask<Q: QueryContract>(_ query: Q) async throws -> Q.Reply {
            try await RequestClient(amqp: amqp, actor: "test", logger: TestEnvironment.logger).ask(query, timeout: .seconds(5))
        }

        func stop() async {
            process.signal(SIGTERM)
            _ = await process.wait(timeout: .seconds(30))
            await broker.close()
        }
    }

    func start() async throws -> Running {
        let amqp = try TestEnvironment.amqp
        let database = try await TestEnvironment.freshDatabase("registration")
        let broker = AMQPConnection(configuration: amqp, name: "registration-test")
        let events = TestEnvironment.uniqueName("registration-events"), replies = TestEnvironment.uniqueName("job-answers")
        try await broker.declare(AMQPTopology(
            exchanges: [.init(name: Exchanges.events, kind: .topic), .init(name: Exchanges.commands, kind: .direct)],
            queues: [.init(name: events, arguments: ["x-queue-type": .string("quorum")]), .init(name: replies, arguments: ["x-queue-type": .string("quorum")])],
            bindings: [
                .init(queue: events, exchange: Exchanges.events, routingKey: "registration.*"),
                .init(queue: replies, exchange: Exchanges.commands, routingKey: CompleteJob.routingKey),
                .init(queue: replies, exchange: Exchanges.commands, routingKey: ThrowError.routingKey),
            ]))
        _ = try? await broker.purgeQueue("registration.commands")
        let port = 19_000 + Int.random(in: 6000..<7000)
        let process = try ChildProcess(
            TestEnvironment.executable("Registration"),
            environment: TestEnvironment.serviceVariables(amqp: amqp, database: database).merging(["UTILIS_HTTP_PORT": "\(port)"]) { $1 })
        try await eventually("registration is ready", timeout: .seconds(60)) { (try? await httpGet(port: port, path: "/health"))?.status == 200 }
        return Running(process: process, broker: broker, amqp: amqp, events: events, replies: replies)
    }

    static let company = CustomerDetails(
        kind: .organisation, companyRegistrationNumber: "10103456789", organisationName: "Pars Bakery Co.", phones: ["021-5555-0000"],
        address: PostalAddress(line1: "4 Enghelab Square", city: "Shiraz", country: "IR"), preferredLanguage: "fa")

    @Test func aCustomerIsRegisteredOnceFoundAgainAndChangedWithTheHistoryKept() async throws {
        let running = try await start()
        let command = UUID()
        try await running.send(RegisterCustomer(customer: .example), messageId: command)
        let (registered, cause) = try await running.next(CustomerRegistered.self, on: running.events)
        #expect(cause == command.uuidString.lowercased())
        #expect(registered.customerNumber.hasPrefix("C-") && registered.customer == .example)

        // The same person again: with the same details it is the same customer (no new event);
        // with others, refused naming the national id and the number it belongs to.
        try await running.send(RegisterCustomer(customer: .example))
        var changed = CustomerDetails.example
        changed.firstName = "Hossein"
        try await running.send(RegisterCustomer(customer: changed))
        let (refused, _) = try await running.next(CommandRefused.self, on: running.events)
        #expect(refused.problems == [.init(field: "nationalId", message: "is already registered, as \(registered.customerNumber)")])

        // Details that do not fit: every field named, nothing stored.
        var wrong = Self.company
        wrong.phones = ["call me"]
        wrong.address.country = "Iran"
        try await running.send(RegisterCustomer(customer: wrong))
        let (invalid, _) = try await running.next(CommandRefused.self, on: running.events)
        #expect(invalid.problems.map(\.field) == ["phones[0]", "address.country"])
        try await running.send(RegisterCustomer(customer: Self.company))
        let (bakery, _) = try await running.next(CustomerRegistered.self, on: running.events)

        // Found by part of the name, by identifier, by number and by phone; not by a number
        // whose check digit is wrong.
        #expect(try await running.ask(FindCustomers(text: "reza", limit: nil)).customers.map(\.customerNumber) == [registered.customerNumber])
        #expect(try await running.ask(FindCustomers(text: "bakery", limit: nil)).customers.map(\.name) == ["Pars Bakery Co."])
        #expect(try await running.ask(FindCustomers(text: "0012345678", limit: nil)).customers.map(\.customerNumber) == [registered.customerNumber])
        #expect(try await running.ask(FindCustomers(text: bakery.customerNumber, limit: nil)).customers.first?.city == "Shiraz")
        #expect(try await running.ask(FindCustomers(text: "021-5555-0000", limit: nil)).customers.map(\.customerNumber) == [bakery.customerNumber])
        #expect(try await running.ask(FindCustomers(text: "enghelab", limit: nil)).customers.count == 1, "by address")

        // A change keeps what was before in the history; the identifier does not change.
        var moved = CustomerDetails.example
        moved.address = PostalAddress(line1: "7 Ferdowsi Avenue", city: "Isfahan", country: "IR")
        try await running.send(UpdateCustomer(customerNumber: registered.customerNumber, customer: moved), actor: "user:maryam")
        let (updated, _) = try await running.next(CustomerUpdated.self, on: running.events)
        #expect(updated.customer.address.city == "Isfahan")
        var renumbered = moved
        renumbered.nationalId = "0099999999"
        try await running.send(UpdateCustomer(customerNumber: registered.customerNumber, customer: renumbered))
        let (kept, _) = try await running.next(CommandRefused.self, on: running.events)
        #expect(kept.problems.first?.field == "nationalId")
        let record = try await running.ask(GetCustomer(customerNumber: registered.customerNumber))
        #expect(record.customer.address.city == "Isfahan")
        #expect(record.history.map(\.change) == ["registered", "updated"])
        #expect(record.history.map(\.actor) == ["system:crm", "user:maryam"])
        #expect(record.history.first?.customer.address.city == "Tehran")
        await running.stop()
    }

    @Test func asAJobOfAProcessARegistrationAnswersTheOrchestratorAndARefusalIsABPMNError() async throws {
        let running = try await start()
        func job(_ variables: [String: JSONValue]) -> WorkerJob {
            let instance = UUID().uuidString.lowercased()
            return WorkerJob(
                jobId: "\(instance):4", type: RegisterCustomer.routingKey, instanceId: instance, processId: "customer-registration", version: 1,
                elementId: "register", businessKey: nil, retries: 3, headers: [:], variables: variables)
        }
        let good = job(["customer": try JSONValue.of(Self.company)])
        try await publish(good, on: running)
        let (completed, _) = try await running.next(CompleteJob.self, on: running.replies)
        #expect(completed.jobId == good.jobId)
        guard case .string(let number)? = completed.variables?["customerNumber"] else { Issue.record("no customer number"); return }
        #expect(try await running.ask(GetCustomer(customerNumber: number)).customer == Self.company)

        // The clerk's form data as the process holds it, flat; one field wrong.
        var flat = try JSONValue.of(CustomerDetails.example)
        if case .object(var fields) = flat { fields["email"] = "nowhere"; flat = .object(fields) }
        guard case .object(let variables) = flat else { return }
        let bad = job(variables)
        try await publish(bad, on: running)
        let (error, _) = try await running.next(ThrowError.self, on: running.replies)
        #expect(error.jobId == bad.jobId && error.code == "REGISTRATION_REFUSED" && error.message == "email: is not an e-mail address")
        await running.stop()
    }

    /// A job as the orchestrator sends it: to the job type's routing key, typed `<job type>.v1`.
    func publish(_ job: WorkerJob, on running: Running) async throws {
        let outcome = try await running.broker.publish([
            AMQPOutgoingMessage(
                exchange: Exchanges.commands, routingKey: job.type,
                properties: Envelope(type: "\(job.type).v1", actor: "process:customer-registration").properties(), body: try JSONBody.encode(job),
                mandatory: true)
        ])
        #expect(outcome == [.confirmed])
    }
}
