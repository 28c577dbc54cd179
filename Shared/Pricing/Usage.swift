import Contracts

/// A billing period cut where a calendar month or a tariff version ends: each part is priced by
/// its own version, and monthly amounts are prorated by its days of its month.
struct BillingPart {
    let list: Int
    let first: Day
    let last: Day
    let month: Int
    let monthDays: Int
    let yearDays: Int
    /// Where its sums start in the bill's usage: energy by period, then flat and time-of-use peaks.
    let energyAt: Int
    let flatPeakAt: Int
    let timeOfUsePeakAt: Int
    var days: Int { last.number - first.number + 1 }
}

/// A bill's parts, on the stack: an array of them a bill was an allocation.
typealias BillingParts = UnsafeBufferPointer<BillingPart>

extension Pricer {
    /// A register map's entries in any order while all is well (no sort a bill); a refusal
    /// names the first wrong entry by name, whatever order the map has.
    static func each(_ entries: [String: Double], _ body: (String, Double) throws(PricingRefused) -> Void) throws(PricingRefused) {
        do {
            for (name, value) in entries { try body(name, value) }
        } catch {
            for (name, value) in entries.sorted(by: { $0.key < $1.key }) { try body(name, value) }
            throw error
        }
    }

    /// The most parts a period of at most a year can have: 13 calendar months, and a cut for
    /// each version that starts within it.
    var mostParts: Int { 13 + lists.count }

    /// The parts, written into `space` (of `mostParts`), and the size of the usage buffer they share.
    func parts(from: Day, to: Day, into space: UnsafeMutableBufferPointer<BillingPart>) throws(PricingRefused) -> (parts: BillingParts, usage: Int) {
        guard var version = lists.lastIndex(where: { $0.effectiveFrom <= from }) else {
            throw PricingRefused("from", "no version of tariff \(tariff.code) is in force on \(from); the first is from \(lists[0].effectiveFrom)")
        }
        var count = 0
        var usage = 0
        var day = from
        while day <= to {
            while version + 1 < lists.count, lists[version + 1].effectiveFrom <= day { version += 1 }
            let (year, month, dayOfMonth) = day.civil
            let monthDays = Day.daysIn(year: year, month: month)
            var last = Swift.min(to, Day(number: day.number + monthDays - dayOfMonth))
            if version + 1 < lists.count { last = Swift.min(last, Day(number: lists[version + 1].effectiveFrom.number - 1)) }
            let list = lists[version]
            guard count < space.count, let base = space.baseAddress else {
                throw PricingRefused("to", "the period has more parts than a year can have: a fault in pricing, reported rather than billed")
            }
            count += 1
            (base + count - 1).initialize(to: BillingPart(
                list: version, first: day, last: last, month: month, monthDays: monthDays, yearDays: Day.isLeap(year) ? 366 : 365,
                energyAt: usage, flatPeakAt: usage + list.energy.count, timeOfUsePeakAt: usage + list.energy.count + list.flatPeriods))
            usage += list.energy.count + list.flatPeriods + list.timeOfUsePeriods
            day = Day(number: last.number + 1)
        }
        return (UnsafeBufferPointer(rebasing: space[..<count]), usage)
    }

    /// Each part's consumption in millionths: intervals where there are, else register totals
    /// shared out by days.
    /// `usage` is the bill's own buffer, on the stack, of the size `parts` gave, all zero.
    func add(_ consumption: Consumption, _ parts: BillingParts, to usage: UnsafeMutableBufferPointer<Int64>) throws(PricingRefused) {
        if let intervals = consumption.intervals {
            try add(intervals, parts, usage)
        } else {
            guard !consumption.registers.isEmpty else { throw PricingRefused("consumption", "give register totals or interval readings") }
            try Self.each(consumption.registers) { (name, value) throws(PricingRefused) in try add(register: name, value, parts, usage) }
        }
        try addDemandRegisters(consumption.demand, parts, usage)
    }

    private func add(_ intervals: IntervalReadings, _ parts: BillingParts, _ usage: UnsafeMutableBufferPointer<Int64>) throws(PricingRefused) {
        guard let start = Minute(intervals.start) else {
            throw PricingRefused("consumption.intervals.start", "\"\(intervals.start)\" is not a time YYYY-MM-DDTHH:MM")
        }
        guard [5, 10, 15, 30, 60].contains(intervals.minutes), start.minuteOfDay % intervals.minutes == 0 else {
            throw PricingRefused("consumption.intervals.minutes", "intervals are 5, 10, 15, 30 or 60 minutes, starting on the interval")
        }
        let values = intervals.values
        // Checked first, so the loop that sums them is a tight one (a NaN fails `>=`).
        for (i, value) in values.enumerated() where !(value >= 0 && value < 1e8) {
            throw PricingRefused("consumption.intervals.values[\(i)]", "\(value) is not a consumption (a number from 0, below 100,000,000)")
        }
        let perDay = 1440 / intervals.minutes
        let lastDay = start.day.number + (start.minuteOfDay + (values.count - 1) * intervals.minutes) / 1440
        if start.day < parts[0].first || lastDay > parts[parts.count - 1].last.number {
            let outside = values.indices.first { i in
                let day = start.day.number + (start.minuteOfDay + i * intervals.minutes) / 1440
                return day < parts[0].first.number || day > parts[parts.count - 1].last.number
            } ?? 0
            throw PricingRefused(
                "consumption.intervals.values[\(outside)]", "falls outside the period \(parts[0].first) to \(parts[parts.count - 1].last)")
        }
        let perHour = Int64(60 / intervals.minutes)
        var part = 0
        var i = 0
        var dayNumber = start.day.number
        var firstMinute = start.minuteOfDay
        values.withUnsafeBufferPointer { values in
            while i < values.count {
                while parts[part].last.number < dayNumber { part += 1 }
                let at = parts[part]
                let list = lists[at.list]
                let base = PriceList.hourIndex(weekend: list.isWeekend(Day(number: dayNumber)), month: at.month, hour: 0)
                let flatPeriod = list.flatDemand.map { at.flatPeakAt + Int($0.schedule[base]) }
                let dayEnd = Swift.min(values.count, i + (perDay - firstMinute / intervals.minutes))
                var minute = firstMinute
                list.energySchedule.withUnsafeBufferPointer { energySchedule in
                    list.timeOfUseSchedule.withUnsafeBufferPointer { timeOfUseSchedule in
                        while i < dayEnd {
                            let hourIndex = base + minute / 60
                            let micro = Int64(values[i] * 1e6 + 0.5)
                            usage[at.energyAt + Int(energySchedule[hourIndex])] += micro
                            let demand = micro * perHour
                            if let flatPeriod, demand > usage[flatPeriod] { usage[flatPeriod] = demand }
                            if !timeOfUseSchedule.isEmpty {
                                let period = at.timeOfUsePeakAt + Int(timeOfUseSchedule[hourIndex])
                                if demand > usage[period] { usage[period] = demand }
                            }
                            i += 1
                            minute += intervals.minutes
                        }
                    }
                }
                dayNumber += 1
                firstMinute = 0
            }
        }
    }

    /// A register's total shared out by days, the parts' shares summing to the total exactly.
    private func add(register name: String, _ value: Double, _ parts: BillingParts, _ usage: UnsafeMutableBufferPointer<Int64>) throws(PricingRefused) {
        // Named only when refused: a string made for every register of every bill costs more than the bill.
        var field: String { "consumption.registers.\(name)" }
        guard value >= 0, value < 1e8 else { throw PricingRefused(field, "\(value) is not a consumption (a number from 0, below 100,000,000)") }
        let total = Reckoning.micro(value)
        let allDays = parts[parts.count - 1].last.number - parts[0].first.number + 1
        var daysSoFar = 0
        var given: Int64 = 0
        for part in parts {
            daysSoFar += part.days
            let upToHere = parts.count == 1 ? total : Reckoning.share(total, Int64(daysSoFar), Int64(allDays))
            let share = upToHere - given
            given = upToHere
            let list = lists[part.list]
            let period: Int
            if name == "total" {
                let used = list.energyPeriodsByMonth[part.month - 1]
                guard used.count == 1 else {
                    throw PricingRefused(field, "the tariff has time-of-use periods in month \(part.month) (\(used.map { list.energy[$0].name }.joined(separator: ", "))): give a register for each")
                }
                period = used[0]
            } else {
                guard let found = list.energy.firstIndex(where: { $0.name == name }) else {
                    throw PricingRefused(field, "the version from \(list.effectiveFrom) has no period \(name); its periods: \(list.energy.map(\.name).joined(separator: ", "))")
                }
                period = found
            }
            usage[part.energyAt + period] += share
        }
    }

    /// A demand register's peak: `peak` is the month's, any other name a demand period's.
    private func addDemandRegisters(_ demand: [String: Double], _ parts: BillingParts, _ usage: UnsafeMutableBufferPointer<Int64>) throws(PricingRefused) {
        try Self.each(demand) { (name, value) throws(PricingRefused) in
            var field: String { "consumption.demand.\(name)" }
            guard value >= 0, value < 1e8 else { throw PricingRefused(field, "\(value) is not a demand in kW (a number from 0, below 100,000,000)") }
            for part in parts {
                let list = lists[part.list]
                if name == "peak" {
                    if let flat = list.flatDemand {
                        usage[part.flatPeakAt + Int(flat.schedule[PriceList.hourIndex(weekend: false, month: part.month, hour: 0)])] = Reckoning.micro(value)
                    }
                } else if let period = list.timeOfUseDemand?.periods.firstIndex(where: { $0.name == name }) {
                    usage[part.timeOfUsePeakAt + period] = Reckoning.micro(value)
                } else {
                    throw PricingRefused(field, "the version from \(list.effectiveFrom) has no demand period \(name)")
                }
            }
        }
    }
}
