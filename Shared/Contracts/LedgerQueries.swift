/// The Ledger service's queries: balances, statements, open items, ageing, debtors, disputes,
/// and the proof that the books balance.

/// A subscription's balance, or a customer's over all their subscriptions.
public struct GetBalance: QueryContract, Equatable {
    public typealias Reply = Balances
    public static let service = "ledger"
    public static let name = "get-balance"
    public static let kind = MessageKind.query
    public static let summary = "A subscription's or a customer's balance: due, overdue, held in disputes, credit, deposit."
    public static let schema = JSONSchema.object(
        properties: ["subscriptionNumber": .nullable(.string()), "customerNumber": .nullable(.string()), "asOf": .nullable(.string(format: .date))], required: [])
    public static var example: GetBalance { GetBalance(subscriptionNumber: "S-00000052-6", customerNumber: nil, asOf: "2026-12-03") }
    public var subscriptionNumber: String?
    public var customerNumber: String?
    /// The day overdue is counted on (today when left out).
    public var asOf: String?
    public init(subscriptionNumber: String? = nil, customerNumber: String? = nil, asOf: String? = nil) {
        (self.subscriptionNumber, self.customerNumber, self.asOf) = (subscriptionNumber, customerNumber, asOf)
    }
}

/// Many subscriptions' balances at once, as a billing run carries them into its bills; a
/// subscription the ledger has no accounts of is left out of the answer.
public struct GetBalances: QueryContract, Equatable {
    public typealias Reply = Balances
    public static let service = "ledger"
    public static let name = "get-balances"
    public static let kind = MessageKind.query
    public static let summary = "Up to 1000 subscriptions' balances at once (those without accounts left out)."
    public static let maximumSubscriptions = 1_000
    public static let schema = JSONSchema.object(
        properties: ["subscriptionNumbers": .array(.string()), "asOf": .nullable(.string(format: .date))], required: ["subscriptionNumbers"])
    public static var example: GetBalances { GetBalances(subscriptionNumbers: ["S-00000052-6"], asOf: "2026-12-03") }
    public var subscriptionNumbers: [String]
    public var asOf: String?
    public init(subscriptionNumbers: [String], asOf: String? = nil) { (self.subscriptionNumbers, self.asOf) = (subscriptionNumbers, asOf) }
}

public struct Balances: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "balances"
    public static let kind = MessageKind.event
    public static let summary = "Balances of subscriptions, and their totals per currency."
    public static let schema = JSONSchema.object(
        properties: [
            "asOf": .string(format: .date),
            "subscriptions": .array(.object(
                properties: ["subscriptionNumber": .string(), "customerNumber": .nullable(.string()), "balance": .ledgerBalance], required: ["subscriptionNumber", "balance"])),
            "totals": .array(.ledgerBalance),
        ], required: ["asOf", "subscriptions", "totals"])
    public static var example: Balances { Balances(asOf: "2026-12-03", subscriptions: BalanceChanged.example.balances, totals: BalanceChanged.example.balances.map(\.balance)) }
    public var asOf: String
    public var subscriptions: [BalanceChanged.Entry]
    public var totals: [LedgerBalance]
    public init(asOf: String, subscriptions: [BalanceChanged.Entry], totals: [LedgerBalance]) { (self.asOf, self.subscriptions, self.totals) = (asOf, subscriptions, totals) }
}

/// A subscription's statement: what it owed at the start, each entry with the running balance
/// (positive: the customer owes; negative: the utility owes, as credit), and what it owes at the end.
public struct GetStatement: QueryContract, Equatable {
    public typealias Reply = Statement
    public static let service = "ledger"
    public static let name = "get-statement"
    public static let kind = MessageKind.query
    public static let summary = "A subscription's statement for a date range, with the running balance."
    public static let schema = JSONSchema.object(
        properties: ["subscriptionNumber": .string(minLength: 1), "from": .string(format: .date), "to": .string(format: .date)], required: ["subscriptionNumber", "from", "to"])
    public static var example: GetStatement { GetStatement(subscriptionNumber: "S-00000052-6", from: "2026-01-01", to: "2026-12-31") }
    public var subscriptionNumber: String
    public var from: String
    public var to: String
    public init(subscriptionNumber: String, from: String, to: String) { (self.subscriptionNumber, self.from, self.to) = (subscriptionNumber, from, to) }
}

public struct Statement: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "statement"
    public static let kind = MessageKind.event
    public static let summary = "A statement: opening balance, entries with running balance, closing balance."
    public struct Line: Codable, Sendable, Equatable {
        public var entryId: String
        public var kind: String
        public var valueDate: String
        public var memo: String
        /// What the customer was charged (debit) or paid and credited (credit) by the entry.
        public var debit: Int
        public var credit: Int
        /// Held (positive) or released (negative) in a dispute.
        public var held: Int
        public var balance: Int
        public init(entryId: String, kind: String, valueDate: String, memo: String, debit: Int, credit: Int, held: Int, balance: Int) {
            (self.entryId, self.kind, self.valueDate, self.memo, self.debit, self.credit, self.held, self.balance) = (entryId, kind, valueDate, memo, debit, credit, held, balance)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "subscriptionNumber": .string(), "customerNumber": .nullable(.string()), "currency": .currency, "from": .string(format: .date), "to": .string(format: .date),
            "opening": .integer(), "closing": .integer(),
            "lines": .array(.object(
                properties: [
                    "entryId": .string(), "kind": .string(), "valueDate": .string(format: .date), "memo": .string(), "debit": .integer(minimum: 0),
                    "credit": .integer(minimum: 0), "held": .integer(), "balance": .integer(),
                ], required: ["entryId", "kind", "valueDate", "memo", "debit", "credit", "held", "balance"])),
        ], required: ["subscriptionNumber", "currency", "from", "to", "opening", "closing", "lines"])
    public static var example: Statement {
        Statement(
            subscriptionNumber: "S-00000052-6", customerNumber: "C-00000421-7", currency: "IRR", from: "2026-12-01", to: "2026-12-31", opening: 0, closing: 0,
            lines: [
                Line(entryId: "bill:B-1405-000123", kind: "charge", valueDate: "2026-12-01", memo: "Bill B-1405-000123", debit: 1_375_000, credit: 0, held: 0, balance: 1_375_000),
                Line(entryId: "payment:BANK-20261203-0042", kind: "payment", valueDate: "2026-12-03", memo: "bank payment Shaparak 771203", debit: 0, credit: 1_375_000, held: 0, balance: 0),
            ])
    }
    public var subscriptionNumber: String
    public var customerNumber: String?
    public var currency: String
    public var from: String
    public var to: String
    public var opening: Int
    public var closing: Int
    public var lines: [Line]
    public init(subscriptionNumber: String, customerNumber: String?, currency: String, from: String, to: String, opening: Int, closing: Int, lines: [Line]) {
        (self.subscriptionNumber, self.customerNumber, self.currency, self.from, self.to, self.opening, self.closing, self.lines) =
            (subscriptionNumber, customerNumber, currency, from, to, opening, closing, lines)
    }
}

/// The open items of a subscription or a customer: bills and debit notes not yet settled.
public struct GetOpenItems: QueryContract, Equatable {
    public typealias Reply = OpenItems
    public static let service = "ledger"
    public static let name = "get-open-items"
    public static let kind = MessageKind.query
    public static let summary = "The bills and debit notes of a subscription or customer not yet settled, oldest due first."
    public static let schema = JSONSchema.object(properties: ["subscriptionNumber": .nullable(.string()), "customerNumber": .nullable(.string())], required: [])
    public static var example: GetOpenItems { GetOpenItems(subscriptionNumber: "S-00000052-6", customerNumber: nil) }
    public var subscriptionNumber: String?
    public var customerNumber: String?
    public init(subscriptionNumber: String? = nil, customerNumber: String? = nil) { (self.subscriptionNumber, self.customerNumber) = (subscriptionNumber, customerNumber) }
}

public struct OpenItems: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "open-items"
    public static let kind = MessageKind.event
    public static let summary = "Open items, oldest due first."
    public struct Item: Codable, Sendable, Equatable {
        public var billId: String
        public var subscriptionNumber: String
        public var currency: String
        public var issueDate: String
        public var dueDate: String
        public var amount: Int
        public var open: Int
        public var held: Int
        public init(billId: String, subscriptionNumber: String, currency: String, issueDate: String, dueDate: String, amount: Int, open: Int, held: Int) {
            (self.billId, self.subscriptionNumber, self.currency, self.issueDate, self.dueDate, self.amount, self.open, self.held) =
                (billId, subscriptionNumber, currency, issueDate, dueDate, amount, open, held)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "items": .array(.object(
                properties: [
                    "billId": .string(), "subscriptionNumber": .string(), "currency": .currency, "issueDate": .string(format: .date), "dueDate": .string(format: .date),
                    "amount": .integer(), "open": .integer(minimum: 0), "held": .integer(minimum: 0),
                ], required: ["billId", "subscriptionNumber", "currency", "issueDate", "dueDate", "amount", "open", "held"]))
        ], required: ["items"])
    public static var example: OpenItems {
        OpenItems(items: [Item(billId: "B-1405-000123", subscriptionNumber: "S-00000052-6", currency: "IRR", issueDate: "2026-12-01", dueDate: "2026-12-15", amount: 1_375_000, open: 1_375_000, held: 400_000)])
    }
    public var items: [Item]
    public init(items: [Item]) { self.items = items }
}

/// Ageing of what is due, for one customer or for the whole utility.
public struct GetAgeing: QueryContract, Equatable {
    public typealias Reply = AgeingReport
    public static let service = "ledger"
    public static let name = "get-ageing"
    public static let kind = MessageKind.query
    public static let summary = "What is due by days past due (not yet due, 0–30, 31–60, 61–90, over 90), for a customer or in total; disputed amounts left aside."
    public static let schema = JSONSchema.object(properties: ["customerNumber": .nullable(.string()), "asOf": .nullable(.string(format: .date))], required: [])
    public static var example: GetAgeing { GetAgeing(customerNumber: nil, asOf: "2026-12-31") }
    public var customerNumber: String?
    public var asOf: String?
    public init(customerNumber: String? = nil, asOf: String? = nil) { (self.customerNumber, self.asOf) = (customerNumber, asOf) }
}

public struct AgeingReport: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "ageing"
    public static let kind = MessageKind.event
    public static let summary = "Ageing per currency."
    public struct Entry: Codable, Sendable, Equatable {
        public var currency: String
        public var ageing: Ageing
        public init(currency: String, ageing: Ageing) { (self.currency, self.ageing) = (currency, ageing) }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "asOf": .string(format: .date), "customerNumber": .nullable(.string()),
            "entries": .array(.object(properties: ["currency": .currency, "ageing": .ageing], required: ["currency", "ageing"])),
        ], required: ["asOf", "entries"])
    public static var example: AgeingReport { AgeingReport(asOf: "2026-12-31", customerNumber: nil, entries: [Entry(currency: "IRR", ageing: Ageing(current: 900, days0to30: 500))]) }
    public var asOf: String
    public var customerNumber: String?
    public var entries: [Entry]
    public init(asOf: String, customerNumber: String?, entries: [Entry]) { (self.asOf, self.customerNumber, self.entries) = (asOf, customerNumber, entries) }
}

/// The customers with something overdue, most overdue first.
public struct FindDebtors: QueryContract, Equatable {
    public typealias Reply = Debtors
    public static let service = "ledger"
    public static let name = "find-debtors"
    public static let kind = MessageKind.query
    public static let summary = "Customers with amounts overdue, most first, with their ageing; disputed amounts left aside."
    public static let maximumLimit = 1_000
    public static let schema = JSONSchema.object(
        properties: [
            "asOf": .nullable(.string(format: .date)), "minimumOverdue": .nullable(.integer(minimum: 1)), "limit": .nullable(.integer(minimum: 1, maximum: 1_000)),
            "offset": .nullable(.integer(minimum: 0)),
        ], required: [])
    public static var example: FindDebtors { FindDebtors(asOf: "2026-12-31", minimumOverdue: 100_000, limit: 50, offset: 0) }
    public var asOf: String?
    public var minimumOverdue: Int?
    public var limit: Int?
    public var offset: Int?
    public init(asOf: String? = nil, minimumOverdue: Int? = nil, limit: Int? = nil, offset: Int? = nil) {
        (self.asOf, self.minimumOverdue, self.limit, self.offset) = (asOf, minimumOverdue, limit, offset)
    }
}

public struct Debtors: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "debtors"
    public static let kind = MessageKind.event
    public static let summary = "Debtors, most overdue first."
    public struct Entry: Codable, Sendable, Equatable {
        public var customerNumber: String
        public var currency: String
        public var subscriptions: Int
        public var overdue: Int
        public var ageing: Ageing
        public init(customerNumber: String, currency: String, subscriptions: Int, overdue: Int, ageing: Ageing) {
            (self.customerNumber, self.currency, self.subscriptions, self.overdue, self.ageing) = (customerNumber, currency, subscriptions, overdue, ageing)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "asOf": .string(format: .date),
            "debtors": .array(.object(
                properties: ["customerNumber": .string(), "currency": .currency, "subscriptions": .integer(minimum: 1), "overdue": .integer(minimum: 1), "ageing": .ageing],
                required: ["customerNumber", "currency", "subscriptions", "overdue", "ageing"])),
        ], required: ["asOf", "debtors"])
    public static var example: Debtors {
        Debtors(asOf: "2026-12-31", debtors: [Entry(customerNumber: "C-00000421-7", currency: "IRR", subscriptions: 1, overdue: 500, ageing: Ageing(current: 900, days0to30: 500))])
    }
    public var asOf: String
    public var debtors: [Entry]
    public init(asOf: String, debtors: [Entry]) { (self.asOf, self.debtors) = (asOf, debtors) }
}

/// A dispute, for the pages of the dispute process.
public struct GetDispute: QueryContract, Equatable {
    public typealias Reply = DisputeRecord
    public static let service = "ledger"
    public static let name = "get-dispute"
    public static let kind = MessageKind.query
    public static let summary = "A dispute: what is held, on which bills, and how it was decided."
    public static let schema = JSONSchema.object(properties: ["disputeId": .string(minLength: 1)], required: ["disputeId"])
    public static var example: GetDispute { GetDispute(disputeId: "DSP-2026-0031") }
    public var disputeId: String
    public init(disputeId: String) { self.disputeId = disputeId }
}

public struct DisputeRecord: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "dispute"
    public static let kind = MessageKind.event
    public static let summary = "A dispute and its state."
    public static let schema = JSONSchema.object(
        properties: [
            "disputeId": .string(), "subscriptionNumber": .string(), "billId": .nullable(.string()), "amount": .positiveMoney,
            "status": .enumeration(["open", "accepted", "rejected"]), "accepted": .integer(minimum: 0), "reason": .string(), "openedOn": .string(format: .date),
        ], required: ["disputeId", "subscriptionNumber", "amount", "status", "accepted", "reason", "openedOn"])
    public static var example: DisputeRecord {
        DisputeRecord(
            disputeId: "DSP-2026-0031", subscriptionNumber: "S-00000052-6", billId: "B-1405-000123", amount: Money(amount: 400_000, currency: "IRR"), status: "open",
            accepted: 0, reason: "The customer says the meter was read twice", openedOn: "2026-12-04")
    }
    public var disputeId: String
    public var subscriptionNumber: String
    public var billId: String?
    public var amount: Money
    public var status: String
    public var accepted: Int
    public var reason: String
    public var openedOn: String
    public init(disputeId: String, subscriptionNumber: String, billId: String?, amount: Money, status: String, accepted: Int, reason: String, openedOn: String) {
        (self.disputeId, self.subscriptionNumber, self.billId, self.amount, self.status, self.accepted, self.reason, self.openedOn) =
            (disputeId, subscriptionNumber, billId, amount, status, accepted, reason, openedOn)
    }
}

/// The proof that the books balance: every currency's postings sum to zero, every account's
/// stored balances are the sums of its postings, every receivable is what is open on its items.
public struct CheckLedger: QueryContract, Equatable {
    public typealias Reply = LedgerCheck
    public static let service = "ledger"
    public static let name = "check"
    public static let kind = MessageKind.query
    public static let summary = "Prove the ledger's invariants over everything stored."
    public static let schema = JSONSchema.object(properties: [:], required: [])
    public static var example: CheckLedger { CheckLedger() }
    public init() {}
}

public struct LedgerCheck: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "ledger-check"
    public static let kind = MessageKind.event
    public static let summary = "What the invariant check found."
    public struct CurrencySum: Codable, Sendable, Equatable {
        public var currency: String
        public var posted: Int
        public var pending: Int
        public init(currency: String, posted: Int, pending: Int) { (self.currency, self.posted, self.pending) = (currency, posted, pending) }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "sound": .boolean, "entries": .integer(minimum: 0), "postings": .integer(minimum: 0), "accounts": .integer(minimum: 0),
            "sums": .array(.object(properties: ["currency": .currency, "posted": .integer(), "pending": .integer()], required: ["currency", "posted", "pending"])),
            "unbalancedEntries": .array(.string()), "accountsOff": .array(.string()), "receivablesOffItems": .array(.string()),
        ], required: ["sound", "entries", "postings", "accounts", "sums", "unbalancedEntries", "accountsOff", "receivablesOffItems"])
    public static var example: LedgerCheck {
        LedgerCheck(sound: true, entries: 2, postings: 5, accounts: 9, sums: [CurrencySum(currency: "IRR", posted: 0, pending: 0)], unbalancedEntries: [], accountsOff: [], receivablesOffItems: [])
    }
    public var sound: Bool
    public var entries: Int
    public var postings: Int
    public var accounts: Int
    public var sums: [CurrencySum]
    /// At most 100 of each, named.
    public var unbalancedEntries: [String]
    public var accountsOff: [String]
    public var receivablesOffItems: [String]
    public init(
        sound: Bool, entries: Int, postings: Int, accounts: Int, sums: [CurrencySum], unbalancedEntries: [String], accountsOff: [String], receivablesOffItems: [String]
    ) {
        (self.sound, self.entries, self.postings, self.accounts, self.sums) = (sound, entries, postings, accounts, sums)
        (self.unbalancedEntries, self.accountsOff, self.receivablesOffItems) = (unbalancedEntries, accountsOff, receivablesOffItems)
    }
}
