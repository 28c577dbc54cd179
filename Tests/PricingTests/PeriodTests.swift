import Contracts
import Pricing
import Testing

/// Periods across versions and months, and rounding.
@Suite struct PeriodTests {
    /// A version from 16 January: the bill is priced in two parts, fixed charges prorated by
    /// days and the register's consumption shared out by days.
    @Test func aPeriodSpanningTwoVersionsIsSplitByDays() throws {
        let first = TariffVersion(
            effectiveFrom: "2025-01-01", fixedCharges: [FixedCharge(name: "Service", amount: Fixtures.decimal("10"), per: .month)],
            energy: EnergyCharge(tiers: Fixtures.tiers([(nil, "0.10")])))
        var second = first
        second.effectiveFrom = "2025-01-16"
        second.fixedCharges[0].amount = Fixtures.decimal("20")
        second.energy = EnergyCharge(tiers: Fixtures.tiers([(nil, "0.20")]))
        let quote = try Pricer(tariff: Fixtures.tariff(), versions: [second, first]).price(Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 310]))
        #expect(quote.parts == [
            PriceQuote.Part(from: "2025-01-01", to: "2025-01-15", version: "2025-01-01"), PriceQuote.Part(from: "2025-01-16", to: "2025-01-31", version: "2025-01-16"),
        ])
        // 10 × 15/31 = 4.838… → 4.84; 150 kWh × 0.10; 20 × 16/31 = 10.322… → 10.32; 160 kWh × 0.20.
        #expect(quote.lines.map(\.amount) == [484, 1500, 1032, 3200])
        #expect(quote.lines.map(\.part) == [0, 0, 1, 1])
        #expect(quote.total == 6216)
    }

    /// 16 January to 15 February: monthly block limits prorated by each month's days.
    @Test func monthlyBlocksAreProratedByTheDaysOfEachMonth() throws {
        let version = TariffVersion(effectiveFrom: "2025-01-01", energy: EnergyCharge(tiers: Fixtures.tiers([("100", "0.1"), (nil, "0.2")])))
        let quote = try Pricer(tariff: Fixtures.tariff(), versions: [version]).price(Fixtures.request("2025-01-16", "2025-02-15", registers: ["total": 310]))
        // January: 160 kWh, a limit of 100 × 16/31 = 51.612903; February: 150 kWh, 100 × 15/28 = 53.571429.
        #expect(quote.lines.map(\.quantity) == [51.612903, 108.387097, 53.571429, 96.428571])
        #expect(quote.lines.map(\.amount) == [516, 2168, 536, 1929])
    }

    @Test func aPeriodBeforeTheFirstVersionIsRefused() throws {
        let version = TariffVersion(effectiveFrom: "2025-01-01", energy: EnergyCharge(tiers: Fixtures.tiers([(nil, "0.1")])))
        #expect(throws: PricingRefused("from", "no version of tariff E-TEST is in force on 2024-12-31; the first is from 2025-01-01")) {
            try Pricer(tariff: Fixtures.tariff(), versions: [version]).price(Fixtures.request("2024-12-31", "2025-01-30", registers: ["total": 1]))
        }
    }

    /// A fixed charge of 1.005 and 401 kWh at 0.005 (2.005): each mode, per line and per bill.
    @Test(arguments: [
        (Rounding.Mode.halfUp, Rounding.Level.line, [101, 201], 302),
        (.halfEven, .line, [100, 200], 300),
        (.down, .line, [100, 200], 300),
        (.up, .line, [101, 201], 302),
        // Per bill: 3.010 exact is 3.01; the lines shown half-up make 3.02, so a rounding line of −0.01.
        (.halfUp, .bill, [101, 201, -1], 301),
        (.up, .bill, [101, 201, -1], 301),
    ])
    func roundingModes(_ mode: Rounding.Mode, _ level: Rounding.Level, _ amounts: [Int], _ total: Int) throws {
        let version = TariffVersion(
            effectiveFrom: "2025-01-01", fixedCharges: [FixedCharge(name: "Service", amount: Fixtures.decimal("1.005"), per: .month)],
            energy: EnergyCharge(tiers: Fixtures.tiers([(nil, "0.005")])), rounding: Rounding(mode: mode, per: level))
        let quote = try Pricer(tariff: Fixtures.tariff(), versions: [version]).price(Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 401]))
        #expect(quote.lines.map(\.amount) == amounts)
        #expect(quote.total == total)
    }

    @Test func unitPricesKeepTheirDecimals() throws {
        // 0.123456789 a kWh on 1000 kWh is 123.456789 → 123.46; a float would drift over a run.
        let version = TariffVersion(effectiveFrom: "2025-01-01", energy: EnergyCharge(tiers: Fixtures.tiers([(nil, "0.123456789")])))
        let quote = try Pricer(tariff: Fixtures.tariff(), versions: [version]).price(Fixtures.request("2025-01-01", "2025-01-31", registers: ["total": 1000]))
        #expect(quote.lines[0].unitPrice == Fixtures.decimal("0.123456789"))
        #expect(quote.total == 12346)
        #expect(TariffDecimal("0.1234567891") == nil)
        #expect(TariffDecimal("0.0896")?.description == "0.0896")
        #expect(TariffDecimal(0.0896) == TariffDecimal("0.0896"))
    }
}
