import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// A service point's whole life through Registration's commands, as other systems send them:
/// requested, subscribed, metered, activated, tested, its meter replaced and moved, handed to a
/// new owner and terminated; every refusal naming its field, and the history kept. (An
/// extension: the tests share the broker's registration queues and must run one at a time.)
extension RegistrationTests {
    static func meter(_ serial: String, utility: Utility = .electricity) -> MeterSpecification {
        MeterSpecification(
            manufacturer: "Afzar Azma", serialNumber: serial, utility: utility, model: "AZ-1P", registers: ["total"], dials: 6, multiplier: 1,
            accuracyClass: 1, nominalRating: "10(60) A", yearOfManufacture: 2025, seals: ["S-1"], nextTestDue: "2033-01-31")
    }

    static let premises = PremisesDetails(
        address: PostalAddress(line1: "5 Golshan Alley", city: "Karaj", country: "IR"), region: "KRJ-2", location: Coordinates(latitude: 35.84, longitude: 50.97))

    func total(_ index: Double) -> [RegisterReading] { [RegisterReading(register: "total", index: index)] }

    @Test func aServicePointsLifeIsRecordedWithItsReadingsAndRefusalsNameTheField() async throws {
        let running = try await startRegistration()
        try await running.send(RegisterCustomer(customer: .example))
        let owner = try await running.next(CustomerRegistered.self, on: running.events).0.customerNumber
        try await running.send(RegisterCustomer(customer: Self.company))
        let buyer = try await running.next(CustomerRegistered.self, on: running.events).0.customerNumber

        // Into stock; the same meter again is nothing new; a wrong one is refused field by field.
        for serial in ["E-1001", "E-1002"] {
            try await running.send(ReceiveMeter(meter: Self.meter(serial)))
            #expect(try await running.next(MeterReceived.self, on: running.events).0.meter.serialNumber == serial)
        }
        try await running.send(ReceiveMeter(meter: Self.meter("E-1001")))
        var broken = Self.meter("E-1003")
        (broken.dials, broken.registers, broken.nextTestDue) = (40, ["total", "total"], "someday")
        try await running.send(ReceiveMeter(meter: broken))
        let badMeter = try await running.next(CommandRefused.self, on: running.events).0
        #expect(badMeter.problems.map(\.field) == ["meter.registers", "meter.dials", "meter.nextTestDue"], "and no event for the repeated meter")

        // A connection: coordinates off the earth and a capacity in the wrong unit are refused.
        var offTheMap = Self.premises
        offTheMap.location.latitude = 95
        try await running.send(RequestConnection(customerNumber: owner, premisesNumber: nil, premises: offTheMap, utility: .electricity, capacity: Capacity(value: 20, unit: "mm")))
        let badConnection = try await running.next(CommandRefused.self, on: running.events).0
        #expect(badConnection.problems.map(\.field) == ["premises.location.latitude", "capacity.unit"])
        try await running.send(RequestConnection(customerNumber: owner, premisesNumber: nil, premises: Self.premises, utility: .electricity, capacity: Capacity(value: 25, unit: "A")))
        let requested = try await running.next(ConnectionRequested.self, on: running.events).0
        let point = requested.servicePointNumber
        #expect(point.hasPrefix("SP-") && requested.premisesNumber.hasPrefix("P-"))

        try await running.send(CreateSubscription(
            customerNumber: owner, servicePointNumber: point, useType: .residential, tariffCode: "E-RES-1", billingCycle: "M01", startDate: "2026-11-01",
            deposit: Money(amount: 2_000_000, currency: "IRR")))
        let created = try await running.next(SubscriptionCreated.self, on: running.events).0
        #expect(created.status == .pending && created.region == "KRJ-2" && created.utility == .electricity)
        let subscription = created.subscriptionNumber
        try await running.send(CreateSubscription(
            customerNumber: buyer, servicePointNumber: point, useType: .commercial, tariffCode: "E-COM-1", billingCycle: "M01", startDate: "2026-11-01",
            deposit: Money(amount: 0, currency: "IRR")))
        #expect(try await running.next(CommandRefused.self, on: running.events).0.problems.first?.field == "servicePointNumber", "one live subscription per point")

        // No activation without a meter; the meter's readings must be its registers'.
        try await running.send(ActivateSubscription(subscriptionNumber: subscription, reason: "Connected", readings: nil, at: nil))
        #expect(try await running.next(CommandRefused.self, on: running.events).0.problems.map(\.message) == ["has no meter yet; install one first"])
        try await running.send(InstallMeter(servicePointNumber: point, manufacturer: "Afzar Azma", serialNumber: "E-1001", readings: [RegisterReading(register: "peak", index: 1)], at: nil))
        #expect(try await running.next(CommandRefused.self, on: running.events).0.problems.map(\.field) == ["readings[0].register", "readings"])
        try await running.send(InstallMeter(servicePointNumber: point, manufacturer: "Afzar Azma", serialNumber: "E-1001", readings: total(12), at: "2026-11-02"))
        let installed = try await running.next(MeterInstalled.self, on: running.events).0.installation
        #expect(installed.readings == total(12) && installed.subscriptionNumber == subscription && installed.at == "2026-11-02T12:00:00Z")
        try await running.send(InstallMeter(servicePointNumber: point, manufacturer: "Afzar Azma", serialNumber: "E-1002", readings: total(0), at: nil))
        #expect(try await running.next(CommandRefused.self, on: running.events).0.problems.map(\.message) == ["already has a meter; replace it instead"])
        try await running.send(ActivateSubscription(subscriptionNumber: subscription, reason: "Connected", readings: nil, at: nil))
        let activated = try await running.next(SubscriptionStatusChanged.self, on: running.events).0
        #expect(activated.from == .pending && activated.to == .active)

        // A failed test: due for replacement, suspect since it was installed.
        try await running.send(RecordInspection(
            manufacturer: "Afzar Azma", serialNumber: "E-1001", testPoints: [TestPoint(loadPercent: 5, errorPercent: 1.4), TestPoint(loadPercent: 100, errorPercent: 2.6)],
            inspector: "user:neda", reason: "Customer complaint", at: nil))
        let failed = try await running.next(InspectionRecorded.self, on: running.events).0
        #expect(!failed.passed && failed.worstErrorPercent == 2.6 && failed.suspectSince == "2026-11-02T12:00:00Z" && failed.subscriptionNumber == subscription)

        // Replaced: the old meter's final readings, then the new one's first, in that order.
        try await running.send(ReplaceMeter(
            servicePointNumber: point, finalReadings: total(1520.5), manufacturer: "Afzar Azma", serialNumber: "E-1002", initialReadings: total(3),
            reason: "Failed its test", at: nil))
        let removed = try await running.next(MeterRemoved.self, on: running.events).0.removal
        let replacement = try await running.next(MeterInstalled.self, on: running.events).0.installation
        #expect(removed.serialNumber == "E-1001" && removed.readings == total(1520.5) && replacement.serialNumber == "E-1002" && replacement.readings == total(3))

        try await running.send(RelocateMeter(servicePointNumber: point, location: Coordinates(latitude: 0, longitude: 0), readings: total(4), reason: "Outside", at: nil))
        #expect(try await running.next(CommandRefused.self, on: running.events).0.problems.map(\.field) == ["location"])
        try await running.send(RelocateMeter(servicePointNumber: point, location: Coordinates(latitude: 35.8405, longitude: 50.9702), readings: total(4), reason: "Moved to the street wall", at: nil))
        let moved = try await running.next(MeterRelocated.self, on: running.events).0
        #expect(moved.from == Self.premises.location && moved.to.latitude == 35.8405)

        // Found by the meter's serial and the premises' address, before it changes hands.
        #expect(try await running.ask(FindCustomers(text: "E-1002", limit: nil)).customers.map(\.customerNumber) == [owner])
        #expect(try await running.ask(FindCustomers(text: "golshan", limit: nil)).customers.map(\.customerNumber) == [owner])
        #expect(try await running.ask(FindCustomers(text: subscription, limit: nil)).customers.map(\.customerNumber) == [owner])

        // A change of ownership: the old subscription ends at the reading, the new one starts.
        try await running.send(ChangeOwnership(subscriptionNumber: subscription, newCustomerNumber: buyer, readings: total(40), deposit: nil, at: nil))
        let ended = try await running.next(SubscriptionStatusChanged.self, on: running.events).0
        let opened = try await running.next(SubscriptionCreated.self, on: running.events).0
        let changed = try await running.next(OwnershipChanged.self, on: running.events).0
        #expect(ended.subscriptionNumber == subscription && ended.to == .terminated && ended.readings == total(40))
        #expect(opened.customerNumber == buyer && opened.status == .active && opened.tariffCode == "E-RES-1" && opened.deposit.amount == 2_000_000)
        #expect(changed.previousCustomerNumber == owner && changed.subscriptionNumber == opened.subscriptionNumber)
        #expect(try await running.ask(FindCustomers(text: "E-1002", limit: nil)).customers.map(\.customerNumber) == [buyer])

        try await running.send(TerminateSubscription(subscriptionNumber: opened.subscriptionNumber, reason: "Moved away", readings: nil, at: nil))
        #expect(try await running.next(CommandRefused.self, on: running.events).0.problems.map(\.field) == ["readings"])
        try await running.send(SuspendSubscription(subscriptionNumber: opened.subscriptionNumber, reason: "Unpaid bills", readings: nil, at: nil))
        #expect(try await running.next(SubscriptionStatusChanged.self, on: running.events).0.to == .suspended)
        try await running.send(SuspendSubscription(subscriptionNumber: opened.subscriptionNumber, reason: "Unpaid bills", readings: nil, at: nil))
        #expect(try await running.next(CommandRefused.self, on: running.events).0.problems.map(\.message) == ["the subscription is already suspended"])
        try await running.send(ReconnectSubscription(subscriptionNumber: opened.subscriptionNumber, reason: "Paid", readings: nil, at: nil))
        #expect(try await running.next(SubscriptionStatusChanged.self, on: running.events).0.to == .active)

        // The whole picture: the old owner's ended subscription and their installation history.
        let picture = try await running.ask(GetCustomer(customerNumber: owner))
        #expect(picture.subscriptions.map(\.status) == [.terminated] && picture.subscriptions.first?.endDate != nil)
        #expect(picture.subscriptions.first?.servicePoint.meter?.serialNumber == "E-1002")
        #expect(picture.subscriptions.first?.servicePoint.location.latitude == 35.8405 && picture.subscriptions.first?.servicePoint.premises.location.latitude == 35.84)
        #expect(picture.installations.map(\.change) == [
            "connection-requested", "subscription-created", "meter-installed", "subscription-activated", "inspection-recorded", "meter-removed",
            "meter-installed", "meter-relocated", "ownership-transferred",
        ])
        let buyersPicture = try await running.ask(GetCustomer(customerNumber: buyer))
        #expect(buyersPicture.subscriptions.map(\.status) == [.active] && buyersPicture.connections.isEmpty)
        #expect(buyersPicture.installations.map(\.change) == ["ownership-transferred", "subscription-suspended", "subscription-reconnected"])

        // Off the wall, the failed meter goes to the lab, then to scrap; never back from there.
        try await running.send(ChangeMeterStatus(manufacturer: "Afzar Azma", serialNumber: "E-1002", status: .scrapped, reason: "Worn out"))
        #expect(try await running.next(CommandRefused.self, on: running.events).0.problems.map(\.message) == ["is installed on \(point); remove or replace it first"])
        try await running.send(ChangeMeterStatus(manufacturer: "Afzar Azma", serialNumber: "E-1001", status: .underTest, reason: "Failed on site"))
        #expect(try await running.next(MeterStatusChanged.self, on: running.events).0.to == .underTest)
        try await running.send(ChangeMeterStatus(manufacturer: "Afzar Azma", serialNumber: "E-1001", status: .scrapped, reason: "Beyond repair"))
        #expect(try await running.next(MeterStatusChanged.self, on: running.events).0.from == .underTest)
        try await running.send(ChangeMeterStatus(manufacturer: "Afzar Azma", serialNumber: "E-1001", status: .inStock, reason: "Mistake"))
        #expect(try await running.next(CommandRefused.self, on: running.events).0.problems.map(\.message) == ["a scrapped meter cannot become in-stock"])

        // The failed meter's record: off the service point, due for replacement, its history.
        let old = try await running.ask(GetMeter(manufacturer: "Afzar Azma", serialNumber: "E-1001"))
        #expect(old.status == .scrapped && old.replacementDue && old.servicePointNumber == nil)
        #expect(old.history.map(\.change) == [
            "meter-received", "meter-installed", "subscription-activated", "inspection-recorded", "meter-removed", "meter-under-test", "meter-scrapped",
        ])
        if case .object(let removal) = old.history[4].details { #expect(removal["readings"] == (try JSONValue.of(total(1520.5)))) }

        // The history is the legal record: the database itself refuses to change it.
        let db = PostgresConnection(configuration: running.database)
        let rewritten = await #expect(throws: PostgresError.self) { try await db.query("UPDATE installation_history SET actor = 'someone else'") }
        #expect(rewritten?.message.contains("installation_history is append-only: UPDATE refused") == true, "\(String(describing: rewritten))")
        let deleted = await #expect(throws: PostgresError.self) { try await db.query("DELETE FROM customer_history") }
        #expect(deleted?.message.contains("customer_history is append-only: DELETE refused") == true, "\(String(describing: deleted))")
        await db.close()
        await running.stop()
    }

    @Test func asJobsTheCommandsAnswerTheProcessAndVariablesThatDoNotFitAreABPMNError() async throws {
        let running = try await startRegistration()
        try await running.send(RegisterCustomer(customer: .example))
        let owner = try await running.next(CustomerRegistered.self, on: running.events).0.customerNumber
        func job(_ type: String, _ variables: [String: JSONValue]) -> WorkerJob {
            let instance = UUID().uuidString.lowercased()
            return WorkerJob(
                jobId: "\(instance):7", type: type, instanceId: instance, processId: "new-connection", version: 1, elementId: "record", businessKey: owner,
                retries: 3, headers: [:], variables: variables)
        }
        // The variables as a process holds them, with others the command does not use.
        let request = job(RequestConnection.routingKey, [
            "customerNumber": .string(owner), "premises": try .of(Self.premises), "utility": "water", "capacity": try .of(Capacity(value: 20, unit: "mm")),
            "siteSurveyNotes": "Access from the alley",
        ])
        try await running.publish(request)
        let answered = try await running.next(CompleteJob.self, on: running.replies).0
        #expect(answered.jobId == request.jobId)
        guard case .string(let point)? = answered.variables?["servicePointNumber"] else { Issue.record("no service point number"); return }
        #expect(point.hasPrefix("SP-"))

        // A variable of the wrong type, and one the record refuses: each a BPMN error naming it.
        let mistyped = job(CreateSubscription.routingKey, [
            "customerNumber": .string(owner), "servicePointNumber": .string(point), "useType": "residential", "tariffCode": "W-RES-1",
            "billingCycle": "M02", "startDate": "2026-12-01", "deposit": .object(["amount": "a lot", "currency": "IRR"]),
        ])
        try await running.publish(mistyped)
        let typeError = try await running.next(ThrowError.self, on: running.replies).0
        #expect(typeError.jobId == mistyped.jobId && typeError.code == "REGISTRATION_REFUSED" && typeError.message == "variables.deposit.amount: must be an integer")
        let unknownUse = job(CreateSubscription.routingKey, [
            "customerNumber": .string(owner), "servicePointNumber": .string(point), "useType": "residential", "tariffCode": "w res",
            "billingCycle": "M02", "startDate": "2026-13-01", "deposit": try .of(Money(amount: 0, currency: "IRR")),
        ])
        try await running.publish(unknownUse)
        let refused = try await running.next(ThrowError.self, on: running.replies).0
        #expect(refused.message == "tariffCode: must be a tariff code like E-RES-1; startDate: must be a date like 2026-12-01")
        await running.stop()
    }
}
