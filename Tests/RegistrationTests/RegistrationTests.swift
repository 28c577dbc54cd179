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
    static let company = CustomerDetails(
        kind: .organisation, companyRegistrationNumber: "10103456789", organisationName: "Pars Bakery Co.", phones: ["021-5555-0000"],
        address: PostalAddress(line1: "4 Enghelab Square", city: "Shiraz", country: "IR"), preferredLanguage: "fa")

    @Test func aCustomerIsRegisteredOnceFoundAgainAndChangedWithTheHistoryKept() async throws {
        let running = try await startRegistration()
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
        #expect(try await running.ask(FindCustomers(text: "%%", limit: nil)).customers.isEmpty, "a wildcard is taken as the character it is")

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
        let running = try await startRegistration()
        func job(_ variables: [String: JSONValue]) -> WorkerJob {
            let instance = UUID().uuidString.lowercased()
            return WorkerJob(
                jobId: "\(instance):4", type: RegisterCustomer.routingKey, instanceId: instance, processId: "customer-registration", version: 1,
                elementId: "register", businessKey: nil, retries: 3, headers: [:], variables: variables)
        }
        let good = job(["customer": try JSONValue.of(Self.company)])
        try await running.publish(good)
        let (completed, _) = try await running.next(CompleteJob.self, on: running.replies)
        #expect(completed.jobId == good.jobId)
        guard case .string(let number)? = completed.variables?["customerNumber"] else { Issue.record("no customer number"); return }
        #expect(try await running.ask(GetCustomer(customerNumber: number)).customer == Self.company)

        // The clerk's form data as the process holds it, flat; one field wrong.
        var flat = try JSONValue.of(CustomerDetails.example)
        if case .object(var fields) = flat { fields["email"] = "nowhere"; flat = .object(fields) }
        guard case .object(let variables) = flat else { return }
        let bad = job(variables)
        try await running.publish(bad)
        let (error, _) = try await running.next(ThrowError.self, on: running.replies)
        #expect(error.jobId == bad.jobId && error.code == "REGISTRATION_REFUSED" && error.message == "email: is not an e-mail address")
        await running.stop()
    }
}
