import Contracts

/// One side of an entry: a debit (positive) or credit (negative) to one account. A pending
/// posting holds an amount (a dispute) without moving the posted balance.
public struct Posting: Sendable, Hashable, Codable {
    public var account: String
    public var amount: Int
    public var pending: Bool
    public init(_ account: String, _ amount: Int, pending: Bool = false) { (self.account, self.amount, self.pending) = (account, amount, pending) }
}

/// What an entry does to one open item: how much more (or less) is open on it and held of it.
public struct ItemEffect: Sendable, Hashable, Codable {
    public var item: String
    public var open: Int
    public var held: Int
    /// How much more of the item was settled by no money: a credit note, a write-off, an accepted dispute.
    public var adjusted: Int
    public init(_ item: String, open: Int = 0, held: Int = 0, adjusted: Int = 0) {
        (self.item, self.open, self.held, self.adjusted) = (item, open, held, adjusted)
    }
}

public enum EntryKind: String, Sendable, Codable, CaseIterable {
    case charge
    case creditApplied = "credit-applied"
    case payment
    case creditNote = "credit-note"
    case debitNote = "debit-note"
    case disputeHold = "dispute-hold"
    case disputeResolution = "dispute-resolution"
    case refund
    case writeOff = "write-off"
    case deposit
    case depositReturn = "deposit-return"
    case reversal

    /// What a mistake can be undone on; holds are resolved instead, and a reversal stands.
    public var isReversible: Bool {
        switch self {
        case .charge, .payment, .creditNote, .debitNote, .refund, .writeOff, .deposit, .depositReturn: true
        case .creditApplied, .disputeHold, .disputeResolution, .reversal: false
        }
    }
}

/// A journal entry: two or more postings that sum to zero, posted and pending each; never
/// changed or deleted. `items` says which open items its receivable postings belong to, so a
/// subscription's receivable always equals what is open on its items.
public struct JournalEntry: Sendable, Hashable {
    public var id: String
    public var kind: EntryKind
    public var subscriptionNumber: String?
    public var currency: String
    public var valueDate: String
    public var postings: [Posting]
    public var items: [ItemEffect]
    /// The entry this one reverses.
    public var reverses: String?
    /// Why: the reference of a payment, the reason of a note.
    public var memo: String

    public init(
        id: String, kind: EntryKind, subscriptionNumber: String?, currency: String, valueDate: String, postings: [Posting], items: [ItemEffect] = [],
        reverses: String? = nil, memo: String
    ) {
        (self.id, self.kind, self.subscriptionNumber, self.currency, self.valueDate) = (id, kind, subscriptionNumber, currency, valueDate)
        (self.postings, self.items, self.reverses, self.memo) = (postings, items, reverses, memo)
    }
}

/// A bill or debit note the customer owes, and how much of it is still open and held.
public struct OpenItem: Sendable, Hashable {
    /// The id of the entry that opened it (`bill:B-1405-000123`).
    public var id: String
    public var billId: String?
    public var subscriptionNumber: String
    public var issueDate: String
    public var dueDate: String
    public var amount: Int
    public var open: Int
    public var held: Int
    /// What credit notes, write-offs and accepted disputes took off it: a bill so lowered is
    /// not cancelled by reversing its charge alone.
    public var adjusted: Int
    /// The accounts it was charged to: an accepted dispute credits them back in proportion.
    public var lines: [LedgerLine]
    /// Its charge was reversed: nothing more is allocated to it.
    public var cancelled: Bool

    public init(
        id: String, billId: String?, subscriptionNumber: String, issueDate: String, dueDate: String, amount: Int, open: Int, held: Int = 0,
        adjusted: Int = 0, lines: [LedgerLine], cancelled: Bool = false
    ) {
        (self.id, self.billId, self.subscriptionNumber, self.issueDate, self.dueDate) = (id, billId, subscriptionNumber, issueDate, dueDate)
        (self.amount, self.open, self.held, self.adjusted, self.lines, self.cancelled) = (amount, open, held, adjusted, lines, cancelled)
    }

    /// What payments, write-offs and new holds may take: what is open and not held.
    public var available: Int { open - held }
}

/// A disputed amount held on open items until the dispute is resolved.
public struct DisputeHold: Sendable, Hashable {
    public enum Status: String, Sendable, Codable { case open, accepted, rejected }
    public var id: String
    public var subscriptionNumber: String
    public var billId: String?
    public var currency: String
    public var amount: Int
    /// How much is held on each item.
    public var parts: [ItemEffect]
    public var status: Status
    public var accepted: Int
    public var reason: String
    public var openedOn: String

    public init(
        id: String, subscriptionNumber: String, billId: String?, currency: String, amount: Int, parts: [ItemEffect], status: Status = .open,
        accepted: Int = 0, reason: String, openedOn: String
    ) {
        (self.id, self.subscriptionNumber, self.billId, self.currency, self.amount, self.parts) = (id, subscriptionNumber, billId, currency, amount, parts)
        (self.status, self.accepted, self.reason, self.openedOn) = (status, accepted, reason, openedOn)
    }
}
