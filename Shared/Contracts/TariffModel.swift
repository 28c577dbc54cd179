/// A tariff and its versions: what a tariff manager keeps and what every bill is priced by.
/// The formulas are code (`Shared/Pricing`); every fee, limit and factor here is data, in the
/// tariff's currency (major units: `5.5` dollars), effective from its version's date.

/// A tariff: what it prices and in what money. Its versions carry the fees.
public struct Tariff: Sendable, Hashable, Codable {
    /// The code subscriptions name: `E-RES-1`.
    public var code: String
    public var name: String
    /// The utility company that publishes it (URDB's `utility`); empty for the house's own.
    public var provider: String
    public var utility: Utility
    public var useType: UseType
    /// The tariff region it is written for; region factors price it elsewhere.
    public var region: String
    /// ISO 4217: `USD`, `IRR`.
    public var currency: String
    /// The currency's minor units: 2 for cents, 0 for rials.
    public var minorDigits: Int
    /// The unit consumption is measured in: `kWh`, `m3`.
    public var unit: String
    /// Where it came from, kept so it can be sent back: URDB's `label`, `eiaid`, `dgrules`.
    public var references: [String: String]

    public init(
        code: String, name: String, provider: String = "", utility: Utility, useType: UseType, region: String, currency: String,
        minorDigits: Int, unit: String, references: [String: String] = [:]
    ) {
        (self.code, self.name, self.provider, self.utility, self.useType, self.region) = (code, name, provider, utility, useType, region)
        (self.currency, self.minorDigits, self.unit, self.references) = (currency, minorDigits, unit, references)
    }
}

/// The parts of a bill a tax, a discount or a region factor is reckoned on.
public enum ChargeKind: String, Sendable, Hashable, Codable, CaseIterable { case fixed, energy, demand, minimum }

/// One version of a tariff's fees, in force from its date until the next version's.
public struct TariffVersion: Sendable, Hashable, Codable {
    /// `YYYY-MM-DD`, the first day it prices.
    public var effectiveFrom: String
    public var fixedCharges: [FixedCharge]
    public var energy: EnergyCharge
    public var demand: DemandCharge?
    public var minimum: MinimumCharge?
    /// Names for groups of months (`summer`: 5–9), shown on the schedule.
    public var seasons: [Season]
    /// The days priced by the weekend schedules, ISO numbers (1 Monday … 7 Sunday): Saturday and
    /// Sunday in URDB's tariffs, Friday in Iran's.
    public var weekendDays: [Int]
    /// Public holidays (`YYYY-MM-DD`), priced by the weekend schedules.
    public var holidays: [String]
    public var regionFactors: [RegionFactor]
    public var discounts: [Discount]
    public var taxes: [Tax]
    public var rounding: Rounding

    public init(
        effectiveFrom: String, fixedCharges: [FixedCharge] = [], energy: EnergyCharge, demand: DemandCharge? = nil, minimum: MinimumCharge? = nil,
        seasons: [Season] = [], weekendDays: [Int] = [6, 7], holidays: [String] = [], regionFactors: [RegionFactor] = [],
        discounts: [Discount] = [], taxes: [Tax] = [], rounding: Rounding = Rounding()
    ) {
        (self.effectiveFrom, self.fixedCharges, self.energy, self.demand, self.minimum) = (effectiveFrom, fixedCharges, energy, demand, minimum)
        (self.weekendDays, self.holidays) = (weekendDays, holidays)
        (self.seasons, self.regionFactors, self.discounts, self.taxes, self.rounding) = (seasons, regionFactors, discounts, taxes, rounding)
    }
}

/// A charge that does not depend on consumption.
public struct FixedCharge: Sendable, Hashable, Codable {
    public enum Basis: String, Sendable, Hashable, Codable, CaseIterable {
        /// Prorated by the days of each calendar month the bill covers.
        case month
        case day
        /// Per meter and month (a second meter on the same subscription pays again).
        case meterMonth = "meter-month"
        /// Prorated by the days of the year.
        case year
    }
    public var name: String
    public var amount: TariffDecimal
    public var per: Basis
    public init(name: String, amount: TariffDecimal, per: Basis) { (self.name, self.amount, self.per) = (name, amount, per) }
}

/// A block of consumption at one price: up to `upTo` (cumulative; none on the last block).
public struct Tier: Sendable, Hashable, Codable {
    public var upTo: TariffDecimal?
    /// Per unit; the price the bill uses is `price + adjustment` (URDB's `rate` and `adj`).
    public var price: TariffDecimal
    /// A rider on the price, such as a fuel adjustment; may be negative.
    public var adjustment: TariffDecimal
    public init(upTo: TariffDecimal?, price: TariffDecimal, adjustment: TariffDecimal = .zero) {
        (self.upTo, self.price, self.adjustment) = (upTo, price, adjustment)
    }
}

/// A time-of-use period (or a season's only period) and its tiers.
public struct RatePeriod: Sendable, Hashable, Codable {
    public var name: String
    public var tiers: [Tier]
    public init(name: String, tiers: [Tier]) { (self.name, self.tiers) = (name, tiers) }
}

/// Which period each hour of each month is in: 12 rows (January first) of 24 period indices.
public typealias MonthHourSchedule = [[Int]]

public struct EnergyCharge: Sendable, Hashable, Codable {
    public enum TierBasis: String, Sendable, Hashable, Codable {
        /// Block limits per calendar month, prorated by days when a bill covers part of one.
        case month
        /// Block limits per day, times the days billed (water).
        case day
    }
    public var tierBasis: TierBasis
    public var periods: [RatePeriod]
    public var weekdaySchedule: MonthHourSchedule
    public var weekendSchedule: MonthHourSchedule
    public init(tierBasis: TierBasis = .month, periods: [RatePeriod], weekdaySchedule: MonthHourSchedule, weekendSchedule: MonthHourSchedule) {
        (self.tierBasis, self.periods, self.weekdaySchedule, self.weekendSchedule) = (tierBasis, periods, weekdaySchedule, weekendSchedule)
    }
    /// One period all year: a flat or tiered tariff without time of use.
    public init(tierBasis: TierBasis = .month, tiers: [Tier]) {
        let allDay = Array(repeating: Array(repeating: 0, count: 24), count: 12)
        self.init(tierBasis: tierBasis, periods: [RatePeriod(name: "all hours", tiers: tiers)], weekdaySchedule: allDay, weekendSchedule: allDay)
    }
}

/// Charges on the month's peak demand (kW), in tiers of demand.
public struct DemandCharge: Sendable, Hashable, Codable {
    /// The peak of the whole month; `months` gives each month's period (URDB `flatdemandmonths`).
    public struct Flat: Sendable, Hashable, Codable {
        public var periods: [RatePeriod]
        public var months: [Int]
        public init(periods: [RatePeriod], months: [Int]) { (self.periods, self.months) = (periods, months) }
    }
    /// The peak inside each time-of-use period.
    public struct TimeOfUse: Sendable, Hashable, Codable {
        public var periods: [RatePeriod]
        public var weekdaySchedule: MonthHourSchedule
        public var weekendSchedule: MonthHourSchedule
        public init(periods: [RatePeriod], weekdaySchedule: MonthHourSchedule, weekendSchedule: MonthHourSchedule) {
            (self.periods, self.weekdaySchedule, self.weekendSchedule) = (periods, weekdaySchedule, weekendSchedule)
        }
    }
    public var flat: Flat?
    public var timeOfUse: TimeOfUse?
    public init(flat: Flat? = nil, timeOfUse: TimeOfUse? = nil) { (self.flat, self.timeOfUse) = (flat, timeOfUse) }
}

/// The least a bill may come to (fixed, energy and demand together, before discounts and taxes).
public struct MinimumCharge: Sendable, Hashable, Codable {
    public enum Basis: String, Sendable, Hashable, Codable {
        /// Each month's bill, prorated by days.
        case month
        case day
        /// The year's bills together, made up on the year's last bill.
        case year
    }
    public var amount: TariffDecimal
    public var per: Basis
    public init(amount: TariffDecimal, per: Basis) { (self.amount, self.per) = (amount, per) }
}

public struct Season: Sendable, Hashable, Codable {
    public var name: String
    /// 1 is January.
    public var months: [Int]
    public init(name: String, months: [Int]) { (self.name, self.months) = (name, months) }
}

/// A multiplier on some charges where the subscription's region differs (a remote region's
/// higher cost, a subsidised one's lower).
public struct RegionFactor: Sendable, Hashable, Codable {
    public var region: String
    public var factor: TariffDecimal
    public var on: [ChargeKind]
    public init(region: String, factor: TariffDecimal, on: [ChargeKind]) { (self.region, self.factor, self.on) = (region, factor, on) }
}

/// A percent off some charges for subscriptions that qualify by use type or by a customer
/// category (`senior-low-income`).
public struct Discount: Sendable, Hashable, Codable {
    public var name: String
    public var percent: TariffDecimal
    public var useTypes: [UseType]
    public var categories: [String]
    public var on: [ChargeKind]
    public init(name: String, percent: TariffDecimal, useTypes: [UseType] = [], categories: [String] = [], on: [ChargeKind]) {
        (self.name, self.percent, self.useTypes, self.categories, self.on) = (name, percent, useTypes, categories, on)
    }
}

/// A tax or levy: a percent of some charges (after region factors and discounts), or a fixed
/// amount per month, prorated by days.
public struct Tax: Sendable, Hashable, Codable {
    public var name: String
    public var percent: TariffDecimal?
    public var fixedPerMonth: TariffDecimal?
    public var on: [ChargeKind]
    public init(name: String, percent: TariffDecimal? = nil, fixedPerMonth: TariffDecimal? = nil, on: [ChargeKind] = []) {
        (self.name, self.percent, self.fixedPerMonth, self.on) = (name, percent, fixedPerMonth, on)
    }
}

public struct Rounding: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        case halfUp = "half-up", halfEven = "half-even", down, up
    }
    public enum Level: String, Sendable, Hashable, Codable {
        /// Each line to minor units; the bill is their sum.
        case line
        /// Lines exact, the bill's total rounded once; a rounding line makes up the difference.
        case bill
    }
    public var mode: Mode
    public var per: Level
    public init(mode: Mode = .halfUp, per: Level = .line) { (self.mode, self.per) = (mode, per) }
}

/// What one version changes from another, fee by fee: what the audit records on publishing
/// and what a tariff manager compares.
public struct FeeChange: Sendable, Hashable, Codable {
    /// The field's path: `energy.periods[1].tiers[0].price`, `energy.weekdaySchedule[5]`.
    public var field: String
    /// Nil where the field is new.
    public var before: String?
    /// Nil where the field is gone.
    public var after: String?
    public init(field: String, before: String?, after: String?) { (self.field, self.before, self.after) = (field, before, after) }
}
