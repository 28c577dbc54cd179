import Contracts

/// The part of the ledger a batch of requests touches: the accounts, open items, holds, entries
/// and recorded ids it needs, loaded by the service under lock. `record` applies the ledger's
/// rules to one request; what it changed is in `changes`, for the service to store.
///
/// A request is planned whole and checked before anything changes, so a refusal leaves the book
/// as it was. The checks of `verify` are the ledger's invariants, kept on in production as
/// TigerBeetle keeps its assertions: an entry that would break one is refused (field `ledger`),
/// never stored. The rules refuse bad input before that, naming its field.
public struct Book: Sendable {
    public private(set) var accounts: [String: LedgerAccount] = [:]
    public private(set) var items: [String: OpenItem] = [:]
    public private(set) var holds: [String: DisputeHold] = [:]
    /// The content of each recorded request by its key, to answer one sent again.
    public private(set) var requests: [String: String] = [:]
    /// Entries that may be reversed, by id, and the reversal of each already reversed.
    public private(set) var entries: [String: JournalEntry] = [:]
    public private(set) var reversedBy: [String: String] = [:]
    public private(set) var changes = BookChanges()
    private var itemsOfSubscription: [String: [String]] = [:]

    public init(
        accounts: [LedgerAccount] = [], items: [OpenItem] = [], holds: [DisputeHold] = [], requests: [String: String] = [:],
        entries: [JournalEntry] = [], reversedBy: [String: String] = [:]
    ) {
        // A batch's book holds thousands of each: sized at once, not grown (and rehashed) by doubling.
        self.accounts.reserveCapacity(accounts.count * 5 / 4)
        self.items.reserveCapacity(items.count * 5 / 4)
        itemsOfSubscription.reserveCapacity(items.count)
        for account in accounts { self.accounts[account.code] = account }
        for item in items { index(item) }
        for hold in holds { self.holds[hold.id] = hold }
        self.requests = requests
        for entry in entries { self.entries[entry.id] = entry }
        self.reversedBy = reversedBy
    }

    /// Applies the rules to one request: recorded, recorded before, or refused with each field's reason.
    public mutating func record(_ request: LedgerRequest) -> LedgerOutcome {
        let key = request.key
        let content = request.content
        if let recorded = requests[key] {
            if recorded == content { return .alreadyRecorded }
            return .refused([FieldProblem(request.idField, "\(key) is recorded already with other content: a new one needs a new id")])
        }
        let plan: Plan
        do {
            plan = try self.plan(request, key: key)
        } catch {
            return .refused(error.problems)
        }
        let verified = verify(plan)
        guard case .success(let after) = verified else {
            if case .failure(let refusal) = verified { return .refused(refusal.problems) }
            return .refused([])
        }
        apply(plan, after, key: key, content: content)
        return .recorded(plan.entries)
    }

    private func plan(_ request: LedgerRequest, key: String) throws(Refusal) -> Plan {
        switch request {
        case .openAccount(let command): return try planOpening(command)
        case .openSubscription(let command): return try planOpening(command)
        case .charge(let charge): return try planCharge(charge, key: key)
        case .payment(let payment): return try planPayment(payment, key: key)
        case .deposit(let command): return try planDeposit(command, key: key)
        case .depositReturn(let command): return try planDepositReturn(command, key: key)
        case .refund(let command): return try planRefund(command, key: key)
        case .adjustment(let command): return try planAdjustment(command, key: key)
        case .openDispute(let command): return try planDispute(command, key: key)
        case .resolveDispute(let command): return try planResolution(command, key: key)
        case .writeOff(let command): return try planWriteOff(command, key: key)
        case .reversal(let command): return try planReversal(command, key: key)
        }
    }

    // MARK: - Reading the book

    public func account(_ code: String) -> LedgerAccount? { accounts[code] }

    /// A subscription's open items (open or held), oldest due first.
    public func openItems(of subscription: String) -> [OpenItem] {
        (itemsOfSubscription[subscription] ?? []).compactMap { items[$0] }.filter { $0.open != 0 || $0.held != 0 }.sorted(by: OpenItem.oldestFirst)
    }

    /// What a subscription owes, holds and is owed on `asOf`.
    public func balance(of subscription: String, asOf: Int) -> LedgerBalance? {
        guard let receivable = accounts[AccountCode.receivable(subscription)] else { return nil }
        let ageing = Ageing.of(openItems(of: subscription), asOf: asOf)
        return LedgerBalance(
            currency: receivable.currency, due: receivable.posted + receivable.pending, overdue: ageing.overdue, held: -receivable.pending,
            credit: accounts[AccountCode.credit(subscription)]?.balance ?? 0, deposit: accounts[AccountCode.deposit(subscription)]?.balance ?? 0)
    }

    // MARK: - Checking and applying a plan

    /// The accounts and items as the plan leaves them, or the invariant it would break.
    private func verify(_ plan: Plan) -> Result<(accounts: [String: LedgerAccount], items: [String: OpenItem]), Refusal> {
        var accountsAfter: [String: LedgerAccount] = [:]
        var itemsAfter: [String: OpenItem] = [:]
        for account in plan.opened {
            guard accounts[account.code] == nil else { return .failure(Refusal("ledger", "account \(account.code) is open already")) }
            accountsAfter[account.code] = account
        }
        for item in plan.newItems {
            guard items[item.id] == nil else { return .failure(Refusal("ledger", "\(item.id) is recorded already")) }
            itemsAfter[item.id] = OpenItem(
                id: item.id, billId: item.billId, subscriptionNumber: item.subscriptionNumber, issueDate: item.issueDate, dueDate: item.dueDate,
                amount: item.amount, open: 0, lines: item.lines)
        }
        for entry in plan.entries {
            guard entry.postings.count >= 2 else { return .failure(Refusal("ledger", "entry \(entry.id) has fewer than two postings")) }
            var posted = 0, pending = 0
            var receivablePosted: [String: Int] = [:], receivablePending: [String: Int] = [:]
            for posting in entry.postings {
                guard posting.amount != 0 else { return .failure(Refusal("ledger", "entry \(entry.id) posts zero to \(posting.account)")) }
                guard var account = accountsAfter[posting.account] ?? accounts[posting.account] else {
                    return .failure(Refusal("ledger", "there is no account \(posting.account)"))
                }
                guard account.currency == entry.currency else {
                    return .failure(Refusal("ledger", "account \(posting.account) is in \(account.currency), not \(entry.currency)"))
                }
                let (sum, overflow) = (posting.pending ? pending : posted).addingReportingOverflow(posting.amount)
                guard !overflow, account.add(posting) else { return .failure(Refusal("ledger", "is too large for account \(posting.account)")) }
                if posting.pending { pending = sum } else { posted = sum }
                if account.kind == .receivable, let subscription = account.subscriptionNumber {
                    if posting.pending { receivablePending[subscription, default: 0] += posting.amount } else { receivablePosted[subscription, default: 0] += posting.amount }
                }
                accountsAfter[account.code] = account
            }
            guard posted == 0, pending == 0 else { return .failure(Refusal("ledger", "entry \(entry.id) does not balance: \(posted) posted, \(pending) pending")) }
            var itemsOpen: [String: Int] = [:], itemsHeld: [String: Int] = [:]
            for effect in entry.items {
                guard var item = itemsAfter[effect.item] ?? items[effect.item] else { return .failure(Refusal("ledger", "entry \(entry.id) names no item \(effect.item)")) }
                item.open += effect.open
                item.held += effect.held
                item.adjusted += effect.adjusted
                itemsOpen[item.subscriptionNumber, default: 0] += effect.open
                itemsHeld[item.subscriptionNumber, default: 0] += effect.held
                itemsAfter[item.id] = item
            }
            // A subscription's receivable is what is open on its items, and its pending what they hold.
            for subscription in Set(receivablePosted.keys).union(receivablePending.keys).union(itemsOpen.keys).union(itemsHeld.keys) {
                guard receivablePosted[subscription, default: 0] == itemsOpen[subscription, default: 0],
                    receivablePending[subscription, default: 0] == -itemsHeld[subscription, default: 0]
                else { return .failure(Refusal("ledger", "entry \(entry.id) moves \(subscription)'s receivable apart from its open items")) }
            }
        }
        for item in itemsAfter.values where item.open < 0 || item.held < 0 || item.held > item.open || item.adjusted < 0 {
            return .failure(Refusal("ledger", "would leave \(item.billId ?? item.id) with \(item.open) open and \(item.held) held"))
        }
        for account in accountsAfter.values where (account.kind == .credit || account.kind == .deposit) && account.balance < 0 {
            return .failure(Refusal("ledger", "would leave \(account.code) owing \(-account.balance)"))
        }
        return .success((accountsAfter, itemsAfter))
    }

    private mutating func apply(_ plan: Plan, _ after: (accounts: [String: LedgerAccount], items: [String: OpenItem]), key: String, content: String) {
        for (code, account) in after.accounts { accounts[code] = account }
        for (id, var item) in after.items {
            if plan.cancelled.contains(id) { item.cancelled = true }
            index(item)
        }
        for hold in plan.holds { holds[hold.id] = hold }
        for entry in plan.entries {
            entries[entry.id] = entry
            if let original = entry.reverses { reversedBy[original] = entry.id }
        }
        requests[key] = content
        changes.opened += plan.opened
        changes.journal += plan.entries
        changes.requests.append(RecordedRequest(key: key, content: content, entries: plan.entries.map(\.id)))
        changes.items.formUnion(after.items.keys)
        changes.newItems.formUnion(plan.newItems.map(\.id))
        changes.holds.formUnion(plan.holds.map(\.id))
        changes.accounts.formUnion(after.accounts.keys)
        for account in after.accounts.values {
            if let subscription = account.subscriptionNumber { changes.subscriptions.insert(subscription) }
        }
        changes.facts += plan.facts
    }

    private mutating func index(_ item: OpenItem) {
        if items.updateValue(item, forKey: item.id) == nil { itemsOfSubscription[item.subscriptionNumber, default: []].append(item.id) }
    }
}

/// What a request will do, worked out before anything changes.
struct Plan {
    var opened: [LedgerAccount] = []
    var entries: [JournalEntry] = []
    /// Items the entries open: they start at zero and the entries' effects fill them.
    var newItems: [OpenItem] = []
    var cancelled: Set<String> = []
    var holds: [DisputeHold] = []
    var facts: [LedgerFact] = []
}

/// Why a request is refused, field by field.
struct Refusal: Error {
    var problems: [FieldProblem]
    init(_ field: String, _ message: String) { problems = [FieldProblem(field, message)] }
    init(_ problems: [FieldProblem]) { self.problems = problems }
}

/// Everything the recorded requests changed, for the service to store in one transaction.
public struct BookChanges: Sendable {
    public var opened: [LedgerAccount] = []
    public var journal: [JournalEntry] = []
    public var requests: [RecordedRequest] = []
    /// Items new or changed, holds new or changed, accounts whose balances moved.
    public var items: Set<String> = []
    public var newItems: Set<String> = []
    public var holds: Set<String> = []
    public var accounts: Set<String> = []
    public var subscriptions: Set<String> = []
    public var facts: [LedgerFact] = []
}

public struct RecordedRequest: Sendable, Hashable {
    public var key: String
    public var content: String
    public var entries: [String]
}

/// What happened that others are told about.
public enum LedgerFact: Sendable, Hashable {
    /// A payment and the bills it paid (bill id, amount); `credited` is what went to credit.
    case paymentReceived(Payment, customerNumber: String?, settled: [BillSettlement], credited: Int)
    case disputeOpened(DisputeHold)
    case disputeResolved(DisputeHold, released: Int)
}

extension LedgerAccount {
    /// Adds a posting to the balances; false if it would overflow.
    mutating func add(_ posting: Posting) -> Bool {
        if posting.pending {
            let (sum, overflow) = pending.addingReportingOverflow(posting.amount)
            pending = sum
            return !overflow
        }
        if posting.amount > 0 {
            let (sum, overflow) = debits.addingReportingOverflow(posting.amount)
            debits = sum
            return !overflow
        }
        let (sum, overflow) = credits.addingReportingOverflow(-posting.amount)
        credits = sum
        return !overflow
    }
}

extension OpenItem {
    /// Oldest due first, then oldest issued, then by id: the order payments settle items in.
    static func oldestFirst(_ a: OpenItem, _ b: OpenItem) -> Bool {
        (a.dueDate, a.issueDate, a.id) < (b.dueDate, b.issueDate, b.id)
    }
}
