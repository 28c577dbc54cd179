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
    var days: Int { last.number - first.number + 1 }
}

/// What a part consumed: energy by period, peaks by demand period, in millionths.
struct PartUsage {
    var energy: [Int64]
    var flatPeak: [Int64]
    var timeOfUsePeak: [Int64]

    init(_ list: PriceList) {
        energy = Array(repeating: 0, count: list.energy.count)
        flatPeak = Array(repeating: 0, count: list.flatDemand?.periods.count ?? 0)
        timeOfUsePeak = Array(repeating: 0, count: list.timeOfUseDemand?.periods.count ?? 0)
    }
}

extension Pricer {
    func parts(from: Day, to: Day) throws(PricingRefused) -> [BillingPart] {
        guard var version = lists.lastIndex(where: { $0.effectiveFrom <= from }) else {
            throw PricingRefused("from", "no version of tariff \(tariff.code) is in force on \(from); the first is from \(lists[0].effectiveFrom)")
        }
        var parts: [BillingPart] = []
        var day = from
        while day <= to {
            while version + 1 < lists.count, lists[version + 1].effectiveFrom <= day { version += 1 }
            let (year, month, dayOfMonth) = day.civil
            let monthDays = Day.daysIn(year: year, month: month)
            var last = Swift.min(to, Day(number: day.number + monthDays - dayOfMonth))
            if version + 1 < lists.count { last = Swift.min(last, Day(number: lists[version + 1].effectiveFrom.number - 1)) }
            parts.append(BillingPart(list: version, first: day, last: last, month: month, monthDays: monthDays, yearDays: Day.isLeap(year) ? 366 : 365))
            day = Day(number: last.number + 1)
        }
        return parts
    }

    /// Each part's consumption: intervals where there are, else register totals shared out by days.
    func usage(_ consumption: Consumption, _ parts: [BillingPart]) throws(PricingRefused) -> [PartUsage] {
        var usage = parts.map { PartUsage(lists[$0.list]) }
        if let intervals = consumption.intervals {
            try add(intervals, parts, &usage)
        } else {
            guard !consumption.registers.isEmpty else { throw PricingRefused("consumption", "give register totals or interval readings") }
            for (name, value) in consumption.registers.sorted(by: { $0.key < $1.key }) {
                try add(register: name, value, parts, &usage)
            }
        }
        try addDemandRegisters(consumption.demand, parts, &usage)
        return usage
    }

    private func add(_ intervals: IntervalReadings, _ parts: [BillingPart], _ usage: inout [PartUsage]) throws(PricingRefused) {
        guard let start = Minute(intervals.start) else {
            throw PricingRefused("consumption.intervals.start", "\"\(intervals.start)\" is not a time YYYY-MM-DDTHH:MM")
        }
        guard [5, 10, 15, 30, 60].contains(intervals.minutes), start.minuteOfDay % intervals.minutes == 0 else {
            throw PricingRefused("consumption.intervals.minutes", "intervals are 5, 10, 15, 30 or 60 minutes, starting on the interval")
        }
        let perHour = Int64(60 / intervals.minutes)
        var part = 0
        var currentDay = Int.min
        var scheduleBase = 0  // hourIndex of hour 0 on the current day
        var list = lists[parts[0].list]
        for (i, value) in intervals.values.enumerated() {
            guard value.isFinite, value >= 0, value < 1e9 else {
                throw PricingRefused("consumption.intervals.values[\(i)]", "\(value) is not a consumption (a number from 0)")
            }
            let minute = start.minuteOfDay + i * intervals.minutes
            let dayNumber = start.day.number + minute / 1440
            if dayNumber != currentDay {
                currentDay = dayNumber
                while part < parts.count, parts[part].last.number < dayNumber { part += 1 }
                guard dayNumber >= parts[0].first.number, part < parts.count else {
                    throw PricingRefused("consumption.intervals.values[\(i)]", "falls on \(Day(number: dayNumber)), outside the period \(parts[0].first) to \(parts[parts.count - 1].last)")
                }
                list = lists[parts[part].list]
                scheduleBase = PriceList.hourIndex(weekend: list.isWeekend(Day(number: dayNumber)), month: parts[part].month, hour: 0)
            }
            let hourIndex = scheduleBase + (minute % 1440) / 60
            let energy = Reckoning.micro(value)
            usage[part].energy[Int(list.energySchedule[hourIndex])] += energy
            let demand = energy * perHour
            if let flat = list.flatDemand {
                let period = Int(flat.schedule[hourIndex])
                if demand > usage[part].flatPeak[period] { usage[part].flatPeak[period] = demand }
            }
            if let timeOfUse = list.timeOfUseDemand {
                let period = Int(timeOfUse.schedule[hourIndex])
                if demand > usage[part].timeOfUsePeak[period] { usage[part].timeOfUsePeak[period] = demand }
            }
        }
    }

    /// A register's total shared out by days, the parts' shares summing to the total exactly.
    private func add(register name: String, _ value: Double, _ parts: [BillingPart], _ usage: inout [PartUsage]) throws(PricingRefused) {
        let field = "consumption.registers.\(name)"
        guard value.isFinite, value >= 0, value < 1e9 else { throw PricingRefused(field, "\(value) is not a consumption (a number from 0)") }
        let total = Reckoning.micro(value)
        let allDays = parts.reduce(0) { $0 + $1.days }
        var daysSoFar = 0
        var given: Int64 = 0
        for (index, part) in parts.enumerated() {
            daysSoFar += part.days
            let upToHere = Int64(Reckoning.divide(Exact(total) * Exact(daysSoFar), Exact(allDays), .halfEven))
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
            usage[index].energy[period] += share
        }
    }

    /// A demand register's peak: `peak` is the month's, any other name a demand period's.
    private func addDemandRegisters(_ demand: [String: Double], _ parts: [BillingPart], _ usage: inout [PartUsage]) throws(PricingRefused) {
        for (name, value) in demand.sorted(by: { $0.key < $1.key }) {
            let field = "consumption.demand.\(name)"
            guard value.isFinite, value >= 0, value < 1e9 else { throw PricingRefused(field, "\(value) is not a demand in kW (a number from 0)") }
            for (index, part) in parts.enumerated() {
                let list = lists[part.list]
                if name == "peak" {
                    if list.flatDemand != nil {
                        let period = Int(list.flatDemand!.schedule[PriceList.hourIndex(weekend: false, month: part.month, hour: 0)])
                        usage[index].flatPeak[period] = Reckoning.micro(value)
                    }
                } else if let timeOfUse = list.timeOfUseDemand, let period = timeOfUse.periods.firstIndex(where: { $0.name == name }) {
                    usage[index].timeOfUsePeak[period] = Reckoning.micro(value)
                } else {
                    throw PricingRefused(field, "the version from \(list.effectiveFrom) has no demand period \(name)")
                }
            }
        }
    }
}
