import Contracts
import Foundation

/// The checks every request shares, each naming the field it refuses.
extension Book {
    /// The largest single amount, in minor units: far above any bill, far below overflow.
    public static let maximumAmount = 1_000_000_000_000_000
    static let maximumLines = 100

    func checkId(_ id: String, _ field: String) throws(Refusal) {
        let allowed = id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2E || byte == 0x5F
                || byte == 0x3A || byte == 0x2F || byte == 0x2D
        }
        guard !id.isEmpty, id.utf8.count <= 100, allowed else {
            throw Refusal(field, "\"\(id)\" is not an id: 1 to 100 letters, digits and . _ : / -")
        }
    }

    @discardableResult
    func checkDate(_ text: String, _ field: String) throws(Refusal) -> Int {
        guard let day = LedgerDate.day(text) else { throw Refusal(field, "\"\(text)\" is not a date YYYY-MM-DD") }
        return day
    }

    func checkAmount(_ amount: Int, _ field: String) throws(Refusal) {
        guard amount > 0 else { throw Refusal(field, "must be more than zero, not \(amount)") }
        guard amount <= Self.maximumAmount else { throw Refusal(field, "must be at most \(Self.maximumAmount)") }
    }

    func checkText(_ text: String, _ field: String, _ what: String) throws(Refusal) {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw Refusal(field, "say \(what): the journal keeps it") }
        guard text.count <= 500 else { throw Refusal(field, "must be at most 500 characters") }
    }

    /// The subscription's receivable, in the currency asked.
    func receivable(_ subscription: String, currency: String, currencyField: String) throws(Refusal) -> LedgerAccount {
        guard Currency.isKnown(currency) else { throw Refusal(currencyField, "\"\(currency)\" is not a currency the ledger keeps (ISO 4217)") }
        guard let account = accounts[AccountCode.receivable(subscription)] else {
            throw Refusal("subscriptionNumber", "the ledger has no accounts of subscription \(subscription)")
        }
        guard account.currency == currency else { throw Refusal(currencyField, "subscription \(subscription) is billed in \(account.currency), not \(currency)") }
        return account
    }

    /// What every request that moves a subscription's money checks first: its id, an amount
    /// above zero, the subscription's receivable in the amount's currency, the value date.
    func checkMoney(_ id: String, _ idField: String, _ subscription: String, _ amount: Money, on valueDate: String) throws(Refusal) -> LedgerAccount {
        try checkId(id, idField)
        try checkAmount(amount.amount, "amount.amount")
        let receivable = try receivable(subscription, currency: amount.currency, currencyField: "amount.currency")
        try checkDate(valueDate, "valueDate")
        return receivable
    }

    func cash(_ channel: PaymentChannel, _ currency: String, _ field: String) throws(Refusal) -> String {
        let code = AccountCode.cash(channel, currency)
        guard accounts[code] != nil else { throw Refusal(field, "the ledger has no \(channel.rawValue) account in \(currency) (\(code))") }
        return code
    }

    /// Each line's account once, with its amount, as postings of `sign` (1 debit, -1 credit).
    func linePostings(_ lines: [LedgerLine], currency: String, sign: Int, positive: Bool, _ field: String) throws(Refusal) -> [Posting] {
        guard !lines.isEmpty else { throw Refusal(field, "name at least one revenue or tax account and its amount") }
        guard lines.count <= Self.maximumLines else { throw Refusal(field, "at most \(Self.maximumLines) lines") }
        var problems: [FieldProblem] = []
        var byAccount: [(String, Int)] = []
        for (index, line) in lines.enumerated() {
            let path = "\(field)[\(index)]"
            if let account = accounts[line.account] {
                if account.kind != .revenue, account.kind != .tax {
                    problems.append(FieldProblem("\(path).account", "\(line.account) is a \(account.kind.rawValue) account, not revenue or tax"))
                } else if account.currency != currency {
                    problems.append(FieldProblem("\(path).account", "\(line.account) is in \(account.currency), not \(currency)"))
                }
            } else {
                problems.append(FieldProblem("\(path).account", "there is no account \(line.account)"))
            }
            if positive ? line.amount <= 0 : line.amount == 0 {
                problems.append(FieldProblem("\(path).amount", positive ? "must be more than zero, not \(line.amount)" : "must not be zero"))
            } else if abs(line.amount) > Self.maximumAmount {
                problems.append(FieldProblem("\(path).amount", "must be at most \(Self.maximumAmount) either way"))
            }
            if let at = byAccount.firstIndex(where: { $0.0 == line.account }) { byAccount[at].1 += line.amount } else { byAccount.append((line.account, line.amount)) }
        }
        guard problems.isEmpty else { throw Refusal(problems) }
        return byAccount.filter { $0.1 != 0 }.map { Posting($0.0, sign * $0.1) }
    }

    /// The item of `billId` on this subscription, if the ledger has it.
    func billItem(_ billId: String?, of subscription: String) -> OpenItem? {
        guard let billId else { return nil }
        let item = items["bill:\(billId)"] ?? items[billId]
        return item?.subscriptionNumber == subscription ? item : nil
    }

    /// Takes up to `amount` from what is available on the subscription's items, `first` before
    /// the oldest; `only` keeps to `first`. Effects are negative: what each item is settled by.
    /// `adjusting` marks the settlement as no money's (a note, a write-off).
    func allocate(_ amount: Int, of subscription: String, first: OpenItem? = nil, only: Bool = false, adjusting: Bool = false) -> [ItemEffect] {
        var left = amount
        var effects: [ItemEffect] = []
        let candidates = only ? [first].compactMap { $0 } : [first].compactMap { $0 } + openItems(of: subscription).filter { $0.id != first?.id }
        for item in candidates where left > 0 && !item.cancelled && item.available > 0 {
            let taken = min(left, item.available)
            effects.append(ItemEffect(item.id, open: -taken, adjusted: adjusting ? taken : 0))
            left -= taken
        }
        return effects
    }

    /// The bills an allocation paid, for the payment's event.
    func billsPaid(_ effects: [ItemEffect]) -> [BillSettlement] {
        effects.map { BillSettlement(billId: items[$0.item]?.billId ?? $0.item, amount: -$0.open) }
    }
}
