import Contracts

/// A year of interval data priced month by month, as a tariff analyst compares tariffs: each
/// month's energy, fixed, demand and minimum charges, and an annual minimum made up in December.
public struct YearBill: Sendable, Equatable {
    public struct Month: Sendable, Equatable {
        public var month: Int
        public var energy: Int
        public var fixed: Int
        public var demand: Int
        public var minimum: Int
        /// With region factors, discounts, taxes and rounding.
        public var total: Int
        public var quote: PriceQuote
    }
    public var year: Int
    public var months: [Month]
    public var total: Int { months.reduce(0) { $0 + $1.total } }
}

extension Pricer {
    /// `intervals` cover the whole year from 1 January 00:00.
    public func priceYear(
        _ year: Int, intervals: IntervalReadings, region: String? = nil, useType: UseType? = nil, categories: [String] = []
    ) throws(PricingRefused) -> YearBill {
        guard let start = Minute(intervals.start), start.day == Day(year: year, month: 1, day: 1), start.minuteOfDay == 0 else {
            throw PricingRefused("intervals.start", "a year's data starts on \(year)-01-01 at 00:00")
        }
        guard [5, 10, 15, 30, 60].contains(intervals.minutes) else { throw PricingRefused("intervals.minutes", "intervals are 5, 10, 15, 30 or 60 minutes") }
        let perDay = 1440 / intervals.minutes
        let yearDays = Day.isLeap(year) ? 366 : 365
        guard intervals.values.count == yearDays * perDay else {
            throw PricingRefused("intervals.values", "a year of \(intervals.minutes)-minute data in \(year) is \(yearDays * perDay) values; there are \(intervals.values.count)")
        }
        var months: [YearBill.Month] = []
        var offset = 0
        for month in 1...12 {
            let days = Day.daysIn(year: year, month: month)
            let first = Day(year: year, month: month, day: 1)
            let slice = Array(intervals.values[offset..<offset + days * perDay])
            offset += days * perDay
            let quote = try price(PriceRequest(
                tariffCode: tariff.code, region: region, from: first.description, to: Day(number: first.number + days - 1).description,
                consumption: Consumption(intervals: IntervalReadings(start: first.description + "T00:00", minutes: intervals.minutes, values: slice)),
                useType: useType, categories: categories))
            months.append(YearBill.Month(
                month: month, energy: quote.total(of: .energy), fixed: quote.total(of: .fixed), demand: quote.total(of: .demand),
                minimum: quote.total(of: .minimum), total: quote.total, quote: quote))
        }
        // An annual minimum: what the year's charges fall short of it, on December's bill.
        if let minimum = lists.last(where: { $0.effectiveFrom <= Day(year: year, month: 12, day: 31) })?.version.minimum, minimum.per == .year {
            let least = Reckoning.minor(Reckoning.money(minimum.amount), minorDigits: tariff.minorDigits, .halfUp) ?? 0
            let charged = months.reduce(0) { $0 + $1.energy + $1.fixed + $1.demand + $1.minimum }
            if charged < least {
                months[11].minimum += least - charged
                months[11].total += least - charged
            }
        }
        return YearBill(year: year, months: months)
    }
}

/// A load file: `timestamp,kwh` rows (hourly or every 15 minutes, a header allowed), or one
/// plain value a line (8,760 hourly values for a year that is not a leap year).
public enum LoadFile {
    public static func read(_ text: String, year: Int?) throws(PricingRefused) -> (year: Int, intervals: IntervalReadings) {
        var stamps: [Minute] = []
        var values: [Double] = []
        var lineNumber = 0
        for line in text.split(whereSeparator: \.isNewline) {
            lineNumber += 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
            if fields.allSatisfy(\.isEmpty) { continue }
            guard let value = Double(fields[fields.count - 1]) else {
                if lineNumber == 1 { continue }  // a header
                throw PricingRefused("line \(lineNumber)", "\"\(fields[fields.count - 1])\" is not a number of kWh")
            }
            guard value.isFinite, value >= 0 else { throw PricingRefused("line \(lineNumber)", "\(value) is not a consumption") }
            if fields.count >= 2 {
                guard let stamp = Minute(fields[0]) else { throw PricingRefused("line \(lineNumber)", "\"\(fields[0])\" is not a time YYYY-MM-DD HH:MM") }
                stamps.append(stamp)
            } else if !stamps.isEmpty {
                throw PricingRefused("line \(lineNumber)", "a row without its timestamp among rows with one")
            }
            values.append(value)
        }
        guard !values.isEmpty else { throw PricingRefused("load", "the file has no values") }
        if stamps.isEmpty {
            let chosen = year ?? 2023
            let days = Day.isLeap(chosen) ? 366 : 365
            guard values.count == days * 24 || values.count == days * 96 else {
                throw PricingRefused("load", "\(values.count) plain values are not a year of \(chosen) (\(days * 24) hourly or \(days * 96) quarter-hourly)")
            }
            return (chosen, IntervalReadings(start: "\(chosen)-01-01T00:00", minutes: values.count == days * 24 ? 60 : 15, values: values))
        }
        guard stamps.count >= 2 else { throw PricingRefused("load", "a year of data has more than one row") }
        let step = (stamps[1].day.number - stamps[0].day.number) * 1440 + stamps[1].minuteOfDay - stamps[0].minuteOfDay
        guard step == 60 || step == 15 else { throw PricingRefused("line 2", "rows are hourly or every 15 minutes; these are \(step) minutes apart") }
        for i in 1..<stamps.count {
            let gap = (stamps[i].day.number - stamps[i - 1].day.number) * 1440 + stamps[i].minuteOfDay - stamps[i - 1].minuteOfDay
            if gap != step { throw PricingRefused("row \(i + 1)", "\(stamps[i].day) is \(gap) minutes after the row before; every row is \(step)") }
        }
        let first = stamps[0].day.civil
        if let year, year != first.year { throw PricingRefused("year", "the file's data is of \(first.year), not \(year)") }
        let time = Day.pad(stamps[0].minuteOfDay / 60, 2) + ":" + Day.pad(stamps[0].minuteOfDay % 60, 2)
        return (first.year, IntervalReadings(start: "\(stamps[0].day)T\(time)", minutes: step, values: values))
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" || $0 == "\"" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\"" }.reversed())
    }
}
