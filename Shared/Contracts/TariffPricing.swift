/// What a bill is priced from, and the priced lines, as the Tariff service and Billing pass them.

/// Consumption over a billing period: register totals, or interval data, or both (intervals
/// price the energy; registers then only carry a demand register's peak).
public struct Consumption: Sendable, Hashable, Codable {
    /// Each register's consumption over the period, by the name of its time-of-use period
    /// (`peak`, `off-peak`) or `total` for a single register.
    public var registers: [String: Double]
    public var intervals: IntervalReadings?
    /// Peak demand from a demand register, in kW: `peak` for the month's, or by period name.
    public var demand: [String: Double]

    public init(registers: [String: Double] = [:], intervals: IntervalReadings? = nil, demand: [String: Double] = [:]) {
        (self.registers, self.intervals, self.demand) = (registers, intervals, demand)
    }
}

/// Consumption in each interval (kWh, m³), hourly or every 15 minutes, from `start` on the
/// tariff's wall clock.
public struct IntervalReadings: Sendable, Hashable, Codable {
    /// `YYYY-MM-DDTHH:MM`, the first interval's start.
    public var start: String
    public var minutes: Int
    public var values: [Double]
    public init(start: String, minutes: Int, values: [Double]) { (self.start, self.minutes, self.values) = (start, minutes, values) }
}

/// One subscription's consumption to price.
public struct PriceRequest: Sendable, Hashable, Codable {
    public var tariffCode: String
    /// The subscription's tariff region, for region factors; the tariff's own when left out.
    public var region: String?
    /// The period's first and last day, `YYYY-MM-DD`, both billed.
    public var from: String
    public var to: String
    public var consumption: Consumption
    /// For discounts that qualify by use type or customer category.
    public var useType: UseType?
    public var categories: [String]
    /// Meters on the subscription, for charges per meter (1 when left out).
    public var meters: Int?

    public init(
        tariffCode: String, region: String? = nil, from: String, to: String, consumption: Consumption, useType: UseType? = nil,
        categories: [String] = [], meters: Int? = nil
    ) {
        (self.tariffCode, self.region, self.from, self.to, self.consumption) = (tariffCode, region, from, to, consumption)
        (self.useType, self.categories, self.meters) = (useType, categories, meters)
    }
}

/// A line of a bill.
public struct BillLine: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case fixed, energy, demand, minimum, regionFactor = "region-factor", discount, tax, rounding
    }
    // `Optional<T>` rather than `T?`: a `var x: T?` starts as nil before the init assigns it, and
    // the optimizer then built each line twice, copying its strings (a retain and a release a line).
    public var kind: Kind
    /// The charge it is, or the charge a factor or a discount is on; taxes reckon on these.
    public var charge: Optional<ChargeKind>
    public var name: String
    /// Which part of the period (`PriceQuote.parts`) it prices.
    public var part: Int
    public var quantity: Optional<Double>
    public var unit: Optional<String>
    public var unitPrice: Optional<TariffDecimal>
    /// Minor units; a discount is negative.
    public var amount: Int

    @inlinable
    public init(
        kind: Kind, charge: ChargeKind?, name: String, part: Int, quantity: Double? = nil, unit: String? = nil, unitPrice: TariffDecimal? = nil,
        amount: Int
    ) {
        (self.kind, self.charge, self.name, self.part, self.quantity, self.unit, self.unitPrice, self.amount) =
            (kind, charge, name, part, quantity, unit, unitPrice, amount)
    }
}

/// A priced period: its parts (a calendar month or a tariff version each), lines and total.
public struct PriceQuote: Sendable, Hashable, Codable {
    public struct Part: Sendable, Hashable, Codable {
        public var from: String
        public var to: String
        /// The version that priced it, by its effective date.
        public var version: String
        public init(from: String, to: String, version: String) { (self.from, self.to, self.version) = (from, to, version) }
    }
    public var tariffCode: String
    public var currency: String
    public var minorDigits: Int
    public var from: String
    public var to: String
    public var parts: [Part]
    public var lines: [BillLine]
    /// Minor units: the lines' sum.
    public var total: Int

    public init(
        tariffCode: String, currency: String, minorDigits: Int, from: String, to: String, parts: [Part], lines: [BillLine], total: Int
    ) {
        (self.tariffCode, self.currency, self.minorDigits, self.from, self.to) = (tariffCode, currency, minorDigits, from, to)
        (self.parts, self.lines, self.total) = (parts, lines, total)
    }

    /// The total of the lines of one kind.
    public func total(of kind: BillLine.Kind) -> Int { lines.lazy.filter { $0.kind == kind }.reduce(0) { $0 + $1.amount } }
}
