import Contracts

/// Credit and debit notes and write-offs, each with the reason and the approving employee.
extension Book {
    func planAdjustment(_ command: Adjust, key: String) throws(Refusal) -> Plan {
        try checkId(command.adjustmentId, "adjustmentId")
        let receivable = try receivable(command.subscriptionNumber, currency: command.currency, currencyField: "currency")
        let day = try checkDate(command.valueDate, "valueDate")
        try checkText(command.reason, "reason", "why")
        try checkText(command.approvedBy, "approvedBy", "who approved it")
        let memo = "\(command.reason) (approved by \(command.approvedBy))"
        switch command.note {
        case .debit:
            let credits = try linePostings(command.lines, currency: command.currency, sign: -1, positive: true, "lines")
            let total = -credits.reduce(0) { $0 + $1.amount }
            guard total <= Self.maximumAmount else { throw Refusal("lines", "add up to more than \(Self.maximumAmount)") }
            let dueDate = command.dueDate ?? command.valueDate
            guard try checkDate(dueDate, "dueDate") >= day else { throw Refusal("dueDate", "\(dueDate) is before the note's value date \(command.valueDate)") }
            return opening(
                item: OpenItem(
                    id: key, billId: command.billId.map { "\($0)/\(command.adjustmentId)" } ?? command.adjustmentId, subscriptionNumber: command.subscriptionNumber,
                    issueDate: command.valueDate, dueDate: dueDate, amount: total, open: total, lines: command.lines),
                kind: .debitNote, receivable: receivable, credits: credits, valueDate: command.valueDate, memo: memo)
        case .credit:
            let debits = try linePostings(command.lines, currency: command.currency, sign: 1, positive: true, "lines")
            let total = debits.reduce(0) { $0 + $1.amount }
            guard total <= Self.maximumAmount else { throw Refusal("lines", "add up to more than \(Self.maximumAmount)") }
            let bill = billItem(command.billId, of: command.subscriptionNumber)
            if let billId = command.billId, bill == nil { throw Refusal("billId", "\(command.subscriptionNumber) has no bill \(billId)") }
            // A note on a bill lowers that bill; what it exceeds the bill's open amount by is credit.
            let settled = allocate(total, of: command.subscriptionNumber, first: bill, only: bill != nil, adjusting: true)
            return Plan(entries: [JournalEntry(
                id: key, kind: .creditNote, subscriptionNumber: command.subscriptionNumber, currency: receivable.currency, valueDate: command.valueDate,
                postings: debits + settling(total, settled, receivable: receivable).0, items: settled, memo: memo)])
        }
    }

    func planWriteOff(_ command: WriteOff, key: String) throws(Refusal) -> Plan {
        let receivable = try checkMoney(command.writeOffId, "writeOffId", command.subscriptionNumber, command.amount, on: command.valueDate)
        try checkText(command.reason, "reason", "why")
        try checkText(command.approvedBy, "approvedBy", "who approved it")
        let account = AccountCode.writeOff(command.amount.currency)
        guard accounts[account] != nil else { throw Refusal("amount.currency", "the ledger has no write-off account in \(command.amount.currency) (\(account))") }
        let bill = billItem(command.billId, of: command.subscriptionNumber)
        if let billId = command.billId, bill == nil { throw Refusal("billId", "\(command.subscriptionNumber) has no bill \(billId)") }
        let settled = allocate(command.amount.amount, of: command.subscriptionNumber, first: bill, only: bill != nil, adjusting: true)
        let available = -settled.reduce(0) { $0 + $1.open }
        guard available == command.amount.amount else {
            throw Refusal("amount.amount", "\(command.billId.map { "bill \($0)" } ?? command.subscriptionNumber) has \(available) open and not disputed, less than \(command.amount.amount)")
        }
        return Plan(entries: [JournalEntry(
            id: key, kind: .writeOff, subscriptionNumber: command.subscriptionNumber, currency: receivable.currency, valueDate: command.valueDate,
            postings: [Posting(account, command.amount.amount), Posting(receivable.code, -command.amount.amount)], items: settled,
            memo: "\(command.reason) (approved by \(command.approvedBy))")])
    }
}
