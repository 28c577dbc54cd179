import Contracts
import Foundation
import Messaging
import Testing
import TestSupport

/// Customers taken over from a former system with their installations, many per message: the
/// good entries stored whole, each refused one answered with its fields, nothing half-stored.
extension RegistrationTests {
    static func connection(_ serial: String, latitude: Double = 35.84) -> ConnectionImport {
        ConnectionImport(
            premises: PremisesDetails(
                address: PostalAddress(line1: "9 Shahid Beheshti Street", city: "Karaj", country: "IR"), region: "KRJ-2",
                location: Coordinates(latitude: latitude, longitude: 50.97)),
            utility: .electricity, capacity: Capacity(value: 32, unit: "A"), meter: Self.meter(serial),
            readings: [RegisterReading(register: "total", index: 48211)], useType: .commercial, tariffCode: "E-COM-1", billingCycle: "M03",
            startDate: "2019-04-01", deposit: Money(amount: 5_000_000, currency: "IRR"))
    }

    @Test func anImportStoresTheGoodEntriesWholeAndAnswersEachRefusedOneByField() async throws {
        let running = try await startRegistration()
        try await running.send(RegisterCustomer(customer: .example))
        let known = try await running.next(CustomerRegistered.self, on: running.events).0.customerNumber

        var wrongMeter = Self.connection("IMP-3")
        wrongMeter.meter.utility = .water
        let entries = [
            CustomerImport(reference: "OLD-1", customer: Self.company, connections: [Self.connection("IMP-1"), Self.connection("IMP-2")]),
            CustomerImport(reference: "OLD-2", customer: .example, connections: []),
            CustomerImport(
                reference: "OLD-3",
                customer: CustomerDetails(
                    kind: .person, nationalId: "0077001122", firstName: "Parvin", lastName: "Amini", phones: ["+98 26 3222 0000"],
                    address: PostalAddress(line1: "1 Golha Street", city: "Karaj", country: "IR"), preferredLanguage: "fa"),
                connections: [Self.connection("IMP-1", latitude: 95), wrongMeter]),
        ]
        try await running.send(ImportCustomers(entries: entries))
        let answer = try await running.next(CustomersImported.self, on: running.events).0
        #expect(answer.entries.map(\.reference) == ["OLD-1", "OLD-2", "OLD-3"])
        let stored = try #require(answer.entries.first)
        #expect(stored.problems.isEmpty && stored.subscriptions.map(\.serialNumber) == ["IMP-1", "IMP-2"])
        #expect(answer.entries[1].problems == [FieldProblem("entries[1].customer.nationalId", "is already registered, as \(known)")])
        #expect(answer.entries[2].customerNumber == nil)
        #expect(answer.entries[2].problems.map(\.field) == [
            "entries[2].connections[0].premises.location.latitude", "entries[2].connections[0].meter.serialNumber", "entries[2].connections[1].meter.utility",
        ])

        // The imported customer: two active subscriptions, each with its meter and its reading.
        let number = try #require(stored.customerNumber)
        let picture = try await running.ask(GetCustomer(customerNumber: number))
        #expect(picture.subscriptions.map(\.status) == [.active, .active])
        #expect(Set(picture.subscriptions.compactMap(\.servicePoint.meter?.serialNumber)) == ["IMP-1", "IMP-2"])
        #expect(picture.installations.map(\.change) == ["connection-imported", "connection-imported"])
        let meter = try await running.ask(GetMeter(manufacturer: "Afzar Azma", serialNumber: "IMP-2"))
        #expect(meter.status == .installed && meter.servicePointNumber != nil)
        #expect(try await running.ask(FindCustomers(text: "IMP-2", limit: nil)).customers.map(\.customerNumber) == [number])
        #expect(try await running.ask(FindCustomers(text: "Parvin", limit: nil)).customers.isEmpty, "the refused entry left nothing behind")

        // Five Aminis, a page of two at a time: each once, in name order.
        try await running.send(ImportCustomers(entries: (1...5).map { n in
            CustomerImport(
                reference: "AMINI-\(n)",
                customer: CustomerDetails(
                    kind: .person, nationalId: "00880000\(n)0", firstName: ["Babak", "Cyrus", "Dara", "Elham", "Farid"][n - 1], lastName: "Amini",
                    phones: ["+98 26 3222 000\(n)"], address: PostalAddress(line1: "\(n) Golha Street", city: "Karaj", country: "IR"), preferredLanguage: "fa"),
                connections: [])
        }))
        #expect(try await running.next(CustomersImported.self, on: running.events).0.entries.allSatisfy { $0.problems.isEmpty })
        var pages: [[String]] = []
        for offset in [0, 2, 4] {
            pages.append(try await running.ask(FindCustomers(text: "amini", limit: 2, offset: offset)).customers.map(\.name))
        }
        #expect(pages == [["Babak Amini", "Cyrus Amini"], ["Dara Amini", "Elham Amini"], ["Farid Amini"]])
        #expect(try await running.ask(FindCustomers(text: "amini", limit: 2, offset: 6)).customers.isEmpty)

        // The same batch again stores nothing twice.
        try await running.send(ImportCustomers(entries: Array(entries.prefix(1))))
        let again = try await running.next(CustomersImported.self, on: running.events).0
        #expect(again.entries.first?.problems.map(\.message).first == "is already registered, as \(number)")
        #expect(try await running.ask(GetCustomer(customerNumber: number)).subscriptions.count == 2)
        await running.stop()
    }
}
