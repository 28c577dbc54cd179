/// The ledger's vocabulary, shared by its commands, its events and the pure rules in
/// `Shared/Ledger`: amounts are integer minor units of an ISO 4217 currency.

/// An amount to one account, in a bill's charge or a note: revenue per utility and tariff
/// (`revenue:electricity:E-RES-1`) or a tax payable (`tax:vat:IRR`).
public struct LedgerLine: Codable, Sendable, Hashable {
    public var account: String
    public var amount: Int
    public init(account: String, amount: Int) { (self.account, self.amount) = (account, amount) }
}

/// The charge of one issued bill: the receivable of its subscription is debited the total, each
/// line's account credited.
public struct BillCharge: Codable, Sendable, Hashable {
    public var billId: String
    public var subscriptionNumber: String
    public var currency: String
    public var issueDate: String
    public var dueDate: String
    public var lines: [LedgerLine]
    public init(billId: String, subscriptionNumber: String, currency: String, issueDate: String, dueDate: String, lines: [LedgerLine]) {
        (self.billId, self.subscriptionNumber, self.currency, self.issueDate, self.dueDate, self.lines) =
            (billId, subscriptionNumber, currency, issueDate, dueDate, lines)
    }
    public var total: Int { lines.reduce(0) { $0 &+ $1.amount } }
}

/// Where money came in or went out: each channel has its cash account per currency.
public enum PaymentChannel: String, Codable, Sendable, CaseIterable {
    case bank, card
    case cashDesk = "cash-desk"
    case agent
}

/// A payment from a bank or payment provider. Allocated to the subscription's oldest open
/// bills first (the named bill before them), what is left over kept as the customer's credit.
public struct Payment: Codable, Sendable, Hashable {
    public var paymentId: String
    public var subscriptionNumber: String
    public var channel: PaymentChannel
    public var amount: Money
    public var valueDate: String
    public var reference: String
    /// The bill the payer named (a bill's payment id), paid first.
    public var billId: String?
    public init(
        paymentId: String, subscriptionNumber: String, channel: PaymentChannel, amount: Money, valueDate: String, reference: String, billId: String? = nil
    ) {
        (self.paymentId, self.subscriptionNumber, self.channel, self.amount, self.valueDate, self.reference, self.billId) =
            (paymentId, subscriptionNumber, channel, amount, valueDate, reference, billId)
    }
}

/// What a credit or debit note does: a credit note lowers what the customer owes (revenue or
/// tax debited), a debit note raises it (a new open item).
public enum NoteKind: String, Codable, Sendable, CaseIterable {
    case credit, debit
}

/// How a dispute ended.
public enum DisputeDecision: String, Codable, Sendable, CaseIterable {
    /// The customer is right, in whole or for `acceptedAmount`: a credit note for it.
    case accepted
    /// The bill stands: the held amount is due again.
    case rejected
}

/// Where a returned deposit goes.
public enum DepositReturn: String, Codable, Sendable, CaseIterable {
    /// Paid out through a channel.
    case refund
    /// Settles the subscription's open bills (a final bill), the rest kept as credit.
    case bills
}

/// Ageing of what is due, by days past the due date: `days0to30` is up to 30 days overdue.
public struct Ageing: Codable, Sendable, Hashable {
    /// Not overdue: due today or later.
    public var current: Int
    public var days0to30: Int
    public var days31to60: Int
    public var days61to90: Int
    public var over90: Int
    public init(current: Int = 0, days0to30: Int = 0, days31to60: Int = 0, days61to90: Int = 0, over90: Int = 0) {
        (self.current, self.days0to30, self.days31to60, self.days61to90, self.over90) = (current, days0to30, days31to60, days61to90, over90)
    }
    public var total: Int { current + days0to30 + days31to60 + days61to90 + over90 }
    public var overdue: Int { days0to30 + days31to60 + days61to90 + over90 }
    public static func + (a: Ageing, b: Ageing) -> Ageing {
        Ageing(
            current: a.current + b.current, days0to30: a.days0to30 + b.days0to30, days31to60: a.days31to60 + b.days31to60,
            days61to90: a.days61to90 + b.days61to90, over90: a.over90 + b.over90)
    }
}

/// A subscription's or customer's position: `due` is what is open less what is held in
/// disputes; `overdue` the part of it past its due date.
public struct LedgerBalance: Codable, Sendable, Hashable {
    public var currency: String
    public var due: Int
    public var overdue: Int
    public var held: Int
    public var credit: Int
    public var deposit: Int
    public init(currency: String, due: Int, overdue: Int, held: Int, credit: Int, deposit: Int) {
        (self.currency, self.due, self.overdue, self.held, self.credit, self.deposit) = (currency, due, overdue, held, credit, deposit)
    }
}

/// ISO 4217 currencies the ledger keeps, with their minor digits.
public enum Currency {
    public static let minorDigits: [String: Int] = [
        "IRR": 0, "USD": 2, "EUR": 2, "GBP": 2, "CHF": 2, "CAD": 2, "AUD": 2, "NZD": 2, "JPY": 0, "CNY": 2, "INR": 2, "PKR": 2,
        "AFN": 2, "TRY": 2, "AED": 2, "SAR": 2, "QAR": 2, "OMR": 3, "KWD": 3, "BHD": 3, "IQD": 3, "JOD": 3, "EGP": 2, "AZN": 2, "AMD": 2,
        "GEL": 2, "TJS": 2, "TMT": 2, "UZS": 2, "KZT": 2, "RUB": 2, "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2, "CZK": 2, "HUF": 2, "ZAR": 2,
        "NGN": 2, "KES": 2, "BRL": 2, "MXN": 2, "ARS": 2, "CLP": 0, "COP": 2, "KRW": 0, "IDR": 2, "MYR": 2, "THB": 2, "VND": 0, "PHP": 2,
        "SGD": 2, "HKD": 2,
    ]
    public static func isKnown(_ code: String) -> Bool { minorDigits[code] != nil }
}
