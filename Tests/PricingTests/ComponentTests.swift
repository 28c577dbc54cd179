import Contracts
import Pricing
import Testing

/// Each component of a version against a bill worked out by hand.
@Suite struct ComponentTests {
    @Test func tiersPriceEachBlockAtItsOwnPrice() throws {
        let version = TariffVersion(
            effectiveFrom: "2024-01-01", fixedCharges: [FixedCharge(name: "Service charge", amount: Fixtures.decimal("5.5"), per: .month)],
            energy: EnergyCharge(tiers: Fixtures.tiers([("650", "0.0896"), ("1000", "0.0831"), (nil, "0.0821")])))
        let quote = try Pricer(tariff: Fixtures.tariff(), versions: [version]).price(Fixtures.request("2024-01-01", "2024-01-31", registers: ["total": 1200]))
        // 650 × 0.0896 = 58.24; 350 × 0.0831 = 29.085 → 29.09 half-up; 200 × 0.0821 = 16.42.
        #expect(quote.lines.map(\.amount) == [550, 5824, 2909, 1642])
        #expect(quote.lines.compactMap(\.quantity) == [1, 650, 350, 200])
        #expect(quote.lines[2].name == "Energy, 650–1000 kWh")
        #expect(quote.total == 10925)
    }

    @Test func fixedChargesByMonthDayMeterAndYear() throws {
        let version = TariffVersion(
            effectiveFrom: "2024-01-01",
            fixedCharges: [
                FixedCharge(name: "Monthly", amount: Fixtures.decimal("31"), per: .month),
                FixedCharge(name: "Daily", amount: Fixtures.decimal("0.25"), per: .day),
                FixedCharge(name: "Per meter", amount: Fixtures.decimal("2"), per: .meterMonth),
                FixedCharge(name: "Yearly", amount: Fixtures.decimal("366"), per: .year),
            ],
            energy: EnergyCharge(tiers: Fixtures.tiers([(nil, "0.1")])))
        var request = Fixtures.request("2024-03-01", "2024-03-10", registers: ["total": 0])
        request.meters = 3
        let quote = try Pricer(tariff: Fixtures.tariff(), versions: [version]).price(request)
        // 10 of March's 31 days: 31 × 10/31 = 10; 0.25 × 10 = 2.50; 2 × 3 meters × 10/31 = 1.935… → 1.94; 366 × 10/366 = 10.
        #expect(quote.lines.map(\.amount) == [1000, 250, 194, 1000])
        #expect(quote.lines.map(\.unit) == ["month", "day", "meter-month", "year"])
    }

    @Test func daily_blocksAreTimesTheDaysBilled() throws {
        let water = Fixtures.tariff(code: "W-RES", currency: "IRR", minorDigits: 0, unit: "m3")
        let version = TariffVersion(effectiveFrom: "2025-01-01", energy: EnergyCharge(tierBasis: .day, tiers: Fixtures.tiers([("0.5", "1000"), (nil, "3000")])))
        var request = Fixtures.request("2025-04-01", "2025-04-30", registers: ["total": 20])
        request.tariffCode = "W-RES"
        let quote = try Pricer(tariff: water, versions: [version]).price(request)
        // 30 days × 0.5 m³ = 15 m³ at 1000, the other 5 at 3000.
        #expect(quote.lines.map(\.amount) == [15000, 15000])
        #expect(quote.total == 30000)
    }

    /// Tier limits on the month's total, each tier's energy shared by the periods' part of it.
    @Test func tiersWithTimeOfUseAreSharedByEachPeriodsPartOfTheMonth() throws {
        let (weekday, weekend) = Fixtures.schedule(peakHours: 16..<20)
        let version = TariffVersion(
            effectiveFrom: "2025-01-01",
            energy: EnergyCharge(
                periods: [
                    RatePeriod(name: "off-peak", tiers: Fixtures.tiers([("500", "0.10"), (nil, "0.15")])),
                    RatePeriod(name: "peak", tiers: Fixtures.tiers([("500", "0.20"), (nil, "0.30")])),
                ], weekdaySchedule: weekday, weekendSchedule: weekend))
        let pricer = try Pricer(tariff: Fixtures.tariff(), versions: [version])

        // Registers: 700 off-peak and 300 peak; each 500 kWh tier is 70 % off-peak, 30 % peak.
        let registers = try pricer.price(Fixtures.request("2025-01-01", "2025-01-31", registers: ["off-peak": 700, "peak": 300]))
        #expect(registers.lines.map(\.quantity) == [350, 350, 150, 150])
        #expect(registers.total == 3500 + 5250 + 3000 + 4500)

        // 1 kWh every hour of January 2025: 23 weekdays × 4 peak hours = 92 peak, 652 off-peak.
        // (500 × (652 × 0.10 + 92 × 0.20) + 244 × (652 × 0.15 + 92 × 0.30)) / 744 = 97.3086…
        let hourly = try pricer.price(Fixtures.request("2025-01-01", "2025-01-31", intervals: Fixtures.hourly(from: "2025-01-01", days: 31) { _, _ in 1 }))
        let quantities = hourly.lines.compactMap(\.quantity)
        #expect(abs(quantities[0] - 500 * 652 / 744.0) < 1e-6 && abs(quantities[2] - 500 * 92 / 744.0) < 1e-6)
        #expect(abs(quantities.reduce(0, +) - 744) < 1e-5)
        // Each line rounded half-up: 43.82 + 32.07 + 12.37 + 9.05.
        #expect(hourly.lines.map(\.amount) == [4382, 3207, 1237, 905])
        #expect(hourly.total == 9731)
    }

    @Test func weekendsAndHolidaysTakeTheWeekendSchedule() throws {
        let (weekday, weekend) = Fixtures.schedule(peakHours: 0..<24)
        let version = TariffVersion(
            effectiveFrom: "2025-01-01",
            energy: EnergyCharge(
                periods: [RatePeriod(name: "rest", tiers: Fixtures.tiers([(nil, "0.10")])), RatePeriod(name: "working", tiers: Fixtures.tiers([(nil, "1")]))],
                weekdaySchedule: weekday, weekendSchedule: weekend),
            weekendDays: [5], holidays: ["2025-01-01"])
        // 2025-01-01 is a Wednesday (a holiday here), 01-03 a Friday (the weekend here).
        let quote = try Pricer(tariff: Fixtures.tariff(), versions: [version])
            .price(Fixtures.request("2025-01-01", "2025-01-04", intervals: Fixtures.hourly(from: "2025-01-01", days: 4) { _, _ in 1 }))
        #expect(quote.lines.map(\.name) == ["Energy, rest", "Energy, working"])
        #expect(quote.lines.map(\.quantity) == [48, 48])
    }

    @Test func demandFlatAndByPeriodInTiers() throws {
        let (weekday, weekend) = Fixtures.schedule(peakHours: 16..<20)
        let version = TariffVersion(
            effectiveFrom: "2025-01-01", energy: EnergyCharge(tiers: Fixtures.tiers([(nil, "0")])),
            demand: DemandCharge(
                flat: DemandCharge.Flat(periods: [RatePeriod(name: "all", tiers: Fixtures.tiers([("10", "5"), (nil, "8")]))], months: Array(repeating: 0, count: 12)),
                timeOfUse: DemandCharge.TimeOfUse(
                    periods: [RatePeriod(name: "off-peak", tiers: Fixtures.tiers([(nil, "0")])), RatePeriod(name: "peak", tiers: Fixtures.tiers([(nil, "10")]))],
                    weekdaySchedule: weekday, weekendSchedule: weekend)))
        let pricer = try Pricer(tariff: Fixtures.tariff(), versions: [version])
        // 15-minute data: 0.5 kWh a quarter (2 kW), one quarter of 3 kWh at 03:00 on the 14th
        // (12 kW, off-peak), one of 1.5 kWh at 17:00 on the 15th, a Wednesday (6 kW, peak).
        var values = Array(repeating: 0.5, count: 31 * 96)
        values[13 * 96 + 3 * 4] = 3
        values[14 * 96 + 17 * 4] = 1.5
        let quote = try pricer.price(Fixtures.request("2025-01-01", "2025-01-31", intervals: IntervalReadings(start: "2025-01-01T00:00", minutes: 15, values: values)))
        let demand = quote.lines.filter { $0.kind == .demand }
        // Flat: 10 kW × 5 + 2 kW × 8 = 66; peak period: 6 kW × 10 = 60.
        #expect(demand.map(\.amount) == [5000, 1600, 0, 6000])
        #expect(demand.map(\.quantity) == [10, 2, 12, 6])

        // A demand register's reading instead: 4 kW × 5.
        let register = try pricer.price(Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 100], demand: ["peak": 4]))
        #expect(register.total(of: .demand) == 2000)
        #expect(throws: PricingRefused("consumption.demand", "the version from 2025-01-01 charges for demand: give the peak")) {
            try pricer.price(Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 100]))
        }
    }

    @Test func aMinimumMakesUpTheShortfall() throws {
        let version = TariffVersion(
            effectiveFrom: "2025-01-01", fixedCharges: [FixedCharge(name: "Service", amount: Fixtures.decimal("5"), per: .month)],
            energy: EnergyCharge(tiers: Fixtures.tiers([(nil, "0.1")])), minimum: MinimumCharge(amount: Fixtures.decimal("20"), per: .month))
        let pricer = try Pricer(tariff: Fixtures.tariff(), versions: [version])
        let small = try pricer.price(Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 10]))
        #expect(small.amount("Minimum charge") == 1400)
        #expect(small.total == 2000)
        let large = try pricer.price(Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 500]))
        #expect(large.amount("Minimum charge") == nil)
        #expect(large.total == 5500)
    }

    @Test func regionFactorThenDiscountThenTaxes() throws {
        let version = TariffVersion(
            effectiveFrom: "2025-01-01", fixedCharges: [FixedCharge(name: "Service", amount: Fixtures.decimal("10"), per: .month)],
            energy: EnergyCharge(tiers: Fixtures.tiers([(nil, "0.5")])),
            regionFactors: [RegionFactor(region: "NORTH", factor: Fixtures.decimal("1.2"), on: [.energy])],
            discounts: [Discount(name: "Senior low-income", percent: Fixtures.decimal("25"), categories: ["senior-low-income"], on: [.fixed, .energy])],
            taxes: [Tax(name: "VAT", percent: Fixtures.decimal("9"), on: [.fixed, .energy]), Tax(name: "Street lighting levy", fixedPerMonth: Fixtures.decimal("1"))])
        let pricer = try Pricer(tariff: Fixtures.tariff(), versions: [version])
        var request = Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 100])
        request.region = "NORTH"
        request.categories = ["senior-low-income"]
        let quote = try pricer.price(request)
        // 10 + 50, north ×1.2 on energy +10, 25 % off fixed (−2.50) and energy (−15),
        // VAT 9 % of 52.50 = 4.725 → 4.73, levy 1.
        #expect(quote.lines.map(\.amount) == [1000, 5000, 1000, -250, -1500, 473, 100])
        #expect(quote.lines.map(\.kind) == [.fixed, .energy, .regionFactor, .discount, .discount, .tax, .tax])
        #expect(quote.total == 5823)

        // Elsewhere and not qualifying: no factor, no discount; VAT on 60 = 5.40.
        let plain = try pricer.price(Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 100]))
        #expect(plain.lines.map(\.amount) == [1000, 5000, 540, 100])
    }
}
