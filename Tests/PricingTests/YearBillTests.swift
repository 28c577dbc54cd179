import Contracts
import Pricing
import Testing

@Suite struct YearBillTests {
    @Test func aYearOfHourlyDataIsPricedMonthByMonth() throws {
        let (tariff, version) = try URDB.read(try Fixtures.jacksonRecord())
        let text = Array(repeating: "1.5", count: 8760).joined(separator: "\n")
        let (year, intervals) = try LoadFile.read(text, year: nil)
        #expect(year == 2023 && intervals.minutes == 60)
        let bill = try Pricer(tariff: tariff, versions: [version]).priceYear(year, intervals: intervals)
        // January 2023: 744 h × 1.5 = 1,116 kWh: 58.24 + 29.085 + 116 × 0.0821 (9.5236); rounded per line.
        #expect(bill.months[0].energy == 5824 + 2909 + 952)
        #expect(bill.months[0].fixed == 550)
        #expect(bill.months.map(\.month) == Array(1...12))
        // July 2023 at summer prices: 1,116 kWh: 58.24 + 350 × 0.1121 (39.235 → 39.24) + 116 × 0.1181 (13.6996 → 13.70), plus 5.50.
        #expect(bill.months[6].total == 550 + 5824 + 3924 + 1370)
        // February 2023: 672 h × 1.5 = 1,008 kWh: 58.24 + 29.09 + 8 × 0.0821 (0.66), plus 5.50.
        #expect(bill.months[1].total == 550 + 5824 + 2909 + 66)
    }

    @Test func anAnnualMinimumIsMadeUpInDecember() throws {
        let version = TariffVersion(
            effectiveFrom: "2020-01-01", energy: EnergyCharge(tiers: Fixtures.tiers([(nil, "0.1")])), minimum: MinimumCharge(amount: Fixtures.decimal("100"), per: .year))
        let intervals = IntervalReadings(start: "2023-01-01T00:00", minutes: 60, values: Array(repeating: 0.1, count: 8760))
        let bill = try Pricer(tariff: Fixtures.tariff(), versions: [version]).priceYear(2023, intervals: intervals)
        // 876 kWh × 0.10 = 87.60 over the year (rounded month by month), 12.40 short of 100.
        #expect(bill.total == 10000)
        #expect(bill.months[11].minimum == 10000 - bill.months.reduce(0) { $0 + $1.energy })
    }

    @Test func loadFilesWithTimestamps() throws {
        let rows = (0..<(8784 * 4)).map { i -> String in
            let day = i / 96, minute = (i % 96) * 15
            let date = Day(number: Day(year: 2024, month: 1, day: 1).number + day)
            return "\(date) \(minute / 60 < 10 ? "0" : "")\(minute / 60):\(minute % 60 < 10 ? "0" : "")\(minute % 60),0.25"
        }
        let (year, intervals) = try LoadFile.read("timestamp,kwh\n" + rows.joined(separator: "\n"), year: 2024)
        #expect(year == 2024 && intervals.minutes == 15 && intervals.values.count == 8784 * 4)
        var gap = rows
        gap.remove(at: 100)
        #expect(throws: PricingRefused.self) { try LoadFile.read(gap.joined(separator: "\n"), year: nil) }
        #expect(throws: PricingRefused("load", "8760 plain values are not a year of 2024 (8784 hourly or 35136 quarter-hourly)")) {
            try LoadFile.read(Array(repeating: "1", count: 8760).joined(separator: "\n"), year: 2024)
        }
    }

    @Test func daysAreCivilDates() {
        #expect(Day("2024-02-29")?.description == "2024-02-29")
        #expect(Day("2023-02-29") == nil)
        #expect(Day("2025-01-01")?.weekday == 3)
        #expect(Day(year: 1970, month: 1, day: 1).number == 0)
        #expect(Day(number: 20_000).description == "2024-10-04")
    }
}
