import Contracts

/// Disputes, two-phase as TigerBeetle's pending transfers: opening one holds the amount
/// (pending postings: the receivable's due falls, the disputes suspense shows it); resolving
/// releases the hold and, if the customer was right, credits the accepted amount back.
extension Book {
    func planDispute(_ command: OpenDispute, key: String) throws(Refusal) -> Plan {
        let receivable = try checkMoney(command.disputeId, "disputeId", command.subscriptionNumber, command.amount, on: command.valueDate)
        try checkText(command.reason, "reason", "what the customer contests")
        let suspense = AccountCode.suspense(command.amount.currency)
        guard accounts[suspense] != nil else { throw Refusal("amount.currency", "the ledger has no disputes suspense in \(command.amount.currency) (\(suspense))") }
        let bill = billItem(command.billId, of: command.subscriptionNumber)
        if let billId = command.billId, bill == nil { throw Refusal("billId", "\(command.subscriptionNumber) has no bill \(billId)") }
        let parts = allocate(command.amount.amount, of: command.subscriptionNumber, first: bill, only: bill != nil).map { ItemEffect($0.item, held: -$0.open) }
        let available = parts.reduce(0) { $0 + $1.held }
        guard available == command.amount.amount else {
            throw Refusal("amount.amount", "\(command.billId.map { "bill \($0)" } ?? command.subscriptionNumber) has \(available) open and not disputed, less than \(command.amount.amount)")
        }
        let hold = DisputeHold(
            id: command.disputeId, subscriptionNumber: command.subscriptionNumber, billId: bill?.billId, currency: command.amount.currency,
            amount: command.amount.amount, parts: parts, reason: command.reason, openedOn: command.valueDate)
        var plan = Plan(holds: [hold])
        plan.entries.append(JournalEntry(
            id: key, kind: .disputeHold, subscriptionNumber: command.subscriptionNumber, currency: receivable.currency, valueDate: command.valueDate,
            postings: [Posting(suspense, command.amount.amount, pending: true), Posting(receivable.code, -command.amount.amount, pending: true)],
            items: parts, memo: "Disputed: \(command.reason)"))
        plan.facts.append(.disputeOpened(hold))
        return plan
    }

    func planResolution(_ command: ResolveDispute, key: String) throws(Refusal) -> Plan {
        guard var hold = holds[command.disputeId] else { throw Refusal("disputeId", "there is no dispute \(command.disputeId)") }
        guard hold.status == .open else { throw Refusal("disputeId", "dispute \(command.disputeId) is \(hold.status.rawValue) already") }
        try checkDate(command.valueDate, "valueDate")
        try checkText(command.reason, "reason", "why")
        try checkText(command.approvedBy, "approvedBy", "who decided")
        let receivable = AccountCode.receivable(hold.subscriptionNumber)
        let suspense = AccountCode.suspense(hold.currency)
        var entry = JournalEntry(
            id: key, kind: .disputeResolution, subscriptionNumber: hold.subscriptionNumber, currency: hold.currency, valueDate: command.valueDate,
            postings: [Posting(suspense, -hold.amount, pending: true), Posting(receivable, hold.amount, pending: true)],
            items: hold.parts.map { ItemEffect($0.item, held: -$0.held) },
            memo: "Dispute \(command.decision.rawValue): \(command.reason) (decided by \(command.approvedBy))")
        var accepted = 0
        if command.decision == .accepted {
            accepted = command.acceptedAmount ?? hold.amount
            guard accepted > 0, accepted <= hold.amount else { throw Refusal("acceptedAmount", "must be from 1 to the \(hold.amount) held") }
            let debits: [Posting]
            if let lines = command.lines {
                debits = try linePostings(lines, currency: hold.currency, sign: 1, positive: true, "lines")
                let total = debits.reduce(0) { $0 + $1.amount }
                guard total == accepted else { throw Refusal("lines", "add up to \(total), not the \(accepted) accepted") }
            } else if let billId = hold.billId, let bill = items["bill:\(billId)"] {
                debits = Self.shares(of: accepted, over: bill.lines)
            } else {
                throw Refusal("lines", "the dispute is not on one bill: say which revenue and tax accounts the accepted amount goes against")
            }
            entry.postings += debits
            entry.postings.append(Posting(receivable, -accepted))
            var left = accepted
            for part in hold.parts where left > 0 {
                let taken = min(left, part.held)
                entry.items.append(ItemEffect(part.item, open: -taken, adjusted: taken))
                left -= taken
            }
        }
        hold.status = command.decision == .accepted ? .accepted : .rejected
        hold.accepted = accepted
        var plan = Plan(entries: [entry], holds: [hold])
        plan.facts.append(.disputeResolved(hold, released: hold.amount - accepted))
        return plan
    }

    /// `amount` shared over a bill's lines in proportion to them, by largest remainder, so the
    /// shares add up to it exactly; each share is a debit to its line's account.
    public static func shares(of amount: Int, over lines: [LedgerLine]) -> [Posting] {
        let total = lines.reduce(0) { $0 + $1.amount }
        guard total != 0 else { return [] }
        var shares = lines.map { line -> (account: String, share: Int, remainder: Int) in
            let product = line.amount.multipliedFullWidth(by: amount)
            let (quotient, remainder) = total.dividingFullWidth(product)
            return (line.account, quotient, abs(remainder))
        }
        var left = amount - shares.reduce(0) { $0 + $1.share }
        for index in shares.indices.sorted(by: { shares[$0].remainder > shares[$1].remainder }) where left != 0 {
            shares[index].share += left > 0 ? 1 : -1
            left += left > 0 ? -1 : 1
        }
        var byAccount: [(String, Int)] = []
        for share in shares {
            if let at = byAccount.firstIndex(where: { $0.0 == share.account }) { byAccount[at].1 += share.share } else { byAccount.append((share.account, share.share)) }
        }
        return byAccount.filter { $0.1 != 0 }.map { Posting($0.0, $0.1) }
    }
}
