import Contracts

/// Money in and out: payments settle the oldest open bills (the one named first) and leave the
/// rest as credit; deposits are held and returned; credit is refunded.
extension Book {
    func planPayment(_ payment: Payment, key: String) throws(Refusal) -> Plan {
        let receivable = try checkMoney(payment.paymentId, "paymentId", payment.subscriptionNumber, payment.amount, on: payment.valueDate)
        guard payment.reference.count <= 100 else { throw Refusal("reference", "must be at most 100 characters") }
        let cash = try cash(payment.channel, payment.amount.currency, "channel")
        // A bill id the ledger does not know does not turn money away: the oldest bills are paid instead.
        let settled = allocate(payment.amount.amount, of: payment.subscriptionNumber, first: billItem(payment.billId, of: payment.subscriptionNumber))
        let (postings, credited) = settling(payment.amount.amount, settled, receivable: receivable)
        var plan = Plan()
        plan.entries.append(JournalEntry(
            id: key, kind: .payment, subscriptionNumber: payment.subscriptionNumber, currency: receivable.currency, valueDate: payment.valueDate,
            postings: [Posting(cash, payment.amount.amount)] + postings, items: settled,
            memo: payment.reference.isEmpty ? "\(payment.channel.rawValue) payment" : "\(payment.channel.rawValue) payment \(payment.reference)"))
        plan.facts.append(.paymentReceived(payment, customerNumber: receivable.customerNumber, settled: billsPaid(settled), credited: credited))
        return plan
    }

    /// The credit postings of money that settles `settled` and leaves the rest as credit.
    func settling(_ amount: Int, _ settled: [ItemEffect], receivable: LedgerAccount) -> ([Posting], credited: Int) {
        let toItems = -settled.reduce(0) { $0 + $1.open }
        var postings: [Posting] = []
        if toItems > 0 { postings.append(Posting(receivable.code, -toItems)) }
        if amount > toItems { postings.append(Posting(AccountCode.credit(receivable.subscriptionNumber ?? ""), -(amount - toItems))) }
        return (postings, amount - toItems)
    }

    func planDeposit(_ command: TakeDeposit, key: String) throws(Refusal) -> Plan {
        let receivable = try checkMoney(command.depositId, "depositId", command.subscriptionNumber, command.amount, on: command.valueDate)
        let cash = try cash(command.channel, command.amount.currency, "channel")
        return Plan(entries: [JournalEntry(
            id: key, kind: .deposit, subscriptionNumber: command.subscriptionNumber, currency: receivable.currency, valueDate: command.valueDate,
            postings: [Posting(cash, command.amount.amount), Posting(AccountCode.deposit(command.subscriptionNumber), -command.amount.amount)],
            memo: "Deposit taken by \(command.channel.rawValue)")])
    }

    func planDepositReturn(_ command: ReturnDeposit, key: String) throws(Refusal) -> Plan {
        let receivable = try checkMoney(command.returnId, "returnId", command.subscriptionNumber, command.amount, on: command.valueDate)
        let deposit = AccountCode.deposit(command.subscriptionNumber)
        let held = accounts[deposit]?.balance ?? 0
        guard command.amount.amount <= held else { throw Refusal("amount.amount", "\(command.subscriptionNumber) has \(held) of deposit held, less than \(command.amount.amount)") }
        var entry = JournalEntry(
            id: key, kind: .depositReturn, subscriptionNumber: command.subscriptionNumber, currency: receivable.currency, valueDate: command.valueDate,
            postings: [Posting(deposit, command.amount.amount)], memo: "Deposit returned")
        switch command.to {
        case .refund:
            guard let channel = command.channel else { throw Refusal("channel", "say which channel the deposit is paid out through") }
            entry.postings.append(Posting(try cash(channel, command.amount.currency, "channel"), -command.amount.amount))
            entry.memo = "Deposit refunded by \(channel.rawValue)"
        case .bills:
            let settled = allocate(command.amount.amount, of: command.subscriptionNumber)
            entry.postings += settling(command.amount.amount, settled, receivable: receivable).0
            entry.items = settled
            entry.memo = "Deposit set against open bills"
        }
        return Plan(entries: [entry])
    }

    func planRefund(_ command: RefundCredit, key: String) throws(Refusal) -> Plan {
        let receivable = try checkMoney(command.refundId, "refundId", command.subscriptionNumber, command.amount, on: command.valueDate)
        try checkText(command.approvedBy, "approvedBy", "who approved it")
        let cash = try cash(command.channel, command.amount.currency, "channel")
        let credit = AccountCode.credit(command.subscriptionNumber)
        let available = accounts[credit]?.balance ?? 0
        guard command.amount.amount <= available else { throw Refusal("amount.amount", "\(command.subscriptionNumber) has \(available) of credit, less than \(command.amount.amount)") }
        return Plan(entries: [JournalEntry(
            id: key, kind: .refund, subscriptionNumber: command.subscriptionNumber, currency: receivable.currency, valueDate: command.valueDate,
            postings: [Posting(credit, command.amount.amount), Posting(cash, -command.amount.amount)],
            memo: "Credit refunded by \(command.channel.rawValue) \(command.reference), approved by \(command.approvedBy)")])
    }
}
