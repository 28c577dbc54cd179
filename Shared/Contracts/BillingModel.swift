/// What Billing keeps and tells: meter readings as meter data systems send them, and bills.

/// Who read the meter. `registration` marks the readings Registration takes when a meter goes
/// on or off a service point; `estimated` ones are Billing's own, or a head-end's.
public enum ReadingSource: String, Sendable, Hashable, Codable, CaseIterable {
    case actual, customer, estimated, registration
}

/// A register's cumulative index, read at a moment.
public struct MeterReading: Sendable, Hashable, Codable {
    /// The sender's id of the reading: the same id twice is one reading.
    public var readingId: String
    public var manufacturer: String
    public var serialNumber: String
    /// `total` for a single register, or the time-of-use period's name (`peak`, `off-peak`).
    public var register: String
    /// As the dials show it, before the multiplier.
    public var index: Double
    /// ISO 8601, UTC.
    public var readAt: String
    public var source: ReadingSource

    public init(readingId: String, manufacturer: String, serialNumber: String, register: String, index: Double, readAt: String, source: ReadingSource) {
        (self.readingId, self.manufacturer, self.serialNumber, self.register, self.index, self.readAt, self.source) =
            (readingId, manufacturer, serialNumber, register, index, readAt, source)
    }
}

/// Interval data of a smart meter: consumption in each interval, before the multiplier.
public struct IntervalSeries: Sendable, Hashable, Codable {
    public var seriesId: String
    public var manufacturer: String
    public var serialNumber: String
    /// `YYYY-MM-DDTHH:MM` on the tariff's wall clock, the first interval's start.
    public var start: String
    /// 15 or 60.
    public var minutes: Int
    public var values: [Double]
    public init(seriesId: String, manufacturer: String, serialNumber: String, start: String, minutes: Int, values: [Double]) {
        (self.seriesId, self.manufacturer, self.serialNumber, self.start, self.minutes, self.values) = (seriesId, manufacturer, serialNumber, start, minutes, values)
    }
}

/// Why validation held a reading back for the billing officer.
public enum ReadingFlag: String, Sendable, Hashable, Codable, CaseIterable {
    /// The index is below the one before and is not a rollover of the dials.
    case backwards
    /// No consumption since the reading before.
    case zero
    /// Far above or below the subscription's daily average.
    case high, low
    /// Another reading of the same register at the same moment says something else.
    case conflicting
}

/// What a stored reading is to billing.
public enum ReadingStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Bills may use it.
    case valid
    /// Waiting for the billing officer's review; bills do not use it.
    case flagged
    case rejected
    /// An estimate that a later actual reading took the place of.
    case superseded
}

public enum BillKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A billing run's.
    case regular
    /// The last bill of a subscription: terminated, or its owner changed.
    case final
    /// A cancelled bill billed again from corrected readings.
    case rebill
}

public enum BillStatus: String, Sendable, Hashable, Codable, CaseIterable { case issued, cancelled }

/// One register's reading at one end of a billed period.
public struct BilledReading: Sendable, Hashable, Codable {
    public var index: Double
    /// ISO 8601, UTC.
    public var at: String
    public var source: ReadingSource
    public init(index: Double, at: String, source: ReadingSource) { (self.index, self.at, self.source) = (index, at, source) }
}

/// A meter register's part of a bill: the readings it was billed between and what that is.
public struct BilledRegister: Sendable, Hashable, Codable {
    public var manufacturer: String
    public var serialNumber: String
    public var register: String
    public var multiplier: Double
    public var opening: BilledReading
    public var closing: BilledReading
    /// After the multiplier, rollovers counted.
    public var consumption: Double
    public init(manufacturer: String, serialNumber: String, register: String, multiplier: Double, opening: BilledReading, closing: BilledReading, consumption: Double) {
        (self.manufacturer, self.serialNumber, self.register, self.multiplier) = (manufacturer, serialNumber, register, multiplier)
        (self.opening, self.closing, self.consumption) = (opening, closing, consumption)
    }
}

/// What the customer owed and paid since the last bill, from the ledger.
public struct CarriedBalance: Sendable, Hashable, Codable {
    /// The amount due on the bill before; 0 on a first bill.
    public var previousDue: Int
    /// Payments the ledger received since the bill before was issued.
    public var paymentsSince: Int
    /// Credit and debit notes, reversals and write-offs since: what is left of the change.
    public var adjustmentsSince: Int
    /// What the ledger says is owed (net of credit) before this bill: previous due − payments + adjustments.
    public var balance: Int
    public init(previousDue: Int, paymentsSince: Int, adjustmentsSince: Int, balance: Int) {
        (self.previousDue, self.paymentsSince, self.adjustmentsSince, self.balance) = (previousDue, paymentsSince, adjustmentsSince, balance)
    }
}

/// A bill as issued: the readings, the priced lines, the balance carried and what is due.
public struct Bill: Sendable, Hashable, Codable {
    /// The bill's number, unique and sequential in its series: `B2026-0000123`.
    public var billId: String
    public var kind: BillKind
    public var status: BillStatus
    public var runId: String?
    public var subscriptionNumber: String
    public var customerNumber: String
    public var servicePointNumber: String
    public var utility: Utility
    public var useType: UseType
    public var region: String
    public var billingCycle: String
    /// The period's first and last day, both billed.
    public var from: String
    public var to: String
    public var issueDate: String
    public var dueDate: String
    public var registers: [BilledRegister]
    /// By register name, what was priced.
    public var consumption: [String: Double]
    /// Whether any reading it was billed to is an estimate.
    public var estimated: Bool
    public var quote: PriceQuote
    public var carried: CarriedBalance
    /// Carried balance plus this bill's charges.
    public var amountDue: Int
    public var message: String
    /// The bill this one was billed again for.
    public var replaces: String?
    public var cancelReason: String?

    public init(
        billId: String, kind: BillKind, status: BillStatus, runId: String?, subscriptionNumber: String, customerNumber: String, servicePointNumber: String,
        utility: Utility, useType: UseType, region: String, billingCycle: String, from: String, to: String, issueDate: String, dueDate: String,
        registers: [BilledRegister], consumption: [String: Double], estimated: Bool, quote: PriceQuote, carried: CarriedBalance, amountDue: Int,
        message: String, replaces: String? = nil, cancelReason: String? = nil
    ) {
        (self.billId, self.kind, self.status, self.runId, self.subscriptionNumber, self.customerNumber) = (billId, kind, status, runId, subscriptionNumber, customerNumber)
        (self.servicePointNumber, self.utility, self.useType, self.region, self.billingCycle) = (servicePointNumber, utility, useType, region, billingCycle)
        (self.from, self.to, self.issueDate, self.dueDate, self.registers, self.consumption) = (from, to, issueDate, dueDate, registers, consumption)
        (self.estimated, self.quote, self.carried, self.amountDue, self.message) = (estimated, quote, carried, amountDue, message)
        (self.replaces, self.cancelReason) = (replaces, cancelReason)
    }

    public var charges: Int { quote.total }
}

extension Tax {
    /// The ledger account a tax's lines are credited to: `tax:vat:IRR` for "VAT".
    public func account(currency: String) -> String { Self.account(named: name, currency: currency) }

    public static func account(named name: String, currency: String) -> String {
        let words = name.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return "tax:\(words.first.map(String.init) ?? "tax"):\(currency)"
    }
}
