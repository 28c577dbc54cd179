import Contracts

/// What an account is for. A subscription has a receivable (what the customer owes), a credit
/// (what the utility owes back: overpayments) and a deposit held; the utility has the rest.
public enum AccountKind: String, Codable, Sendable, CaseIterable {
    case receivable, credit, deposit
    case revenue, tax, cash, suspense
    case writeOff = "write-off"

    /// Assets and expenses rise with debits; liabilities and revenue with credits.
    public var risesWithDebits: Bool {
        switch self {
        case .receivable, .cash, .suspense, .writeOff: true
        case .credit, .deposit, .revenue, .tax: false
        }
    }

    public var isSubscriptions: Bool { self == .receivable || self == .credit || self == .deposit }
}

/// An account and its balances, kept as TigerBeetle keeps them: the posted debits and credits,
/// and the net of pending (held) postings. `posted` is debits less credits.
public struct LedgerAccount: Sendable, Hashable {
    public var code: String
    public var kind: AccountKind
    public var currency: String
    public var name: String
    public var subscriptionNumber: String?
    public var customerNumber: String?
    public var debits = 0
    public var credits = 0
    /// Pending debits less pending credits: what disputes hold.
    public var pending = 0

    public init(
        code: String, kind: AccountKind, currency: String, name: String, subscriptionNumber: String? = nil, customerNumber: String? = nil,
        debits: Int = 0, credits: Int = 0, pending: Int = 0
    ) {
        (self.code, self.kind, self.currency, self.name, self.subscriptionNumber, self.customerNumber) = (code, kind, currency, name, subscriptionNumber, customerNumber)
        (self.debits, self.credits, self.pending) = (debits, credits, pending)
    }

    public var posted: Int { debits - credits }
    /// The balance on the side the account rises with: what a receivable is owed, what a credit owes.
    public var balance: Int { kind.risesWithDebits ? posted : -posted }
}

/// Account codes: `receivable:S-00000052-6`, `credit:…`, `deposit:…` for a subscription;
/// `revenue:<utility>:<tariff>`; `tax:<name>:<currency>`, `cash:<channel>:<currency>`,
/// `suspense:disputes:<currency>`, `write-off:bad-debt:<currency>` for the utility's own.
public enum AccountCode {
    public static func receivable(_ subscription: String) -> String { "receivable:\(subscription)" }
    public static func credit(_ subscription: String) -> String { "credit:\(subscription)" }
    public static func deposit(_ subscription: String) -> String { "deposit:\(subscription)" }
    public static func cash(_ channel: PaymentChannel, _ currency: String) -> String { "cash:\(channel.rawValue):\(currency)" }
    public static func suspense(_ currency: String) -> String { "suspense:disputes:\(currency)" }
    public static func writeOff(_ currency: String) -> String { "write-off:bad-debt:\(currency)" }
    public static func revenue(_ utility: Utility, _ tariffCode: String) -> String { "revenue:\(utility.rawValue):\(tariffCode)" }

    /// The kind a code names, or why it names none: a utility's code ends in its currency.
    static func kind(of code: String, currency: String) throws(Refusal) -> AccountKind {
        let parts = code.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, let kind = AccountKind(rawValue: parts[0]), parts.allSatisfy({ !$0.isEmpty && $0.count <= 60 }) else {
            throw Refusal("code", "\"\(code)\" is not an account code such as cash:bank:IRR or revenue:electricity:E-RES-1")
        }
        switch kind {
        case .receivable, .credit, .deposit:
            throw Refusal("code", "a subscription's accounts are opened with open-subscription-accounts")
        case .revenue:
            guard parts.count == 3, Utility(rawValue: parts[1]) != nil else {
                throw Refusal("code", "a revenue account is revenue:<utility>:<tariff code>, the utility one of \(Utility.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        case .cash:
            guard parts.count == 3, PaymentChannel(rawValue: parts[1]) != nil else {
                throw Refusal("code", "a cash account is cash:<channel>:<currency>, the channel one of \(PaymentChannel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        case .suspense, .writeOff, .tax:
            guard parts.count == 3 else { throw Refusal("code", "a \(kind.rawValue) account is \(kind.rawValue):<name>:<currency>") }
        }
        if kind != .revenue, parts[2] != currency {
            throw Refusal("code", "ends in \(parts[2]) but the account is in \(currency)")
        }
        return kind
    }
}
