import Contracts

/// What makes a tariff or a version unfit to price a bill, each problem naming its field.
extension Tariff {
    public var problems: [FieldProblem] {
        var problems: [FieldProblem] = []
        if !Self.isCode(code) { problems.append(FieldProblem("code", "\"\(code)\" is not a tariff code (1 to 30 letters, digits, - . _)")) }
        if name.allSatisfy(\.isWhitespace) || name.count > 200 { problems.append(FieldProblem("name", "a tariff needs a name of at most 200 characters")) }
        if region.isEmpty || region.count > 20 { problems.append(FieldProblem("region", "a region is 1 to 20 characters")) }
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            problems.append(FieldProblem("currency", "\"\(currency)\" is not an ISO 4217 code such as USD"))
        }
        if !(0...4).contains(minorDigits) { problems.append(FieldProblem("minorDigits", "a currency has 0 to 4 minor digits")) }
        if unit.isEmpty || unit.count > 10 { problems.append(FieldProblem("unit", "a unit of consumption is 1 to 10 characters, such as kWh")) }
        return problems
    }

    static func isCode(_ text: String) -> Bool {
        (1...30).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
    }
}

extension TariffVersion {
    /// The largest fee, price or limit a version takes: with consumption below 10⁸ units, no
    /// bill's reckoning leaves 128 bits.
    public static let largestNumber = TariffDecimal(10_000_000)

    public var problems: [FieldProblem] {
        var problems: [FieldProblem] = []
        func refuse(_ field: String, _ message: String) { problems.append(FieldProblem(field, message)) }
        if let json = try? JSONValue.of(self) {
            for (field, value) in Self.leaves(json) where Self.isEditable(field) && !field.contains("Schedule[") {
                if let number = TariffDecimal(value), number.nanos.magnitude > Self.largestNumber.nanos.magnitude {
                    refuse(field, "\(number) is beyond \(Self.largestNumber), the largest a tariff takes")
                }
            }
        }
        if Day(effectiveFrom) == nil { refuse("effectiveFrom", "\"\(effectiveFrom)\" is not a date YYYY-MM-DD") }
        for (i, charge) in fixedCharges.enumerated() {
            if charge.name.isEmpty { refuse("fixedCharges[\(i)].name", "a charge needs a name") }
            if charge.amount < .zero { refuse("fixedCharges[\(i)].amount", "a fixed charge is not negative") }
        }
        problems += Self.periodProblems(energy.periods, at: "energy.periods")
        problems += Self.scheduleProblems(energy.weekdaySchedule, periods: energy.periods.count, at: "energy.weekdaySchedule")
        problems += Self.scheduleProblems(energy.weekendSchedule, periods: energy.periods.count, at: "energy.weekendSchedule")
        if let flat = demand?.flat {
            problems += Self.periodProblems(flat.periods, at: "demand.flat.periods")
            if flat.months.count != 12 {
                refuse("demand.flat.months", "12 months, each naming a period; there are \(flat.months.count)")
            } else if let month = flat.months.firstIndex(where: { !flat.periods.indices.contains($0) }) {
                refuse("demand.flat.months[\(month)]", "\(flat.months[month]) is not one of the \(flat.periods.count) periods")
            }
        }
        if let timeOfUse = demand?.timeOfUse {
            problems += Self.periodProblems(timeOfUse.periods, at: "demand.timeOfUse.periods")
            problems += Self.scheduleProblems(timeOfUse.weekdaySchedule, periods: timeOfUse.periods.count, at: "demand.timeOfUse.weekdaySchedule")
            problems += Self.scheduleProblems(timeOfUse.weekendSchedule, periods: timeOfUse.periods.count, at: "demand.timeOfUse.weekendSchedule")
        }
        if let demand, demand.flat == nil, demand.timeOfUse == nil { refuse("demand", "a demand charge is flat, by time of use, or both") }
        if let minimum, minimum.amount < .zero { refuse("minimum.amount", "a minimum charge is not negative") }
        var seasonOf: [Int: String] = [:]
        for (i, season) in seasons.enumerated() {
            for month in season.months {
                if !(1...12).contains(month) { refuse("seasons[\(i)].months", "\(month) is not a month 1 to 12") }
                if let other = seasonOf[month] { refuse("seasons[\(i)].months", "month \(month) is already in \(other)") }
                seasonOf[month] = season.name
            }
        }
        if let day = weekendDays.first(where: { !(1...7).contains($0) }) { refuse("weekendDays", "\(day) is not a weekday 1 (Monday) to 7 (Sunday)") }
        for (i, holiday) in holidays.enumerated() where Day(holiday) == nil { refuse("holidays[\(i)]", "\"\(holiday)\" is not a date YYYY-MM-DD") }
        var regions: Set<String> = []
        for (i, factor) in regionFactors.enumerated() {
            if factor.factor <= .zero || factor.factor > TariffDecimal(100) { refuse("regionFactors[\(i)].factor", "a region factor is above 0 and at most 100") }
            if factor.on.isEmpty { refuse("regionFactors[\(i)].on", "name the charges the factor is on") }
            if !regions.insert(factor.region).inserted { refuse("regionFactors[\(i)].region", "region \(factor.region) has a factor already") }
        }
        for (i, discount) in discounts.enumerated() {
            if discount.percent <= .zero || discount.percent > TariffDecimal(100) { refuse("discounts[\(i)].percent", "a discount is above 0 and at most 100 percent") }
            if discount.useTypes.isEmpty && discount.categories.isEmpty { refuse("discounts[\(i)]", "name the use types or customer categories that qualify") }
            if discount.on.isEmpty { refuse("discounts[\(i)].on", "name the charges the discount is on") }
        }
        for (i, tax) in taxes.enumerated() {
            if tax.name.isEmpty { refuse("taxes[\(i)].name", "a tax needs a name") }
            if tax.percent == nil && tax.fixedPerMonth == nil { refuse("taxes[\(i)]", "a tax is a percent, a fixed amount a month, or both") }
            if let percent = tax.percent, percent < .zero || percent > TariffDecimal(100) { refuse("taxes[\(i)].percent", "a tax is 0 to 100 percent") }
            if tax.percent != nil && tax.on.isEmpty { refuse("taxes[\(i)].on", "name the charges the tax is on") }
            if let fixed = tax.fixedPerMonth, fixed < .zero { refuse("taxes[\(i)].fixedPerMonth", "a levy is not negative") }
        }
        return problems
    }

    /// Periods with tiers whose limits rise, the last without a limit.
    static func periodProblems(_ periods: [RatePeriod], at path: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if periods.isEmpty { problems.append(FieldProblem(path, "at least one period")) }
        if periods.count > 32 { problems.append(FieldProblem(path, "at most 32 periods")) }
        for (p, period) in periods.enumerated() {
            let at = "\(path)[\(p)]"
            if period.name.isEmpty { problems.append(FieldProblem("\(at).name", "a period needs a name")) }
            if period.tiers.isEmpty { problems.append(FieldProblem("\(at).tiers", "at least one tier")) }
            var previous = TariffDecimal.zero
            for (t, tier) in period.tiers.enumerated() {
                if let upTo = tier.upTo {
                    if upTo <= previous {
                        problems.append(FieldProblem("\(at).tiers[\(t)].upTo", "tiers increase: \(upTo) is not above \(previous)"))
                    }
                    previous = upTo
                } else if t != period.tiers.count - 1 {
                    problems.append(FieldProblem("\(at).tiers[\(t)].upTo", "only the last tier is without a limit"))
                }
                if tier.price < .zero { problems.append(FieldProblem("\(at).tiers[\(t)].price", "a price is not negative")) }
            }
            if periods[..<p].contains(where: { $0.name == period.name }) {
                problems.append(FieldProblem("\(at).name", "period \(period.name) is named twice"))
            }
        }
        return problems
    }

    /// 12 months of 24 hours, each hour naming a known period.
    static func scheduleProblems(_ schedule: MonthHourSchedule, periods: Int, at path: String) -> [FieldProblem] {
        guard schedule.count == 12 else { return [FieldProblem(path, "12 months of 24 hours; there are \(schedule.count) months")] }
        for (m, hours) in schedule.enumerated() {
            guard hours.count == 24 else { return [FieldProblem("\(path)[\(m)]", "24 hours; there are \(hours.count)")] }
            if let h = hours.firstIndex(where: { !(0..<periods).contains($0) }) {
                return [FieldProblem("\(path)[\(m)][\(h)]", "\(hours[h]) is not one of the \(periods) periods")]
            }
        }
        return []
    }
}
