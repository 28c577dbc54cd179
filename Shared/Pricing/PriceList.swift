import Contracts

/// A version made ready to price many bills: schedules flattened, limits in millionths, line
/// names made once, shared by every bill it prices (a class: one reference, not a copy, each
/// time a part looks it up). Built from a version that `TariffVersion.problems` passed.
final class PriceList: Sendable {
    struct Block: Sendable {
        /// Cumulative, in millionths; `Int64.max` on the last.
        let limit: Int64
        let price: TariffDecimal
        let name: String
    }
    struct Period: Sendable {
        let name: String
        let blocks: [Block]
    }
    /// A demand charge's periods and which one each hour is in.
    struct Demand: Sendable {
        let periods: [Period]
        /// `hourIndex` → period; the flat charge's is the same for every hour of a month.
        let schedule: [UInt8]
    }

    let version: TariffVersion
    let effectiveFrom: Day
    /// The version's parts a bill reads, each its own field: reading one out of `version`
    /// would copy the whole struct (a retain for each of its arrays) on every bill.
    let effectiveFromText: String
    let fixedCharges: [FixedCharge]
    let regionFactors: [RegionFactor]
    let minimum: MinimumCharge?
    let discounts: [Discount]
    let taxes: [Tax]
    let rounding: Rounding
    let chargesDemand: Bool
    /// The tariff's unit of consumption, for the energy lines.
    let unit: String
    let energy: [Period]
    let energySchedule: [UInt8]
    /// The energy periods each month's hours use (index 0 is January).
    let energyPeriodsByMonth: [[Int]]
    let flatDemand: Demand?
    let timeOfUseDemand: Demand?
    let weekend: [Bool]
    let holidays: Set<Int>
    /// Line names, by region factor or discount and then by `ChargeKind` order, and by tax.
    let regionFactorNames: [[String]]
    let discountNames: [[String]]
    let taxNames: [String]
    let taxOn: [ChargeMask]
    /// The most lines a part priced by it can have (a line per block of each period, a region
    /// factor and each discount on every kind, each tax twice, the minimum): a bill writes its
    /// lines into space reserved at once, and refuses to write beyond it.
    let mostLines: Int
    let dailyTiers: Bool
    let flatPeriods: Int
    let timeOfUsePeriods: Int
    /// The time-of-use demand's schedule, empty without one.
    let timeOfUseSchedule: [UInt8]

    /// Where an hour is in a flattened schedule: weekday schedules first, then weekend ones.
    static func hourIndex(weekend: Bool, month: Int, hour: Int) -> Int { (weekend ? 288 : 0) + (month - 1) * 24 + hour }

    init(_ version: TariffVersion, unit: String) {
        self.version = version
        effectiveFrom = Day(version.effectiveFrom) ?? Day(number: 0)
        effectiveFromText = version.effectiveFrom
        (fixedCharges, regionFactors, minimum, discounts, taxes) = (version.fixedCharges, version.regionFactors, version.minimum, version.discounts, version.taxes)
        rounding = version.rounding
        chargesDemand = version.demand != nil
        self.unit = unit
        energy = Self.periods(version.energy.periods, unit: unit, named: "Energy")
        energySchedule = Self.flatten(version.energy.weekdaySchedule, version.energy.weekendSchedule)
        energyPeriodsByMonth = (0..<12).map { month in
            Array(Set(version.energy.weekdaySchedule[month] + version.energy.weekendSchedule[month])).sorted()
        }
        flatDemand = version.demand?.flat.map { flat in
            let byMonth = (0..<12).map { Array(repeating: flat.months[$0], count: 24) }
            return Demand(periods: Self.periods(flat.periods, unit: "kW", named: "Demand"), schedule: Self.flatten(byMonth, byMonth))
        }
        timeOfUseDemand = version.demand?.timeOfUse.map {
            Demand(periods: Self.periods($0.periods, unit: "kW", named: "Demand"), schedule: Self.flatten($0.weekdaySchedule, $0.weekendSchedule))
        }
        weekend = (0...7).map { version.weekendDays.contains($0) }
        holidays = Set(version.holidays.compactMap { Day($0)?.number })
        regionFactorNames = version.regionFactors.map { factor in
            ChargeKind.allCases.map { "Region \(factor.region) ×\(factor.factor) on \($0.rawValue)" }
        }
        discountNames = version.discounts.map { discount in ChargeKind.allCases.map { "\(discount.name) \(discount.percent)% on \($0.rawValue)" } }
        taxNames = version.taxes.map { tax in tax.percent.map { "\(tax.name) \($0)%" } ?? tax.name }
        taxOn = version.taxes.map { ChargeMask($0.on) }
        dailyTiers = version.energy.tierBasis == .day
        flatPeriods = flatDemand?.periods.count ?? 0
        timeOfUsePeriods = timeOfUseDemand?.periods.count ?? 0
        timeOfUseSchedule = timeOfUseDemand?.schedule ?? []
        let blocks = { (periods: [Period]) in periods.reduce(0) { $0 + $1.blocks.count } }
        mostLines = version.fixedCharges.count + blocks(energy) + blocks(flatDemand?.periods ?? []) + blocks(timeOfUseDemand?.periods ?? [])
            + 4 + version.discounts.count * 4 + version.taxes.count * 2 + 1
    }

    func isWeekend(_ day: Day) -> Bool { weekend[day.weekday] || holidays.contains(day.number) }

    private static func flatten(_ weekday: MonthHourSchedule, _ weekend: MonthHourSchedule) -> [UInt8] {
        (weekday + weekend).flatMap { $0.map { UInt8(clamping: $0) } }
    }

    /// "Energy", "Energy, peak", "Energy, peak, 650–1000 kWh": a line says which block it is.
    private static func periods(_ periods: [RatePeriod], unit: String, named charge: String) -> [Period] {
        periods.map { period in
            var lower = TariffDecimal.zero
            let blocks = period.tiers.map { tier in
                var name = charge
                if periods.count > 1 { name += ", " + period.name }
                if period.tiers.count > 1 {
                    name += ", " + (tier.upTo.map { "\(lower)–\($0) \(unit)" } ?? "over \(lower) \(unit)")
                }
                lower = tier.upTo ?? lower
                return Block(
                    limit: tier.upTo.map(Reckoning.micro) ?? .max, price: TariffDecimal(nanos: tier.price.nanos + tier.adjustment.nanos), name: name)
            }
            return Period(name: period.name, blocks: blocks)
        }
    }
}
