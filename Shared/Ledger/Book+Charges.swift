import Contracts

/// Opening accounts, charging bills and debit notes: the receivable debited, revenue and tax
/// credited, and a new open item; credit the customer has is applied to it at once.
extension Book {
    func planOpening(_ command: OpenAccount) throws(Refusal) -> Plan {
        guard Currency.isKnown(command.currency) else { throw Refusal("currency", "\"\(command.currency)\" is not a currency the ledger keeps (ISO 4217)") }
        let kind = try AccountCode.kind(of: command.code, currency: command.currency)
        try checkText(command.name, "name", "what the account is")
        if let existing = accounts[command.code] { throw Refusal("code", "\(command.code) is open already, in \(existing.currency)") }
        return Plan(opened: [LedgerAccount(code: command.code, kind: kind, currency: command.currency, name: command.name)])
    }

    func planOpening(_ command: OpenSubscriptionAccounts) throws(Refusal) -> Plan {
        try checkId(command.subscriptionNumber, "subscriptionNumber")
        try checkId(command.customerNumber, "customerNumber")
        guard Currency.isKnown(command.currency) else { throw Refusal("currency", "\"\(command.currency)\" is not a currency the ledger keeps (ISO 4217)") }
        let subscription = command.subscriptionNumber
        if let existing = accounts[AccountCode.receivable(subscription)] {
            throw Refusal("subscriptionNumber", "\(subscription)'s accounts are open already, of \(existing.customerNumber ?? "no customer") in \(existing.currency)")
        }
        func account(_ kind: AccountKind, _ code: String, _ name: String) -> LedgerAccount {
            LedgerAccount(code: code, kind: kind, currency: command.currency, name: name, subscriptionNumber: subscription, customerNumber: command.customerNumber)
        }
        return Plan(opened: [
            account(.receivable, AccountCode.receivable(subscription), "Receivable of \(subscription)"),
            account(.credit, AccountCode.credit(subscription), "Credit of \(subscription)"),
            account(.deposit, AccountCode.deposit(subscription), "Deposit of \(subscription)"),
        ])
    }

    func planCharge(_ charge: BillCharge, key: String) throws(Refusal) -> Plan {
        try checkId(charge.billId, "billId")
        let receivable = try receivable(charge.subscriptionNumber, currency: charge.currency, currencyField: "currency")
        let issued = try checkDate(charge.issueDate, "issueDate")
        let due = try checkDate(charge.dueDate, "dueDate")
        guard due >= issued else { throw Refusal("dueDate", "\(charge.dueDate) is before the bill's issue date \(charge.issueDate)") }
        let credits = try linePostings(charge.lines, currency: charge.currency, sign: -1, positive: false, "lines")
        let total = -credits.reduce(0) { $0 + $1.amount }
        guard total > 0 else { throw Refusal("lines", "the lines add up to \(total): a bill's total must be more than zero (a credit is a credit note)") }
        guard total <= Self.maximumAmount else { throw Refusal("lines", "add up to more than \(Self.maximumAmount)") }
        return opening(
            item: OpenItem(
                id: key, billId: charge.billId, subscriptionNumber: charge.subscriptionNumber, issueDate: charge.issueDate, dueDate: charge.dueDate,
                amount: total, open: total, lines: charge.lines),
            kind: .charge, receivable: receivable, credits: credits, valueDate: charge.issueDate, memo: "Bill \(charge.billId)")
    }

    /// A new item: its entry, then whatever credit the customer has applied to it.
    func opening(item: OpenItem, kind: EntryKind, receivable: LedgerAccount, credits: [Posting], valueDate: String, memo: String) -> Plan {
        let subscription = item.subscriptionNumber
        var plan = Plan(newItems: [item])
        plan.entries.append(JournalEntry(
            id: item.id, kind: kind, subscriptionNumber: subscription, currency: receivable.currency, valueDate: valueDate,
            postings: [Posting(receivable.code, item.amount)] + credits, items: [ItemEffect(item.id, open: item.amount)], memo: memo))
        let credit = accounts[AccountCode.credit(subscription)]?.balance ?? 0
        if credit > 0 {
            let applied = min(credit, item.amount)
            plan.entries.append(JournalEntry(
                id: "\(item.id)/credit", kind: .creditApplied, subscriptionNumber: subscription, currency: receivable.currency, valueDate: valueDate,
                postings: [Posting(AccountCode.credit(subscription), applied), Posting(receivable.code, -applied)],
                items: [ItemEffect(item.id, open: -applied)], memo: "Credit applied to \(item.billId ?? item.id)"))
        }
        return plan
    }
}
