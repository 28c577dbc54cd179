import Contracts
import Ledger
import Testing

/// Notes, write-offs, disputes and reversals: what finance does to put a mistake right.
@Suite struct CorrectionTests {
    func dispute(_ id: String, bill: String?, _ amount: Int) -> LedgerRequest {
        .openDispute(OpenDispute(disputeId: id, subscriptionNumber: s1, billId: bill, amount: Money(amount: amount, currency: "IRR"), valueDate: "2026-10-05", reason: "contested"))
    }

    func resolve(_ id: String, _ decision: DisputeDecision, accepted: Int? = nil, lines: [LedgerLine]? = nil) -> LedgerRequest {
        .resolveDispute(ResolveDispute(disputeId: id, decision: decision, acceptedAmount: accepted, lines: lines, valueDate: "2026-10-12", reason: "checked", approvedBy: "user:maryam"))
    }

    @Test func aHeldAmountIsLeftAsideByPaymentsUntilTheDisputeIsRejected() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 1_000)))
        let hold = expectRecorded(book.record(dispute("D1", bill: "B1", 400)))
        #expect(hold[0].postings == [Posting("suspense:disputes:IRR", 400, pending: true), Posting("receivable:\(s1)", -400, pending: true)])
        #expect(book.balance("receivable:\(s1)") == 1_000)
        expectRecorded(book.record(payment("P1", 1_000)))
        #expect(book.open("B1") == 400)
        #expect(book.balance("credit:\(s1)") == 400)
        expectRecorded(book.record(resolve("D1", .rejected)))
        #expect(book.balance(of: s1, asOf: day)?.held == 0)
        #expect(book.balance(of: s1, asOf: day)?.due == 400)
        #expect(book.account("suspense:disputes:IRR")?.pending == 0)
        expectRefused(book.record(resolve("D1", .accepted)), "disputeId")
        book.sound()
    }

    @Test func anAcceptedDisputeCreditsTheBillsLinesInProportion() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 1_000, vat: 90)))
        expectRecorded(book.record(dispute("D1", bill: "B1", 600)))
        let entries = expectRecorded(book.record(resolve("D1", .accepted, accepted: 109)))
        // 109 shared as 1000:90 is 100.0 and 9.0; the release of the whole 600 held comes first.
        #expect(entries[0].postings.filter { !$0.pending } == [Posting("revenue:electricity:E-RES-1", 100), Posting("tax:vat:IRR", 9), Posting("receivable:\(s1)", -109)])
        #expect(book.open("B1") == 981)
        #expect(book.balance("revenue:electricity:E-RES-1") == 900)
        #expect(book.balance(of: s1, asOf: day)?.held == 0)
        guard case .disputeResolved(let resolved, let released) = book.changes.facts.last else { Issue.record("no resolution fact"); return }
        #expect(resolved.accepted == 109)
        #expect(released == 491)
        book.sound()
    }

    @Test func sharesOfAnAcceptedAmountAddUpExactly() {
        let shares = Book.shares(of: 100, over: [LedgerLine(account: "a", amount: 1), LedgerLine(account: "b", amount: 1), LedgerLine(account: "c", amount: 1)])
        #expect(shares.map(\.amount).reduce(0, +) == 100)
        #expect(shares.map(\.amount).sorted() == [33, 33, 34])
    }

    @Test func aDisputeOnNoOneBillNamesTheAccountsWhenAccepted() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 300, issued: "2026-08-01", due: "2026-08-15")))
        expectRecorded(book.record(bill("B2", energy: 300)))
        expectRecorded(book.record(dispute("D1", bill: nil, 500)))
        #expect(book.items["bill:B1"]?.held == 300)
        #expect(book.items["bill:B2"]?.held == 200)
        expectRefused(book.record(resolve("D1", .accepted)), "lines")
        expectRefused(book.record(resolve("D1", .accepted, lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 400)])), "lines")
        expectRecorded(book.record(resolve("D1", .accepted, lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 500)])))
        #expect(book.balance(of: s1, asOf: day)?.due == 100)
        book.sound()
    }

    @Test func aCreditNoteLowersTheBillAndWhatExceedsItIsCredit() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 1_000)))
        expectRecorded(book.record(payment("P1", 900)))
        let note = Adjust(
            adjustmentId: "A1", subscriptionNumber: s1, note: .credit, currency: "IRR", lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 250)],
            billId: "B1", valueDate: "2026-10-20", dueDate: nil, reason: "misread", approvedBy: "user:maryam")
        expectRecorded(book.record(.adjustment(note)))
        #expect(book.open("B1") == 0)
        #expect(book.balance("credit:\(s1)") == 150)
        #expect(book.balance("revenue:electricity:E-RES-1") == 750)
        expectRefused(book.record(.adjustment(Adjust(
            adjustmentId: "A2", subscriptionNumber: s1, note: .credit, currency: "IRR", lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 1)],
            billId: "B1", valueDate: "2026-10-20", dueDate: nil, reason: "  ", approvedBy: "user:maryam"))), "reason")
        book.sound()
    }

    @Test func aDebitNoteIsANewItemDueOnItsDate() {
        var book = utilityBook()
        let note = Adjust(
            adjustmentId: "A1", subscriptionNumber: s1, note: .debit, currency: "IRR", lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 700)],
            billId: nil, valueDate: "2026-09-01", dueDate: "2026-09-30", reason: "Tampered meter: unbilled energy", approvedBy: "user:maryam")
        expectRecorded(book.record(.adjustment(note)))
        #expect(book.balance(of: s1, asOf: day)?.overdue == 700)
        book.sound()
    }

    @Test func aWriteOffTakesWhatIsOpenAndNotMore() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 1_000)))
        expectRecorded(book.record(dispute("D1", bill: "B1", 100)))
        let writeOff = { (amount: Int) in
            LedgerRequest.writeOff(WriteOff(writeOffId: "W\(amount)", subscriptionNumber: s1, billId: "B1", amount: Money(amount: amount, currency: "IRR"), valueDate: "2026-12-31", reason: "estate closed", approvedBy: "user:maryam"))
        }
        expectRefused(book.record(writeOff(901)), "amount.amount")
        expectRecorded(book.record(writeOff(900)))
        #expect(book.balance("write-off:bad-debt:IRR") == 900)
        #expect(book.open("B1") == 100)
        book.sound()
    }

    @Test func cancellingABillTurnsWhatWasPaidOnItIntoCredit() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 1_000, vat: 100)))
        expectRecorded(book.record(payment("P1", 600)))
        let reversal = expectRecorded(book.record(.reversal(ReverseEntry(reversalId: "X1", entryId: "bill:B1", valueDate: "2026-10-20", reason: "rebill", approvedBy: "user:maryam"))))
        #expect(reversal[0].reverses == "bill:B1")
        #expect(book.open("B1") == 0)
        #expect(book.items["bill:B1"]?.cancelled == true)
        #expect(book.balance("credit:\(s1)") == 600)
        #expect(book.balance("revenue:electricity:E-RES-1") == 0)
        #expect(book.balance("tax:vat:IRR") == 0)
        expectRefused(book.record(.reversal(ReverseEntry(reversalId: "X2", entryId: "bill:B1", valueDate: "2026-10-20", reason: "again", approvedBy: "user:maryam"))), "entryId")
        // The rebill takes the credit.
        expectRecorded(book.record(bill("B1R", energy: 900)))
        #expect(book.open("B1R") == 300)
        // Reversing the payment now: its money had become credit, and that credit paid the rebill.
        expectRecorded(book.record(.reversal(ReverseEntry(reversalId: "X3", entryId: "payment:P1", valueDate: "2026-10-25", reason: "cheque bounced", approvedBy: "user:maryam"))))
        #expect(book.balance(of: s1, asOf: day)?.due == 900)
        #expect(book.balance("cash:bank:IRR") == 0)
        book.sound()
    }

    @Test func reversingAPaymentReopensTheBillsItPaid() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 400)))
        expectRecorded(book.record(payment("P1", 500)))
        expectRecorded(book.record(.reversal(ReverseEntry(reversalId: "X1", entryId: "payment:P1", valueDate: "2026-10-20", reason: "posted to the wrong customer", approvedBy: "user:maryam"))))
        #expect(book.open("B1") == 400)
        #expect(book.balance("credit:\(s1)") == 0)
        #expect(book.balance("cash:bank:IRR") == 0)
        book.sound()
    }

    @Test func aBillLoweredByANoteIsNotCancelledByItsChargeAlone() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 1_000)))
        expectRecorded(book.record(.adjustment(Adjust(
            adjustmentId: "A1", subscriptionNumber: s1, note: .credit, currency: "IRR", lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 100)],
            billId: "B1", valueDate: "2026-10-20", dueDate: nil, reason: "misread", approvedBy: "user:maryam"))))
        let cancel = LedgerRequest.reversal(ReverseEntry(reversalId: "X1", entryId: "bill:B1", valueDate: "2026-10-21", reason: "rebill", approvedBy: "user:maryam"))
        expectRefused(book.record(cancel), "entryId")
        expectRecorded(book.record(.reversal(ReverseEntry(reversalId: "X0", entryId: "adjustment:A1", valueDate: "2026-10-21", reason: "note undone", approvedBy: "user:maryam"))))
        expectRecorded(book.record(cancel))
        #expect(book.balance(of: s1, asOf: day)?.due == 0)
        #expect(book.balance("revenue:electricity:E-RES-1") == 0)
        book.sound()
    }

    @Test func aBillUnderDisputeIsNotCancelled() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 1_000)))
        expectRecorded(book.record(dispute("D1", bill: "B1", 100)))
        expectRefused(book.record(.reversal(ReverseEntry(reversalId: "X1", entryId: "bill:B1", valueDate: "2026-10-21", reason: "rebill", approvedBy: "user:maryam"))), "entryId")
        expectRefused(book.record(.reversal(ReverseEntry(reversalId: "X2", entryId: "dispute:D1", valueDate: "2026-10-21", reason: "undo", approvedBy: "user:maryam"))), "entryId")
    }
}
