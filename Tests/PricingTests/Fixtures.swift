import Contracts
import Foundation
import Pricing

/// Small tariffs whose bills can be worked out by hand.
enum Fixtures {
    static func decimal(_ text: String) -> TariffDecimal { TariffDecimal(text)! }

    static func tariff(code: String = "E-TEST", currency: String = "USD", minorDigits: Int = 2, unit: String = "kWh") -> Tariff {
        Tariff(code: code, name: "Test tariff", utility: .electricity, useType: .residential, region: "CENTRAL", currency: currency, minorDigits: minorDigits, unit: unit)
    }

    static func tiers(_ pairs: [(String?, String)]) -> [Tier] { pairs.map { Tier(upTo: $0.0.map(decimal), price: decimal($0.1)) } }

    /// Every hour of every month in period 0, except weekday hours `peakHours` in period 1.
    static func schedule(peakHours: Range<Int>) -> (weekday: MonthHourSchedule, weekend: MonthHourSchedule) {
        let weekday = Array(repeating: (0..<24).map { peakHours.contains($0) ? 1 : 0 }, count: 12)
        return (weekday, Array(repeating: Array(repeating: 0, count: 24), count: 12))
    }

    static func request(_ from: String, _ to: String, registers: [String: Double] = [:], intervals: IntervalReadings? = nil, demand: [String: Double] = [:])
        -> PriceRequest
    {
        PriceRequest(tariffCode: "E-TEST", from: from, to: to, consumption: Consumption(registers: registers, intervals: intervals, demand: demand))
    }

    /// One value an hour from `start` for `days` days, each hour's value from `value`.
    static func hourly(from start: String, days: Int, _ value: (_ day: Int, _ hour: Int) -> Double) -> IntervalReadings {
        IntervalReadings(start: start + "T00:00", minutes: 60, values: (0..<days * 24).map { value($0 / 24, $0 % 24) })
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func jacksonRecord() throws -> JSONValue {
        // A copy of the record in ../shared/tariffs, kept in the checkout so a clean clone has it.
        let file = repositoryRoot.appendingPathComponent("deploy/tariffs/urdb-jackson-emc-residential-senior.json")
        return try JSONValue.parse(Data(contentsOf: file))
    }
}

extension PriceQuote {
    func amount(_ name: String) -> Int? { lines.first { $0.name == name }?.amount }
}
