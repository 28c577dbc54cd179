import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// Billing end to end with the real services: Registration's and the Tariff service's events
/// in, readings in, runs started, bills out and their charges in the Ledger. The amounts are
/// worked out by hand from the test tariff (`residential`): 10,000 a month, 1,000 a kWh up to
/// 100 and 2,000 above, VAT 10%.
@Suite(.serialized) struct BillingServiceTests {
    static let installedAt = "2026-09-30T10:00:00Z"

    /// The test tariff, and subscriptions each with a meter installed on 30 September.
    func setUp(_ billing: RunningBilling, _ meters: [(subscription: String, serial: String, index: Double, dials: Int)]) async throws {
        try await billing.publish(event: TariffCreated(tariff: tariff, version: residential(), actor: "user:tariff.manager", reason: "test"))
        for (offset, meter) in meters.enumerated() {
            let point = "SP-9000000\(offset)-0"
            try await billing.publish(event: subscription(meter.subscription, point: point))
            try await billing.publish(event: installed(meter.serial, on: point, subscription: meter.subscription, index: meter.index, dials: meter.dials, at: Self.installedAt))
        }
        try await billing.drained()
    }

    func run(_ billing: RunningBilling, _ runId: String, to periodEnd: String, issued: String) async throws -> RunCompleted {
        try await billing.send(StartBillingRun(runId: runId, cycle: "T1", periodEnd: periodEnd, issueDate: issued, dueDays: 14))
        let completed = try await billing.next(RunCompleted.self)
        #expect(completed.runId == runId)
        return completed
    }

    func bills(_ billing: RunningBilling, of subscription: String) async throws -> [Bill] {
        var bills: [Bill] = []
        for entry in try await billing.ask(FindBills(subscriptionNumber: subscription)).bills.reversed() {
            bills.append(try await billing.ask(GetBill(billId: entry.billId)).bill)
        }
        return bills
    }

    @Test func readingsInARunBillsOutAndTheLedgerBalancesAgreeAcrossARolloverAndAPayment() async throws {
        try await withBilling { billing in
            try await setUp(billing, [("S-90000101-1", "RO-1", 9_900, 4), ("S-90000102-2", "RO-2", 1_000, 6)])
            try await billing.send(RecordReadings(readings: [
                reading("MDM-1", "RO-1", 40, at: "2026-10-31T09:00:00Z"), reading("MDM-2", "RO-2", 1_080, at: "2026-10-31T09:00:00Z"),
            ]))
            let checked = try await billing.next(ReadingsChecked.self)
            #expect(checked == ReadingsChecked(stored: 2, duplicates: [], flagged: [], refused: []))

            let october = try await run(billing, "T1-2026-10", to: "2026-10-31", issued: "2026-11-01")
            #expect((october.subscriptions, october.billed, october.skipped, october.exceptions) == (2, 2, 0, 0))
            #expect(october.charges == [Money(amount: 209_000 + 99_000, currency: "IRR")])

            // The four dials rolled over from 9,900 to 40: 140 kWh.
            let first = try #require(try await bills(billing, of: "S-90000101-1").first)
            #expect(first.registers.map(\.consumption) == [140])
            #expect((first.from, first.to, first.issueDate, first.dueDate) == ("2026-10-01", "2026-10-31", "2026-11-01", "2026-11-15"))
            #expect(first.quote.lines.map(\.amount) == [10_000, 100_000, 80_000, 19_000])
            #expect((first.charges, first.amountDue, first.carried.balance) == (209_000, 209_000, 0))
            #expect(first.billId.hasPrefix("B2026-"))
            try await billing.drained()
            let balances = try await billing.ask(GetBalances(subscriptionNumbers: ["S-90000101-1", "S-90000102-2"], asOf: "2026-11-01"))
            #expect(balances.subscriptions.map(\.balance.due) == [209_000, 99_000])

            // A payment, then November: the bill carries what was due, what was paid, and the rest.
            try await billing.send(RecordPayments(payments: [
                Payment(paymentId: "BANK-1", subscriptionNumber: "S-90000101-1", channel: .bank, amount: Money(amount: 100_000, currency: "IRR"),
                        valueDate: "2026-11-10", reference: "test")
            ]))
            try await billing.send(RecordReadings(readings: [reading("MDM-3", "RO-1", 110, at: "2026-11-30T09:00:00Z"), reading("MDM-4", "RO-2", 1_150, at: "2026-11-30T09:00:00Z")]))
            try await billing.drained()
            _ = try await run(billing, "T1-2026-11", to: "2026-11-30", issued: "2026-12-01")
            let november = try #require(try await bills(billing, of: "S-90000101-1").last)
            #expect(november.carried == CarriedBalance(previousDue: 209_000, paymentsSince: 100_000, adjustmentsSince: 0, balance: 109_000))
            #expect(november.charges == 88_000)
            #expect(november.amountDue == 197_000)
            #expect(november.registers.first?.opening.index == 40)
            let record = try await billing.ask(GetBill(billId: november.billId))
            #expect(record.history.map(\.consumption) == [140, 70])
            try await billing.drained()
            let after = try await billing.ask(GetBalances(subscriptionNumbers: ["S-90000101-1"]))
            #expect(after.subscriptions.first?.balance.due == 197_000)
            #expect(try await billing.ask(CheckLedger()).sound)
        }
    }

    @Test func anEstimatedPeriodIsPutRightByTheActualReadingAfterIt() async throws {
        try await withBilling { billing in
            try await setUp(billing, [("S-90000201-1", "ES-1", 500, 6)])
            try await billing.send(RecordReadings(readings: [reading("MDM-1", "ES-1", 620, at: "2026-10-31T09:00:00Z")]))
            _ = try await run(billing, "T1-2026-10", to: "2026-10-31", issued: "2026-11-01")
            // No reading in November: 120 kWh over October's 31 days, for 30.62 days, is 119.
            _ = try await run(billing, "T1-2026-11", to: "2026-11-30", issued: "2026-12-01")
            let estimated = try #require(try await bills(billing, of: "S-90000201-1").last)
            #expect(estimated.estimated)
            #expect(estimated.registers.first?.closing.source == .estimated)
            #expect(estimated.registers.first?.closing.index == 739)
            #expect(estimated.charges == 162_800)
            #expect(estimated.message.contains("estimated"))

            try await billing.send(RecordReadings(readings: [reading("MDM-2", "ES-1", 850, at: "2026-12-31T09:00:00Z")]))
            _ = try await run(billing, "T1-2026-12", to: "2026-12-31", issued: "2027-01-01")
            let actual = try #require(try await bills(billing, of: "S-90000201-1").last)
            #expect(!actual.estimated)
            #expect(actual.registers.first?.opening.index == 739)
            #expect(actual.consumption == ["total": 111])
            #expect(actual.charges == 145_200)
            let readings = try await billing.ask(GetReadings(manufacturer: "Afzar Azma", serialNumber: "ES-1"))
            #expect(readings.readings.first { $0.reading.source == .estimated }?.status == .superseded)
        }
    }

    @Test func aMeterExchangedMidPeriodBillsBothMetersConsumption() async throws {
        try await withBilling { billing in
            try await setUp(billing, [("S-90000301-1", "EX-OLD", 2_000, 6)])
            try await billing.send(RecordReadings(readings: [reading("MDM-1", "EX-OLD", 2_050, at: "2026-10-31T09:00:00Z")]))
            _ = try await run(billing, "T1-2026-10", to: "2026-10-31", issued: "2026-11-01")
            let point = "SP-90000000-0"
            try await billing.publish(event: MeterRemoved(removal: MeterReadingsTaken(
                servicePointNumber: point, subscriptionNumber: "S-90000301-1", manufacturer: "Afzar Azma", serialNumber: "EX-OLD", multiplier: 1, dials: 6,
                readings: [RegisterReading(register: "total", index: 2_080)], reason: "replaced", at: "2026-11-15T10:00:00Z")))
            try await billing.publish(event: installed("EX-NEW", on: point, subscription: "S-90000301-1", index: 0, dials: 5, multiplier: 2, at: "2026-11-15T10:00:00Z"))
            try await billing.drained()
            try await billing.send(RecordReadings(readings: [reading("MDM-2", "EX-NEW", 25, at: "2026-11-30T09:00:00Z")]))
            _ = try await run(billing, "T1-2026-11", to: "2026-11-30", issued: "2026-12-01")
            let november = try #require(try await bills(billing, of: "S-90000301-1").last)
            #expect(november.registers.map(\.serialNumber) == ["EX-OLD", "EX-NEW"])
            // 30 kWh on the old meter, 25 × 2 on the new one.
            #expect(november.registers.map(\.consumption) == [30, 50])
            #expect(november.consumption == ["total": 80])
            #expect(november.charges == 99_000)
        }
    }

    @Test func aTariffChangedMidPeriodIsProratedByDays() async throws {
        try await withBilling { billing in
            try await setUp(billing, [("S-90000401-1", "TC-1", 1_000, 6)])
            try await billing.send(RecordReadings(readings: [reading("MDM-1", "TC-1", 1_062, at: "2026-10-31T09:00:00Z")]))
            _ = try await run(billing, "T1-2026-10", to: "2026-10-31", issued: "2026-11-01")
            try await billing.publish(event: TariffVersionPublished(
                tariff: tariff, version: residential(from: "2026-11-16", fixed: 20_000, lowPrice: 1_500), changes: [], actor: "user:tariff.manager", reason: "review"))
            try await billing.send(RecordReadings(readings: [reading("MDM-2", "TC-1", 1_122, at: "2026-11-30T09:00:00Z")]))
            _ = try await run(billing, "T1-2026-11", to: "2026-11-30", issued: "2026-12-01")
            let november = try #require(try await bills(billing, of: "S-90000401-1").last)
            #expect(november.quote.parts.map(\.version) == ["2026-01-01", "2026-11-16"])
            // Half the month at each version: 5,000 + 10,000 fixed, 30 kWh at 1,000 and 30 at 1,500, VAT on it all.
            #expect(november.quote.total(of: .fixed) == 15_000)
            #expect(november.quote.total(of: .energy) == 75_000)
            #expect(november.charges == 99_000)
        }
    }

    @Test func aChangeOfOwnerIsAFinalBillAndTheNewOwnerStartsFromItsReadings() async throws {
        try await withBilling { billing in
            try await setUp(billing, [("S-90000501-1", "OW-1", 1_000, 6)])
            try await billing.send(RecordReadings(readings: [reading("MDM-1", "OW-1", 1_040, at: "2026-10-31T09:00:00Z")]))
            _ = try await run(billing, "T1-2026-10", to: "2026-10-31", issued: "2026-11-01")
            try await billing.publish(event: OwnershipChanged(
                servicePointNumber: "SP-90000000-0", previousSubscriptionNumber: "S-90000501-1", subscriptionNumber: "S-90000502-2",
                previousCustomerNumber: "C-90000001-1", customerNumber: "C-90000002-2", readings: [RegisterReading(register: "total", index: 1_060)],
                at: "2026-11-15T10:00:00Z"))
            let final = try #require(try await billing.next(BillIssued.self).bills.first)
            #expect((final.kind, final.subscriptionNumber, final.from, final.to) == (.final, "S-90000501-1", "2026-11-01", "2026-11-15"))
            #expect(final.consumption == ["total": 20])
            try await billing.send(RecordReadings(readings: [reading("MDM-2", "OW-1", 1_090, at: "2026-11-30T09:00:00Z")]))
            let november = try await run(billing, "T1-2026-11", to: "2026-11-30", issued: "2026-12-01")
            #expect(november.billed == 1, "the old owner's subscription is terminated; only the new one is billed")
            let next = try #require(try await bills(billing, of: "S-90000502-2").first)
            #expect((next.from, next.customerNumber, next.consumption) == ("2026-11-16", "C-90000002-2", ["total": 30]))
        }
    }

    @Test func aBillCancelledIsReversedInTheLedgerAndBilledAgainFromTheCorrectedReading() async throws {
        try await withBilling { billing in
            try await setUp(billing, [("S-90000601-1", "CR-1", 1_000, 6)])
            try await billing.send(RecordReadings(readings: [reading("MDM-1", "CR-1", 1_300, at: "2026-10-31T09:00:00Z")]))
            _ = try await run(billing, "T1-2026-10", to: "2026-10-31", issued: "2026-11-01")
            let wrong = try #require(try await bills(billing, of: "S-90000601-1").first)
            #expect(wrong.charges == 561_000)
            try await billing.send(CorrectReading(readingId: "MDM-1", index: 1_030, reason: "Dials misread: the photo shows 1030"))
            try await billing.send(CancelBill(billId: wrong.billId, reason: "Reading corrected", approvedBy: "user:sara", rebill: true))
            let cancelled = try await billing.next(BillCancelled.self)
            let rebillId = try #require(cancelled.rebillId)
            let rebill = try await billing.ask(GetBill(billId: rebillId)).bill
            #expect((rebill.kind, rebill.replaces, rebill.from, rebill.to) == (.rebill, wrong.billId, "2026-10-01", "2026-10-31"))
            #expect(rebill.charges == 44_000)
            #expect(try await billing.ask(GetBill(billId: wrong.billId)).bill.status == .cancelled)
            try await billing.drained()
            let balance = try await billing.ask(GetBalances(subscriptionNumbers: ["S-90000601-1"]))
            #expect(balance.subscriptions.first?.balance.due == 44_000)
            #expect(try await billing.ask(CheckLedger()).sound)
            try await billing.send(CancelBill(billId: wrong.billId, reason: "again", approvedBy: "user:sara", rebill: false))
            let refused = try await billing.next(BillingCommandRefused.self)
            #expect(refused.problems == [FieldProblem("billId", "bill \(wrong.billId) is already cancelled")])
        }
    }
}
