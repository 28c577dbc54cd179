import Contracts

/// The OpenEI Utility Rate Database's JSON record, the public record of thousands of real
/// tariffs: read into a tariff and its version, and written back from them. Fields URDB has
/// and pricing does not use (`eiaid`, `dgrules`, `label`) are kept in the tariff's references.
public enum URDB {
    /// The record, as the API answers (`{"items": [record]}`) or a bare record.
    public static func read(_ json: JSONValue, code: String? = nil, region: String = "US") throws(PricingRefused) -> (Tariff, TariffVersion) {
        var record = Fields(json, path: "")
        if case .array(let items)? = record.value("items") {
            guard items.count == 1 else { throw PricingRefused("items", "one record at a time; there are \(items.count)") }
            record = Fields(items[0], path: "items[0].")
        }
        guard record.isObject else { throw PricingRefused("items[0]", "a URDB record is a JSON object") }
        var references: [String: String] = [:]
        for key in ["label", "sector", "dgrules", "demandrateunit"] { if let text = record.text(key) { references[key] = text } }
        if let eia = record.number("eiaid") { references["eiaid"] = String(Int(eia)) }
        let sector = record.text("sector") ?? "Residential"
        guard let useType = sectors[sector] else {
            throw PricingRefused(record.path + "sector", "\"\(sector)\" is not a URDB sector (\(sectors.keys.sorted().joined(separator: ", ")))")
        }
        guard let tariffCode = code ?? record.text("label") else { throw PricingRefused(record.path + "label", "the record has no label: give the tariff a code") }
        let tariff = Tariff(
            code: tariffCode, name: record.text("name") ?? tariffCode, provider: record.text("utility") ?? "", utility: .electricity, useType: useType,
            region: region, currency: "USD", minorDigits: 2, unit: "kWh", references: references)

        let effectiveFrom: String
        switch record.value("startdate") {
        case .string(let text)?:
            guard let day = Day(text.prefix(10)) else { throw PricingRefused(record.path + "startdate", "\"\(text)\" is not a date") }
            effectiveFrom = day.description
        case .number(let seconds)?: effectiveFrom = Day(number: Int((seconds / 86_400).rounded(.down))).description
        default: throw PricingRefused(record.path + "startdate", "a tariff's record says from when it is in force")
        }

        var fixed: [FixedCharge] = []
        if let amount = try record.decimal("fixedchargefirstmeter"), amount != .zero {
            let units = record.text("fixedchargeunits") ?? "$/month"
            guard let per = fixedUnits[units] else { throw PricingRefused(record.path + "fixedchargeunits", "\"\(units)\" is not one of \(fixedUnits.keys.sorted())") }
            fixed.append(FixedCharge(name: "Fixed charge", amount: amount, per: per))
        }

        let (periods, basis) = try record.structure("energyratestructure", energy: true)
        guard !periods.isEmpty else { throw PricingRefused(record.path + "energyratestructure", "the record prices no energy") }
        let energy = EnergyCharge(
            tierBasis: basis, periods: periods, weekdaySchedule: try record.schedule("energyweekdayschedule"),
            weekendSchedule: try record.schedule("energyweekendschedule"))

        var demand = DemandCharge()
        let (flat, _) = try record.structure("flatdemandstructure", energy: false)
        if !flat.isEmpty {
            guard case .array(let months)? = record.value("flatdemandmonths") else {
                throw PricingRefused(record.path + "flatdemandmonths", "a flat demand structure needs its 12 months")
            }
            demand.flat = DemandCharge.Flat(periods: flat, months: months.map { if case .number(let n) = $0 { Int(n) } else { -1 } })
        }
        let (timeOfUse, _) = try record.structure("demandratestructure", energy: false)
        if !timeOfUse.isEmpty {
            demand.timeOfUse = DemandCharge.TimeOfUse(
                periods: timeOfUse, weekdaySchedule: try record.schedule("demandweekdayschedule"), weekendSchedule: try record.schedule("demandweekendschedule"))
        }

        var minimum: MinimumCharge?
        if let amount = try record.decimal("mincharge"), amount != .zero {
            let units = record.text("minchargeunits") ?? "$/month"
            guard let per = minimumUnits[units] else { throw PricingRefused(record.path + "minchargeunits", "\"\(units)\" is not one of \(minimumUnits.keys.sorted())") }
            minimum = MinimumCharge(amount: amount, per: per)
        }

        let version = TariffVersion(
            effectiveFrom: effectiveFrom, fixedCharges: fixed, energy: energy, demand: demand.flat == nil && demand.timeOfUse == nil ? nil : demand,
            minimum: minimum)
        let problems = tariff.problems + version.problems
        guard problems.isEmpty else { throw PricingRefused(problems) }
        return (tariff, version)
    }

    /// The record URDB's API would answer for this tariff version, `{"items": [record]}`.
    public static func record(_ tariff: Tariff, _ version: TariffVersion) -> JSONValue {
        var record: [String: JSONValue] = [
            "name": .string(tariff.name), "utility": .string(tariff.provider), "startdate": .string(version.effectiveFrom + " 00:00:00"),
            "sector": .string(tariff.references["sector"] ?? sectors.first { $0.value == tariff.useType }?.key ?? "Commercial"),
        ]
        for key in ["label", "dgrules", "demandrateunit"] { if let text = tariff.references[key] { record[key] = .string(text) } }
        if let eia = tariff.references["eiaid"].flatMap(Double.init) { record["eiaid"] = .number(eia) }
        if let charge = version.fixedCharges.first {
            record["fixedchargefirstmeter"] = .number(charge.amount.doubleValue)
            record["fixedchargeunits"] = .string(fixedUnits.first { $0.value == charge.per }?.key ?? "$/month")
        }
        let energyUnit = version.energy.tierBasis == .day ? "kWh daily" : "kWh"
        record["energyratestructure"] = structure(version.energy.periods, unit: energyUnit)
        record["energyweekdayschedule"] = schedule(version.energy.weekdaySchedule)
        record["energyweekendschedule"] = schedule(version.energy.weekendSchedule)
        if let flat = version.demand?.flat {
            record["flatdemandstructure"] = structure(flat.periods, unit: nil)
            record["flatdemandmonths"] = .array(flat.months.map { .number(Double($0)) })
        }
        if let timeOfUse = version.demand?.timeOfUse {
            record["demandratestructure"] = structure(timeOfUse.periods, unit: nil)
            record["demandweekdayschedule"] = schedule(timeOfUse.weekdaySchedule)
            record["demandweekendschedule"] = schedule(timeOfUse.weekendSchedule)
        }
        if let minimum = version.minimum {
            record["mincharge"] = .number(minimum.amount.doubleValue)
            record["minchargeunits"] = .string(minimumUnits.first { $0.value == minimum.per }?.key ?? "$/month")
        }
        return .object(["items": .array([.object(record)])])
    }

    static let sectors: [String: UseType] = ["Residential": .residential, "Commercial": .commercial, "Industrial": .industrial, "Lighting": .public]
    static let fixedUnits: [String: FixedCharge.Basis] = ["$/month": .month, "$/day": .day, "$/year": .year]
    static let minimumUnits: [String: MinimumCharge.Basis] = ["$/month": .month, "$/day": .day, "$/year": .year]

    private static func structure(_ periods: [RatePeriod], unit: String?) -> JSONValue {
        .array(periods.map { period in
            .array(period.tiers.map { tier in
                var entry: [String: JSONValue] = ["rate": .number(tier.price.doubleValue)]
                if let upTo = tier.upTo { entry["max"] = .number(upTo.doubleValue) }
                if tier.adjustment != .zero { entry["adj"] = .number(tier.adjustment.doubleValue) }
                if let unit { entry["unit"] = .string(unit) }
                return .object(entry)
            })
        })
    }

    private static func schedule(_ schedule: MonthHourSchedule) -> JSONValue { .array(schedule.map { .array($0.map { .number(Double($0)) }) }) }
}

/// A record's fields, each refusal naming its path.
private struct Fields {
    let object: [String: JSONValue]?
    let path: String
    init(_ value: JSONValue, path: String) {
        if case .object(let object) = value { self.object = object } else { object = nil }
        self.path = path
    }
    var isObject: Bool { object != nil }
    func value(_ key: String) -> JSONValue? { object?[key].flatMap { $0 == .null ? nil : $0 } }
    func text(_ key: String) -> String? { if case .string(let text)? = value(key) { text } else { nil } }
    func number(_ key: String) -> Double? { if case .number(let n)? = value(key) { n } else { nil } }

    func decimal(_ key: String) throws(PricingRefused) -> TariffDecimal? {
        guard let entry = value(key) else { return nil }
        return try Self.decimal(entry, at: path + key)
    }

    static func decimal(_ value: JSONValue, at field: String) throws(PricingRefused) -> TariffDecimal {
        switch value {
        case .number(let n): if let d = TariffDecimal(n) { return d }
        case .string(let s): if let d = TariffDecimal(s) { return d }
        default: break
        }
        throw PricingRefused(field, "\(value) is not a number")
    }

    /// URDB's periods of tiers: `[[{"max": 650, "rate": 0.0896, "adj": 0, "unit": "kWh"}]]`.
    func structure(_ key: String, energy: Bool) throws(PricingRefused) -> ([RatePeriod], EnergyCharge.TierBasis) {
        guard let entry = value(key) else { return ([], .month) }
        guard case .array(let periods) = entry else { throw PricingRefused(path + key, "a list of periods, each a list of tiers") }
        var basis: EnergyCharge.TierBasis?
        var result: [RatePeriod] = []
        for (p, period) in periods.enumerated() {
            guard case .array(let tiers) = period else { throw PricingRefused("\(path)\(key)[\(p)]", "a period is a list of tiers") }
            var parsed: [Tier] = []
            for (t, tier) in tiers.enumerated() {
                let at = "\(path)\(key)[\(p)][\(t)]"
                guard case .object(let fields) = tier else { throw PricingRefused(at, "a tier is an object with rate and max") }
                guard let rate = fields["rate"] else { throw PricingRefused(at + ".rate", "a tier needs its rate") }
                let upTo = try fields["max"].flatMap { $0 == .null ? nil : $0 }.map { v throws(PricingRefused) in try Self.decimal(v, at: at + ".max") }
                let adjustment = try fields["adj"].map { v throws(PricingRefused) in try Self.decimal(v, at: at + ".adj") } ?? .zero
                if energy {
                    let unit: String = if case .string(let u)? = fields["unit"] { u } else { "kWh" }
                    let tierBasis: EnergyCharge.TierBasis
                    switch unit {
                    case "kWh": tierBasis = .month
                    case "kWh daily": tierBasis = .day
                    default: throw PricingRefused(at + ".unit", "\"\(unit)\" tiers are not priced here; kWh (a month) and kWh daily are")
                    }
                    if let basis, basis != tierBasis { throw PricingRefused(at + ".unit", "every tier of a record has the same unit") }
                    basis = tierBasis
                }
                parsed.append(Tier(upTo: upTo, price: try Self.decimal(rate, at: at + ".rate"), adjustment: adjustment))
            }
            result.append(RatePeriod(name: "period \(p + 1)", tiers: parsed))
        }
        return (result, basis ?? .month)
    }

    func schedule(_ key: String) throws(PricingRefused) -> MonthHourSchedule {
        guard case .array(let months)? = value(key) else { throw PricingRefused(path + key, "12 months of 24 period indices") }
        return try months.enumerated().map { (m, month) throws(PricingRefused) in
            guard case .array(let hours) = month else { throw PricingRefused("\(path)\(key)[\(m)]", "24 period indices") }
            return try hours.enumerated().map { (h, hour) throws(PricingRefused) in
                guard case .number(let n) = hour, n == n.rounded(), n >= 0, n < 1000 else {
                    throw PricingRefused("\(path)\(key)[\(m)][\(h)]", "\(hour) is not a period index")
                }
                return Int(n)
            }
        }
    }
}
