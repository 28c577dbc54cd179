import Contracts

/// The ledger's invariants over a whole book (a property test's, or a check's after a load):
/// the journal's postings sum to zero per currency, each account's balances are the sums of its
/// postings, each receivable is what is open on its items and its pending what they hold, and
/// no customer's credit or deposit is below zero.
extension Book {
    /// Every invariant the journal breaks, in words; empty when the book is sound. `journal` is
    /// the whole history of the book's accounts.
    public func violations(journal: [JournalEntry]) -> [String] {
        var problems: [String] = []
        var perCurrency: [String: (posted: Int, pending: Int)] = [:]
        var debits: [String: Int] = [:], credits: [String: Int] = [:], pending: [String: Int] = [:]
        for entry in journal {
            var sums = perCurrency[entry.currency] ?? (0, 0)
            for posting in entry.postings {
                if posting.pending {
                    sums.pending += posting.amount
                    pending[posting.account, default: 0] += posting.amount
                } else {
                    sums.posted += posting.amount
                    if posting.amount > 0 { debits[posting.account, default: 0] += posting.amount } else { credits[posting.account, default: 0] -= posting.amount }
                }
            }
            perCurrency[entry.currency] = sums
        }
        for (currency, sums) in perCurrency where sums.posted != 0 || sums.pending != 0 {
            problems.append("\(currency) postings sum to \(sums.posted) posted and \(sums.pending) pending, not zero")
        }
        var open: [String: Int] = [:], held: [String: Int] = [:]
        for item in items.values {
            open[item.subscriptionNumber, default: 0] += item.open
            held[item.subscriptionNumber, default: 0] += item.held
            if item.open < 0 || item.held < 0 || item.held > item.open { problems.append("\(item.id) has \(item.open) open and \(item.held) held") }
        }
        for account in accounts.values.sorted(by: { $0.code < $1.code }) {
            if account.debits != debits[account.code, default: 0] || account.credits != credits[account.code, default: 0] || account.pending != pending[account.code, default: 0] {
                problems.append("\(account.code) keeps \(account.debits)/\(account.credits)/\(account.pending) but its postings sum to \(debits[account.code, default: 0])/\(credits[account.code, default: 0])/\(pending[account.code, default: 0])")
            }
            if account.kind == .receivable, let subscription = account.subscriptionNumber {
                if account.posted != open[subscription, default: 0] { problems.append("\(account.code) is \(account.posted) but its items have \(open[subscription, default: 0]) open") }
                if -account.pending != held[subscription, default: 0] { problems.append("\(account.code) holds \(-account.pending) but its items \(held[subscription, default: 0])") }
            }
            if (account.kind == .credit || account.kind == .deposit), account.balance < 0 { problems.append("\(account.code) is below zero: \(account.balance)") }
        }
        for hold in holds.values where hold.status == .open {
            for part in hold.parts where (items[part.item]?.held ?? 0) < part.held { problems.append("dispute \(hold.id) holds more of \(part.item) than the item does") }
        }
        return problems
    }
}
