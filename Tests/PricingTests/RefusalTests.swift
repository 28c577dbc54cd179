import Contracts
import Pricing
import Testing

/// Tariffs and requests that cannot price a bill, refused naming the field.
@Suite struct RefusalTests {
    static let valid = TariffVersion(effectiveFrom: "2025-01-01", energy: EnergyCharge(tiers: Fixtures.tiers([("100", "0.1"), (nil, "0.2")])))

    @Test func tiersMustIncrease() {
        var version = Self.valid
        version.energy.periods[0].tiers = Fixtures.tiers([("500", "0.1"), ("400", "0.2"), (nil, "0.3")])
        #expect(version.problems == [FieldProblem("energy.periods[0].tiers[1].upTo", "tiers increase: 400 is not above 500")])
        version.energy.periods[0].tiers = Fixtures.tiers([(nil, "0.1"), ("400", "0.2")])
        #expect(version.problems == [FieldProblem("energy.periods[0].tiers[0].upTo", "only the last tier is without a limit")])
    }

    @Test func schedulesAreTwelveByTwentyFourOfKnownPeriods() {
        var version = Self.valid
        version.energy.weekdaySchedule.removeLast()
        #expect(version.problems == [FieldProblem("energy.weekdaySchedule", "12 months of 24 hours; there are 11 months")])
        version = Self.valid
        version.energy.weekendSchedule[6][18] = 2
        #expect(version.problems == [FieldProblem("energy.weekendSchedule[6][18]", "2 is not one of the 1 periods")])
        version = Self.valid
        version.energy.weekdaySchedule[0].append(0)
        #expect(version.problems == [FieldProblem("energy.weekdaySchedule[0]", "24 hours; there are 25")])
    }

    @Test func everyOtherFieldIsChecked() {
        var version = Self.valid
        version.effectiveFrom = "2025-02-30"
        version.fixedCharges = [FixedCharge(name: "Service", amount: Fixtures.decimal("-1"), per: .month)]
        version.discounts = [Discount(name: "Senior", percent: Fixtures.decimal("120"), categories: ["senior"], on: [.energy])]
        version.taxes = [Tax(name: "VAT")]
        version.regionFactors = [RegionFactor(region: "NORTH", factor: .zero, on: [.energy])]
        version.demand = DemandCharge(flat: DemandCharge.Flat(periods: [RatePeriod(name: "all", tiers: Fixtures.tiers([(nil, "5")]))], months: [0, 0]))
        #expect(Set(version.problems.map(\.field)) == [
            "effectiveFrom", "fixedCharges[0].amount", "discounts[0].percent", "taxes[0]", "regionFactors[0].factor", "demand.flat.months",
        ])
        var tariff = Fixtures.tariff()
        tariff.currency = "dollars"
        tariff.code = "E RES"
        #expect(tariff.problems.map(\.field) == ["code", "currency"])
        #expect(throws: PricingRefused.self) { try Pricer(tariff: tariff, versions: [version]) }
    }

    @Test func requestsNameTheirWrongField() throws {
        let (weekday, weekend) = Fixtures.schedule(peakHours: 16..<20)
        let version = TariffVersion(
            effectiveFrom: "2025-01-01",
            energy: EnergyCharge(
                periods: [RatePeriod(name: "off-peak", tiers: Fixtures.tiers([(nil, "0.1")])), RatePeriod(name: "peak", tiers: Fixtures.tiers([(nil, "0.2")]))],
                weekdaySchedule: weekday, weekendSchedule: weekend))
        let pricer = try Pricer(tariff: Fixtures.tariff(), versions: [version])
        func refusal(_ request: PriceRequest) -> [String] {
            do {
                _ = try pricer.price(request)
                return []
            } catch { return error.problems.map(\.field) }
        }
        #expect(refusal(Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 10])) == ["consumption.registers.total"])
        #expect(refusal(Fixtures.request("2025-01-01", "2025-01-31", registers: ["shoulder": 10])) == ["consumption.registers.shoulder"])
        #expect(refusal(Fixtures.request("2025-01-01", "2025-01-31", registers: ["peak": -1])) == ["consumption.registers.peak"])
        #expect(refusal(Fixtures.request("2025-01-31", "2025-01-01", registers: ["peak": 1])) == ["to"])
        #expect(refusal(Fixtures.request("2025-1-1", "2025-01-31", registers: ["peak": 1])) == ["from"])
        #expect(refusal(Fixtures.request("2025-01-01", "2025-01-31")) == ["consumption"])
        let late = Fixtures.hourly(from: "2025-01-30", days: 3) { _, _ in 1 }
        #expect(refusal(Fixtures.request("2025-01-01", "2025-01-31", intervals: late)) == ["consumption.intervals.values[48]"])
        var odd = Fixtures.hourly(from: "2025-01-01", days: 1) { _, _ in 1 }
        odd.minutes = 7
        #expect(refusal(Fixtures.request("2025-01-01", "2025-01-31", intervals: odd)) == ["consumption.intervals.minutes"])
        odd = Fixtures.hourly(from: "2025-01-01", days: 1) { _, hour in hour == 5 ? .nan : 1 }
        #expect(refusal(Fixtures.request("2025-01-01", "2025-01-31", intervals: odd)) == ["consumption.intervals.values[5]"])
    }
}

/// A new version from the current one, as the cartable's publish form makes it.
@Suite struct VersionEditTests {
    @Test func feesAndScheduleMonthsAreEditedByField() throws {
        let current = RefusalTests.valid
        let fields = Dictionary(uniqueKeysWithValues: current.editableFields.map { ($0.field, $0.value) })
        #expect(fields["energy.periods[0].tiers[0].upTo"] == "100")
        #expect(fields["energy.periods[0].tiers[1].price"] == "0.2")
        #expect(fields["energy.weekdaySchedule[0]"] == Array(repeating: "0", count: 24).joined(separator: " "))
        #expect(fields["effectiveFrom"] == nil)

        let next = try current.applying(["energy.periods[0].tiers[1].price": " 0.245 ", "energy.periods[0].tiers[0].upTo": "120"], effectiveFrom: "2026-01-01")
        #expect(next.effectiveFrom == "2026-01-01")
        #expect(next.energy.periods[0].tiers.map(\.price.description) == ["0.1", "0.245"])
        #expect(next.changes(from: current) == [
            FeeChange(field: "energy.periods[0].tiers[0].upTo", before: "100", after: "120"),
            FeeChange(field: "energy.periods[0].tiers[1].price", before: "0.2", after: "0.245"),
        ])
    }

    @Test func wrongEditsAreRefusedByField() {
        let current = RefusalTests.valid
        #expect(throws: PricingRefused("energy.periods[0].tiers[1].price", "\"abc\" is not a number (at most nine decimals)")) {
            try current.applying(["energy.periods[0].tiers[1].price": "abc"], effectiveFrom: "2026-01-01")
        }
        #expect(throws: PricingRefused("energy.weekdaySchedule[2]", "24 period numbers, one an hour from 00:00, spaced")) {
            try current.applying(["energy.weekdaySchedule[2]": "0 0 0"], effectiveFrom: "2026-01-01")
        }
        // Valid numbers that make an invalid version: the tiers no longer rise.
        #expect(throws: PricingRefused("energy.periods[0].tiers[0].upTo", "tiers increase: -5 is not above 0")) {
            try current.applying(["energy.periods[0].tiers[0].upTo": "-5"], effectiveFrom: "2026-01-01")
        }
        #expect(throws: PricingRefused("energy.weekendSchedule[1][3]", "1 is not one of the 1 periods")) {
            try current.applying(["energy.weekendSchedule[1]": "0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"], effectiveFrom: "2026-01-01")
        }
    }
}

/// Numbers so large that a bill could not be reckoned are refused, never wrapped or trapped.
@Suite struct BoundTests {
    @Test func tooLargeFeesAndConsumptionAreRefused() throws {
        var version = RefusalTests.valid
        version.energy.periods[0].tiers[1].price = TariffDecimal(20_000_000)
        #expect(version.problems == [FieldProblem("energy.periods[0].tiers[1].price", "20000000 is beyond 10000000, the largest a tariff takes")])
        version.energy.periods[0].tiers[1].price = TariffDecimal(10_000_000)
        version.regionFactors = [RegionFactor(region: "NORTH", factor: TariffDecimal(1000), on: [.energy])]
        #expect(version.problems.map(\.field) == ["regionFactors[0].factor"])
        version.regionFactors = [RegionFactor(region: "NORTH", factor: TariffDecimal(100), on: [.energy])]
        var tariff = Fixtures.tariff()
        tariff.minorDigits = 4
        let pricer = try Pricer(tariff: tariff, versions: [version])
        #expect(throws: PricingRefused("consumption.registers.total", "100000000.0 is not a consumption (a number from 0, below 100,000,000)")) {
            try pricer.price(Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 1e8]))
        }
        // The largest price on the largest consumption, times 100 in the north, in ten-thousandths.
        var request = Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 99_999_999])
        request.region = "NORTH"
        #expect(throws: PricingRefused("consumption", "the bill's amounts are beyond what can be reckoned: check the quantities")) { try pricer.price(request) }
    }

    /// A bill's lines are written into space reserved for the most its versions can have: a year
    /// across two versions, every component giving every line it can, fits and is priced.
    @Test func theMostLinesABillCanHaveArePriced() throws {
        let (weekday, weekend) = Fixtures.schedule(peakHours: 16..<20)
        let tiers = Fixtures.tiers([("100", "0.10"), ("200", "0.12"), (nil, "0.15")])
        func version(_ from: String) -> TariffVersion {
            TariffVersion(
                effectiveFrom: from,
                fixedCharges: [
                    FixedCharge(name: "Monthly", amount: Fixtures.decimal("3"), per: .month), FixedCharge(name: "Daily", amount: Fixtures.decimal("0.1"), per: .day),
                    FixedCharge(name: "Per meter", amount: Fixtures.decimal("1"), per: .meterMonth), FixedCharge(name: "Yearly", amount: Fixtures.decimal("12"), per: .year),
                ],
                energy: EnergyCharge(
                    periods: [RatePeriod(name: "off-peak", tiers: tiers), RatePeriod(name: "peak", tiers: tiers)], weekdaySchedule: weekday, weekendSchedule: weekend),
                demand: DemandCharge(
                    flat: DemandCharge.Flat(periods: [RatePeriod(name: "month", tiers: Fixtures.tiers([("5", "4"), (nil, "6")]))], months: Array(repeating: 0, count: 12)),
                    timeOfUse: DemandCharge.TimeOfUse(
                        periods: [RatePeriod(name: "off-peak", tiers: Fixtures.tiers([("5", "1"), (nil, "2")])), RatePeriod(name: "on-peak", tiers: Fixtures.tiers([("5", "3"), (nil, "5")]))],
                        weekdaySchedule: weekday, weekendSchedule: weekend)),
                minimum: MinimumCharge(amount: Fixtures.decimal("100000"), per: .month),
                regionFactors: [RegionFactor(region: "NORTH", factor: Fixtures.decimal("1.1"), on: ChargeKind.allCases)],
                discounts: [
                    Discount(name: "Senior", percent: Fixtures.decimal("10"), categories: ["senior"], on: ChargeKind.allCases),
                    Discount(name: "Low income", percent: Fixtures.decimal("5"), categories: ["low-income"], on: ChargeKind.allCases),
                ],
                taxes: [Tax(name: "VAT", percent: Fixtures.decimal("9"), fixedPerMonth: Fixtures.decimal("0.5"), on: ChargeKind.allCases)],
                rounding: Rounding(mode: .halfEven, per: .bill))
        }
        let pricer = try Pricer(tariff: Fixtures.tariff(), versions: [version("2024-01-01"), version("2024-06-15")])
        var request = Fixtures.request(
            "2024-01-10", "2025-01-08", registers: ["off-peak": 7000.3, "peak": 3000.7], demand: ["peak": 9.3, "off-peak": 7.1, "on-peak": 8.2])
        (request.region, request.categories, request.meters) = ("NORTH", ["senior", "low-income"], 2)
        let quote = try pricer.price(request)
        // 13 calendar months and a version change: 14 parts, each with all its lines.
        #expect(quote.parts.count == 14)
        // Fixed 4, energy 2 periods × 3 tiers, flat demand 2, time-of-use demand 2 × 2, the region
        // factor on fixed, energy and demand (the minimum comes after it), the minimum, two
        // discounts on all four, VAT as a percent and as a fixed levy.
        let perPart = 4 + 2 * 3 + 2 + 2 * 2 + 3 + 1 + 2 * 4 + 2
        #expect(quote.lines.filter { $0.kind != .rounding }.count == 14 * perPart)
        #expect(quote.total == quote.lines.reduce(0) { $0 + $1.amount })
    }
}
