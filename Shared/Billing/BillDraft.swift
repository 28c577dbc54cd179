import Contracts

/// What a subscription is billed under: Registration's terms, as Billing keeps them.
public struct SubscriptionTerms: Sendable, Hashable {
    public var subscriptionNumber: String
    public var customerNumber: String
    public var servicePointNumber: String
    public var utility: Utility
    public var useType: UseType
    public var region: String
    public var tariffCode: String
    public var billingCycle: String
    public var startDay: Int

    public init(
        subscriptionNumber: String, customerNumber: String, servicePointNumber: String, utility: Utility, useType: UseType, region: String, tariffCode: String,
        billingCycle: String, startDay: Int
    ) {
        (self.subscriptionNumber, self.customerNumber, self.servicePointNumber, self.utility, self.useType) = (subscriptionNumber, customerNumber, servicePointNumber, utility, useType)
        (self.region, self.tariffCode, self.billingCycle, self.startDay) = (region, tariffCode, billingCycle, startDay)
    }
}

/// One meter register to bill: where the period opens on it, and what may close it.
public struct RegisterToBill: Sendable, Hashable {
    public var manufacturer: String
    public var serialNumber: String
    public var register: String
    public var dials: MeterDials
    /// The reading the last bill closed on, or the meter's first on this subscription.
    public var opening: Read
    /// The meter came off within the period: its last reading closes it.
    public var removal: Read?
    /// The register's latest valid reading up to the period's end.
    public var latest: Read?

    public init(manufacturer: String, serialNumber: String, register: String, dials: MeterDials, opening: Read, removal: Read? = nil, latest: Read? = nil) {
        (self.manufacturer, self.serialNumber, self.register, self.dials) = (manufacturer, serialNumber, register, dials)
        (self.opening, self.removal, self.latest) = (opening, removal, latest)
    }
}

/// A subscription's period worked out from its registers: the consumption to price, the
/// readings it is billed between, the estimates to store and where the next bill opens.
public struct BillDraft: Sendable {
    public struct Closing: Sendable, Hashable {
        public var manufacturer: String
        public var serialNumber: String
        public var register: String
        public var read: Read
    }

    public let terms: SubscriptionTerms
    public let kind: BillKind
    public let from: Int
    public let to: Int
    public private(set) var registers: [BilledRegister] = []
    public private(set) var consumption: [String: Double] = [:]
    public private(set) var estimates: [Closing] = []
    /// The readings each register opened on: where a cancelled bill puts the next one back.
    public private(set) var openings: [Closing] = []
    /// The reading each register's next bill opens on (an estimate the actual fell short of stays).
    public private(set) var nextOpenings: [Closing] = []
    /// Some actual reading fell below the estimate before it: the difference waits for later reads.
    public private(set) var belowEstimate = false
    /// Consumption a day by register, from this period's actual readings only.
    public private(set) var measuredDaily: [String: Double] = [:]

    public var estimated: Bool { !estimates.isEmpty }
    public var days: Int { to - from + 1 }

    /// A latest reading older than this many days before the period's end is not used to close
    /// it: the period is estimated from it to the end.
    public static let staleDays = 10

    /// Nil when there is nothing to bill: no register, or the subscription is billed to `to` already.
    public init?(
        terms: SubscriptionTerms, kind: BillKind, lastBilledTo: Int?, to: Int, registers inputs: [RegisterToBill], dailyUsage: [String: Double]
    ) {
        guard !inputs.isEmpty else { return nil }
        let firstDay = lastBilledTo.map { $0 + 1 } ?? max(terms.startDay, inputs.map { BillingDay.day(of: $0.opening.at) }.min() ?? terms.startDay)
        guard firstDay <= to else { return nil }
        (self.terms, self.kind, self.from, self.to) = (terms, kind, firstDay, to)
        let end = BillingDay.endOf(day: to)
        var unmeasured: Set<String> = []
        let registersOfMeter = Dictionary(grouping: inputs, by: { "\($0.manufacturer)\u{1}\($0.serialNumber)" }).mapValues(\.count)
        for input in inputs {
            let closing: Read
            if let removal = input.removal {
                closing = removal
            } else if let latest = input.latest, latest.at > input.opening.at, BillingDay.day(of: latest.at) >= to - Self.staleDays {
                closing = latest
            } else {
                let base = input.latest.flatMap { $0.at > input.opening.at ? $0 : nil } ?? input.opening
                let share = 1 / Double(registersOfMeter["\(input.manufacturer)\u{1}\(input.serialNumber)"] ?? 1)
                let daily = dailyUsage[input.register] ?? Estimate.profile(terms.utility, terms.useType) * share
                closing = Estimate.reading(
                    from: base, to: end, dailyUsage: daily, dials: input.dials,
                    // The store names it by its bill.
                    id: "EST-\(input.serialNumber)-\(input.register)")
                estimates.append(Closing(manufacturer: input.manufacturer, serialNumber: input.serialNumber, register: input.register, read: closing))
            }
            openings.append(Closing(manufacturer: input.manufacturer, serialNumber: input.serialNumber, register: input.register, read: input.opening))
            let rise = max(closing.unwound - input.opening.unwound, 0)
            if closing.unwound < input.opening.unwound { belowEstimate = true }
            let used = rise * input.dials.multiplier
            registers.append(BilledRegister(
                manufacturer: input.manufacturer, serialNumber: input.serialNumber, register: input.register, multiplier: input.dials.multiplier,
                opening: input.opening.billed, closing: closing.billed, consumption: used))
            consumption[input.register, default: 0] += used
            let next = closing.unwound < input.opening.unwound ? input.opening : closing
            if input.removal == nil {
                nextOpenings.append(Closing(manufacturer: input.manufacturer, serialNumber: input.serialNumber, register: input.register, read: next))
            }
            if closing.source == .estimated || input.opening.source == .estimated { unmeasured.insert(input.register) }
        }
        // A register's average a day counts only periods read at both ends (of every meter on it).
        for (register, used) in consumption where !unmeasured.contains(register) { measuredDaily[register] = used / Double(days) }
    }

    /// What the Tariff service or the pricing library prices.
    public func priceRequest(intervals: IntervalReadings? = nil) -> PriceRequest {
        let meters = Set(registers.map { "\($0.manufacturer)\u{1}\($0.serialNumber)" }).count
        return PriceRequest(
            tariffCode: terms.tariffCode, region: terms.region, from: BillingDay.text(day: from), to: BillingDay.text(day: to),
            consumption: Consumption(registers: intervals == nil ? consumption : [:], intervals: intervals), useType: terms.useType, meters: max(meters, 1))
    }

    /// The subscription's average a day after this bill: a quarter of the weight on this
    /// period's measured consumption, so one odd month moves it little.
    public func dailyUsage(after old: [String: Double]) -> [String: Double] {
        var usage = old
        for (register, daily) in measuredDaily { usage[register] = old[register].map { 0.75 * $0 + 0.25 * daily } ?? daily }
        return usage
    }
}
