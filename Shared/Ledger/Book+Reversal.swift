import Contracts

/// Reversals: a mistake is corrected by a new entry that negates the original's postings and
/// points to it; nothing is changed or deleted. What the original settled is settled no more:
/// - a cancelled bill's item is closed, and what had been paid on it becomes credit;
/// - a reversed payment's bills are open again; credit it left that was used since is owed again,
///   as a new item.
extension Book {
    func planReversal(_ command: ReverseEntry, key: String) throws(Refusal) -> Plan {
        try checkId(command.reversalId, "reversalId")
        try checkDate(command.valueDate, "valueDate")
        try checkText(command.reason, "reason", "why")
        try checkText(command.approvedBy, "approvedBy", "who approved it")
        guard let original = entries[command.entryId] else { throw Refusal("entryId", "there is no journal entry \(command.entryId)") }
        guard original.kind.isReversible else {
            throw Refusal("entryId", "a \(original.kind.rawValue) entry is not reversed\(original.kind == .disputeHold ? ": resolve the dispute" : "")")
        }
        if let reversal = reversedBy[original.id] { throw Refusal("entryId", "\(original.id) is reversed already, by \(reversal)") }
        for effect in original.items {
            if let item = items[effect.item], item.held > 0 {
                throw Refusal("entryId", "\(item.billId ?? item.id) has a dispute open: resolve it first")
            }
        }
        if original.kind == .charge || original.kind == .debitNote, let item = items[original.id], item.adjusted > 0 {
            throw Refusal(
                "entryId",
                "\(item.billId ?? item.id) was lowered by \(item.adjusted) in credit notes, write-offs or an accepted dispute: reverse those first, or correct it with a note")
        }
        guard let subscription = original.subscriptionNumber else { throw Refusal("entryId", "\(original.id) is no subscription's") }
        let receivable = AccountCode.receivable(subscription)
        let credit = AccountCode.credit(subscription)
        let deposit = AccountCode.deposit(subscription)
        let depositTaken = original.postings.filter { $0.account == deposit }.reduce(0) { $0 - $1.amount }
        if depositTaken > 0, depositTaken > accounts[deposit]?.balance ?? 0 {
            throw Refusal("entryId", "\(subscription) holds \(accounts[deposit]?.balance ?? 0) of deposit, less than the \(depositTaken) this took: reverse the return first")
        }
        var entry = JournalEntry(
            id: key, kind: .reversal, subscriptionNumber: subscription, currency: original.currency, valueDate: command.valueDate, postings: [], items: [],
            reverses: original.id, memo: "Reverses \(original.id): \(command.reason) (approved by \(command.approvedBy))")
        var creditPosted = accounts[credit]?.posted ?? 0
        var opens: [String: Int] = [:]
        for posting in original.postings where !posting.pending { entry.postings.append(Posting(posting.account, -posting.amount)) }
        for posting in original.postings where posting.account == credit { creditPosted -= posting.amount }
        for effect in original.items {
            guard let item = items[effect.item] else { continue }
            if item.cancelled {
                // Settled on a bill cancelled since: that money became credit, so it comes back from there.
                entry.postings.append(Posting(receivable, effect.open))
                entry.postings.append(Posting(credit, -effect.open))
                creditPosted -= effect.open
                continue
            }
            entry.items.append(ItemEffect(item.id, open: -effect.open, adjusted: -effect.adjusted))
            opens[item.id] = item.open - effect.open
        }
        var plan = Plan()
        // An item left owing less than nothing was paid or credited: that goes to credit, and the item closes.
        for (id, open) in opens.sorted(by: { $0.key < $1.key }) where open < 0 {
            entry.postings += [Posting(receivable, -open), Posting(credit, open)]
            entry.items.append(ItemEffect(id, open: -open))
            creditPosted += open
        }
        if original.kind == .charge || original.kind == .debitNote { plan.cancelled.insert(original.id) }
        // Credit the original left and that was used since is owed again, as an item of its own.
        if creditPosted > 0 {
            entry.postings += [Posting(credit, -creditPosted), Posting(receivable, creditPosted)]
            entry.items.append(ItemEffect(key, open: creditPosted))
            plan.newItems.append(OpenItem(
                id: key, billId: command.reversalId, subscriptionNumber: subscription, issueDate: command.valueDate, dueDate: command.valueDate,
                amount: creditPosted, open: creditPosted, lines: []))
        }
        entry.postings = Self.merged(entry.postings)
        plan.entries.append(entry)
        return plan
    }

    /// One posting per account and side, in order of first appearance.
    static func merged(_ postings: [Posting]) -> [Posting] {
        var result: [Posting] = []
        for posting in postings {
            if let at = result.firstIndex(where: { $0.account == posting.account && $0.pending == posting.pending }) {
                result[at].amount += posting.amount
            } else {
                result.append(posting)
            }
        }
        return result.filter { $0.amount != 0 }
    }
}
