import Contracts
import Ledger
import Testing

/// Random sequences of charges, payments, notes, disputes, write-offs, deposits, refunds and
/// reversals, some of them wrong or sent twice: after every step the invariants hold, a refused
/// or repeated request changes nothing, and money is neither made nor lost.
@Suite struct PropertyTests {
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func invariantsHoldThroughRandomHistories(seed: UInt64) {
        let subscriptions = [s1, s2, "S-00000003-3"]
        var book = utilityBook(subscriptions: subscriptions)
        var random = Random(state: seed)
        var sent: [LedgerRequest] = []
        var counts: [String: Int] = [:]
        for step in 0..<400 {
            let request = makeRequest(step, &random, book, subscriptions, sent)
            let before = (book.accounts, book.items, book.holds, book.changes.journal.count)
            let outcome = book.record(request)
            if case .refused(let problems) = outcome {
                // The rules name the field of bad input; only a rule that breaks an invariant meets the guard.
                #expect(!problems.contains { $0.field == "ledger" }, "seed \(seed) step \(step) \(request): \(problems)")
            }
            if isPlainlyValid(request, book: book, sent: sent) {
                #expect(outcome != .alreadyRecorded && { if case .refused = outcome { false } else { true } }(), "seed \(seed) step \(step) \(request): \(outcome)")
            }
            switch outcome {
            case .recorded: counts["recorded", default: 0] += 1
            case .alreadyRecorded, .refused:
                counts[outcome == .alreadyRecorded ? "again" : "refused", default: 0] += 1
                #expect(book.accounts == before.0 && book.items == before.1 && book.holds == before.2 && book.changes.journal.count == before.3)
            }
            sent.append(request)
            let problems = book.violations(journal: book.changes.journal)
            #expect(problems == [], "seed \(seed) step \(step) \(request): \(problems)")
            if !problems.isEmpty { return }
        }
        // Every kind of outcome happened, so the history tested something.
        #expect(counts["recorded", default: 0] > 150 && counts["refused", default: 0] > 10 && counts["again", default: 0] > 5, "\(counts)")
        // Cash in less cash out is what customers owe less what the utility owes them, and revenue and tax.
        let cash = book.accounts.values.filter { $0.kind == .cash || $0.kind == .writeOff }.reduce(0) { $0 + $1.posted }
        let owed = book.accounts.values.filter { $0.kind == .receivable }.reduce(0) { $0 + $1.posted }
        let owing = book.accounts.values.filter { [.credit, .deposit, .revenue, .tax].contains($0.kind) }.reduce(0) { $0 + $1.balance }
        #expect(cash + owed == owing)
    }

    /// Money in and bills that nothing can refuse: new ids, positive amounts in the subscription's currency.
    func isPlainlyValid(_ request: LedgerRequest, book: Book, sent: [LedgerRequest]) -> Bool {
        guard !sent.contains(where: { $0.key == request.key }) else { return false }
        switch request {
        case .payment(let payment): return payment.amount.currency == "IRR" && (1...Book.maximumAmount).contains(payment.amount.amount)
        case .deposit(let deposit): return deposit.amount.currency == "IRR" && (1...Book.maximumAmount).contains(deposit.amount.amount)
        case .charge(let charge): return charge.lines.allSatisfy { $0.amount > 0 } && charge.total <= Book.maximumAmount
        default: return false
        }
    }

    func makeRequest(_ step: Int, _ random: inout Random, _ book: Book, _ subscriptions: [String], _ sent: [LedgerRequest]) -> LedgerRequest {
        let subscription = random.pick(subscriptions)
        let items = book.openItems(of: subscription)
        let billIds = book.items.values.filter { $0.subscriptionNumber == subscription }.compactMap(\.billId) + ["UNKNOWN"]
        let amount = random.below(10) == 0 ? random.pick([0, -1, Book.maximumAmount + 1]) : 1 + random.below(2_000)
        let date = "2026-\(String(format: "%02d", 1 + random.below(12)))-\(String(format: "%02d", 1 + random.below(28)))"
        let money = Money(amount: amount, currency: random.below(30) == 0 ? "EUR" : "IRR")
        let id = "R\(step)"
        switch random.below(14) {
        case 0, 1, 2:
            let vat = random.below(3) == 0 ? 0 : random.below(300)
            return bill(id, subscription, energy: amount, vat: vat, issued: date, due: date)
        case 3, 4, 5:
            return .payment(Payment(
                paymentId: id, subscriptionNumber: subscription, channel: random.pick(PaymentChannel.allCases), amount: money, valueDate: date, reference: "",
                billId: random.below(2) == 0 ? random.pick(billIds) : nil))
        case 6:
            return .adjustment(Adjust(
                adjustmentId: id, subscriptionNumber: subscription, note: random.pick(NoteKind.allCases), currency: "IRR",
                lines: [LedgerLine(account: random.pick(["revenue:electricity:E-RES-1", "tax:vat:IRR"]), amount: amount)],
                billId: random.below(2) == 0 ? random.pick(billIds) : nil, valueDate: date, dueDate: nil, reason: "note", approvedBy: "user:maryam"))
        case 7:
            return .openDispute(OpenDispute(
                disputeId: id, subscriptionNumber: subscription, billId: random.below(3) == 0 ? nil : items.first?.billId, amount: money, valueDate: date, reason: "contested"))
        case 8:
            let open = book.holds.values.filter { $0.status == .open }.map(\.id).sorted()
            let held = open.isEmpty ? "NONE" : random.pick(open)
            let decision = random.pick(DisputeDecision.allCases)
            let lines = random.below(2) == 0 ? nil : [LedgerLine(account: "revenue:electricity:E-RES-1", amount: max(1, (book.holds[held]?.amount ?? 1) / 2))]
            return .resolveDispute(ResolveDispute(
                disputeId: held, decision: decision, acceptedAmount: lines == nil ? random.pick([nil, 1, 50]) : lines![0].amount, lines: lines, valueDate: date,
                reason: "decided", approvedBy: "user:maryam"))
        case 9:
            return .writeOff(WriteOff(
                writeOffId: id, subscriptionNumber: subscription, billId: items.first?.billId, amount: Money(amount: min(amount, items.first?.available ?? amount), currency: "IRR"),
                valueDate: date, reason: "uncollectable", approvedBy: "user:maryam"))
        case 10:
            return random.below(2) == 0
                ? .deposit(TakeDeposit(depositId: id, subscriptionNumber: subscription, channel: .cashDesk, amount: money, valueDate: date))
                : .depositReturn(ReturnDeposit(
                    returnId: id, subscriptionNumber: subscription, amount: Money(amount: min(amount, max(1, book.balance("deposit:\(subscription)"))), currency: "IRR"),
                    to: random.pick(DepositReturn.allCases), channel: .bank, valueDate: date))
        case 11:
            return .refund(RefundCredit(
                refundId: id, subscriptionNumber: subscription, channel: .card, amount: Money(amount: min(amount, max(1, book.balance("credit:\(subscription)"))), currency: "IRR"),
                valueDate: date, reference: "", approvedBy: "user:maryam"))
        case 12:
            let entries = book.changes.journal.filter { $0.kind.isReversible }.map(\.id)
            return .reversal(ReverseEntry(reversalId: id, entryId: entries.isEmpty ? "NONE" : random.pick(entries), valueDate: date, reason: "mistake", approvedBy: "user:maryam"))
        default:
            // The same request again: a redelivery, or a client's retry.
            return sent.isEmpty ? payment(id, 10, subscription) : random.pick(sent)
        }
    }
}
