import Billing
import Contracts
import Testing

/// A period worked out from its registers: a normal month, a meter exchanged in it, an
/// estimate and the actual reading after it, a reading gone stale.
@Suite struct BillDraftTests {
    let day = 86_400
    let november = BillingDay.day("2026-11-30")!
    let terms = SubscriptionTerms(
        subscriptionNumber: "S-00000052-6", customerNumber: "C-00000421-7", servicePointNumber: "SP-00000017-4", utility: .electricity, useType: .residential,
        region: "TEHRAN", tariffCode: "E-RES-1", billingCycle: "M01", startDay: BillingDay.day("2026-01-01")!)
    let dials = MeterDials(dials: 6, multiplier: 1)

    func read(_ index: Double, _ date: String, unwound: Double? = nil, source: ReadingSource = .actual) -> Read {
        Read(readingId: "R-\(date)-\(index)", index: index, unwound: unwound ?? index, at: BillingDay.day(date)! * day + 36_000, source: source)
    }

    @Test func aMonthReadAtBothEndsIsBilledBetweenThem() throws {
        let draft = try #require(BillDraft(
            terms: terms, kind: .regular, lastBilledTo: BillingDay.day("2026-10-31"), to: november,
            registers: [RegisterToBill(manufacturer: "AA", serialNumber: "1", register: "total", dials: dials, opening: read(1_200, "2026-10-31"), latest: read(1_440, "2026-11-30"))],
            dailyUsage: ["total": 8]))
        #expect(BillingDay.text(day: draft.from) == "2026-11-01")
        #expect(draft.consumption == ["total": 240])
        #expect(!draft.estimated)
        #expect(draft.nextOpenings.map(\.read.index) == [1_440])
        #expect(draft.dailyUsage(after: ["total": 8]) == ["total": 0.75 * 8 + 0.25 * 8])
        let request = draft.priceRequest()
        #expect((request.from, request.to, request.consumption.registers) == ("2026-11-01", "2026-11-30", ["total": 240]))
    }

    @Test func aMeterExchangedInThePeriodContributesBothMetersConsumption() throws {
        let old = RegisterToBill(
            manufacturer: "AA", serialNumber: "OLD", register: "total", dials: dials, opening: read(5_000, "2026-10-31"), removal: read(5_100, "2026-11-12"),
            latest: read(5_100, "2026-11-12"))
        let new = RegisterToBill(
            manufacturer: "AA", serialNumber: "NEW", register: "total", dials: MeterDials(dials: 6, multiplier: 2), opening: read(0, "2026-11-12"),
            latest: read(60, "2026-11-30"))
        let draft = try #require(BillDraft(terms: terms, kind: .regular, lastBilledTo: BillingDay.day("2026-10-31"), to: november, registers: [old, new], dailyUsage: [:]))
        #expect(draft.consumption == ["total": 100 + 120])
        #expect(draft.registers.map(\.consumption) == [100, 120])
        #expect(draft.nextOpenings.map(\.serialNumber) == ["NEW"])
        #expect(draft.priceRequest().meters == 2)
    }

    @Test func noNewReadingIsEstimatedFromTheAverageAndTheActualAfterPutsItRight() throws {
        let estimated = try #require(BillDraft(
            terms: terms, kind: .regular, lastBilledTo: BillingDay.day("2026-10-31"), to: november,
            registers: [RegisterToBill(manufacturer: "AA", serialNumber: "1", register: "total", dials: dials, opening: read(1_200, "2026-10-31"), latest: read(1_200, "2026-10-31"))],
            dailyUsage: ["total": 8]))
        #expect(estimated.estimated)
        let estimate = try #require(estimated.estimates.first?.read)
        // From 10:00 on 31 October to the end of 30 November: 30.58 days at 8 a day.
        #expect(estimate.index == 1_445)
        #expect(estimate.source == .estimated)
        #expect(estimated.dailyUsage(after: ["total": 8]) == ["total": 8], "an estimate does not move the average")

        // December's actual reading is billed from the estimate.
        let actual = try #require(BillDraft(
            terms: terms, kind: .regular, lastBilledTo: november, to: BillingDay.day("2026-12-31")!,
            registers: [RegisterToBill(manufacturer: "AA", serialNumber: "1", register: "total", dials: dials, opening: estimate, latest: read(1_700, "2026-12-31"))],
            dailyUsage: ["total": 8]))
        #expect(actual.consumption == ["total": 255])
        #expect(!actual.estimated)
    }

    @Test func anActualBelowTheEstimateBillsNothingAndKeepsTheEstimateAsTheNextOpening() throws {
        let estimate = read(1_445, "2026-11-30", source: .estimated)
        let draft = try #require(BillDraft(
            terms: terms, kind: .regular, lastBilledTo: november, to: BillingDay.day("2026-12-31")!,
            registers: [RegisterToBill(manufacturer: "AA", serialNumber: "1", register: "total", dials: dials, opening: estimate, latest: read(1_430, "2026-12-31"))],
            dailyUsage: ["total": 8]))
        #expect(draft.consumption == ["total": 0])
        #expect(draft.belowEstimate)
        #expect(draft.nextOpenings.first?.read == estimate)
    }

    @Test func aStaleReadingIsEstimatedFromToThePeriodsEnd() throws {
        let draft = try #require(BillDraft(
            terms: terms, kind: .regular, lastBilledTo: BillingDay.day("2026-10-31"), to: november,
            registers: [RegisterToBill(manufacturer: "AA", serialNumber: "1", register: "total", dials: dials, opening: read(1_200, "2026-10-31"), latest: read(1_280, "2026-11-10"))],
            dailyUsage: ["total": 8]))
        #expect(draft.estimated)
        // 80 read, then 20.58 days at 8 a day estimated.
        #expect(draft.consumption == ["total": 80 + 165])
    }

    @Test func aNewSubscriptionWithoutHistoryIsEstimatedFromItsUseTypesProfile() throws {
        let draft = try #require(BillDraft(
            terms: terms, kind: .regular, lastBilledTo: nil, to: november,
            registers: [
                RegisterToBill(manufacturer: "AA", serialNumber: "1", register: "peak", dials: dials, opening: read(0, "2026-11-20")),
                RegisterToBill(manufacturer: "AA", serialNumber: "1", register: "off-peak", dials: dials, opening: read(0, "2026-11-20")),
            ],
            dailyUsage: [:]))
        #expect(BillingDay.text(day: draft.from) == "2026-11-20")
        // 10.58 days at 8 kWh a day for a residence, split over the meter's two registers.
        #expect(draft.consumption == ["peak": 42, "off-peak": 42])
    }

    @Test func aSubscriptionBilledToTheDayAlreadyHasNothingToBill() {
        #expect(BillDraft(
            terms: terms, kind: .regular, lastBilledTo: november, to: november,
            registers: [RegisterToBill(manufacturer: "AA", serialNumber: "1", register: "total", dials: dials, opening: read(1_200, "2026-10-31"))],
            dailyUsage: [:]) == nil)
    }
}
