import Contracts
import Ledger
import Testing

/// Bad input is refused with the field and the reason, and changes nothing.
@Suite struct RefusalTests {
    func refusedLeavesNothing(_ request: LedgerRequest, _ field: String, in book: inout Book, sourceLocation: SourceLocation = #_sourceLocation) {
        let before = (book.accounts, book.items, book.changes.journal.count)
        expectRefused(book.record(request), field, sourceLocation: sourceLocation)
        #expect(book.accounts == before.0 && book.items == before.1 && book.changes.journal.count == before.2, sourceLocation: sourceLocation)
    }

    @Test func unknownAccountsAreRefused() {
        var book = utilityBook()
        refusedLeavesNothing(payment("P1", 100, "S-00000009-9"), "subscriptionNumber", in: &book)
        refusedLeavesNothing(
            .charge(BillCharge(billId: "B1", subscriptionNumber: s1, currency: "IRR", issueDate: "2026-10-01", dueDate: "2026-10-15",
                lines: [LedgerLine(account: "revenue:gas:G-RES-9", amount: 100)])), "lines[0].account", in: &book)
        refusedLeavesNothing(
            .charge(BillCharge(billId: "B1", subscriptionNumber: s1, currency: "IRR", issueDate: "2026-10-01", dueDate: "2026-10-15",
                lines: [LedgerLine(account: "cash:bank:IRR", amount: 100)])), "lines[0].account", in: &book)
    }

    @Test func zeroAndNegativePaymentsAreRefused() {
        var book = utilityBook()
        refusedLeavesNothing(payment("P1", 0), "amount.amount", in: &book)
        refusedLeavesNothing(payment("P2", -5), "amount.amount", in: &book)
        refusedLeavesNothing(payment("P3", Book.maximumAmount + 1), "amount.amount", in: &book)
    }

    @Test func unknownAndMismatchedCurrenciesAreRefused() {
        var book = utilityBook()
        refusedLeavesNothing(
            .payment(Payment(paymentId: "P1", subscriptionNumber: s1, channel: .bank, amount: Money(amount: 10, currency: "XYZ"), valueDate: "2026-10-01", reference: "")),
            "amount.currency", in: &book)
        refusedLeavesNothing(
            .payment(Payment(paymentId: "P1", subscriptionNumber: s1, channel: .bank, amount: Money(amount: 10, currency: "EUR"), valueDate: "2026-10-01", reference: "")),
            "amount.currency", in: &book)
        refusedLeavesNothing(.openAccount(OpenAccount(code: "cash:bank:EUR", currency: "IRR", name: "Bank")), "code", in: &book)
        refusedLeavesNothing(.openAccount(OpenAccount(code: "tax:vat:XYZ", currency: "XYZ", name: "VAT")), "currency", in: &book)
    }

    @Test func billsThatAddUpToNothingOrHaveBadDatesAreRefused() {
        var book = utilityBook()
        let lines = [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 100), LedgerLine(account: "tax:vat:IRR", amount: -100)]
        refusedLeavesNothing(.charge(BillCharge(billId: "B1", subscriptionNumber: s1, currency: "IRR", issueDate: "2026-10-01", dueDate: "2026-10-15", lines: lines)), "lines", in: &book)
        refusedLeavesNothing(.charge(BillCharge(billId: "B1", subscriptionNumber: s1, currency: "IRR", issueDate: "2026-10-01", dueDate: "2026-10-15", lines: [])), "lines", in: &book)
        refusedLeavesNothing(bill("B1", energy: 100, issued: "2026-10-01", due: "2026-09-30"), "dueDate", in: &book)
        refusedLeavesNothing(bill("B1", energy: 100, issued: "2026-02-30"), "issueDate", in: &book)
        refusedLeavesNothing(bill("B 1", energy: 100), "billId", in: &book)
    }

    @Test func refundsAndDisputesBeyondWhatThereIsAreRefused() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 100)))
        refusedLeavesNothing(
            .refund(RefundCredit(refundId: "R1", subscriptionNumber: s1, channel: .bank, amount: Money(amount: 1, currency: "IRR"), valueDate: "2026-10-01", reference: "", approvedBy: "user:maryam")),
            "amount.amount", in: &book)
        refusedLeavesNothing(
            .openDispute(OpenDispute(disputeId: "D1", subscriptionNumber: s1, billId: "B1", amount: Money(amount: 101, currency: "IRR"), valueDate: "2026-10-05", reason: "x")),
            "amount.amount", in: &book)
        refusedLeavesNothing(
            .openDispute(OpenDispute(disputeId: "D1", subscriptionNumber: s1, billId: "B9", amount: Money(amount: 1, currency: "IRR"), valueDate: "2026-10-05", reason: "x")),
            "billId", in: &book)
        refusedLeavesNothing(
            .resolveDispute(ResolveDispute(disputeId: "D9", decision: .rejected, acceptedAmount: nil, lines: nil, valueDate: "2026-10-05", reason: "x", approvedBy: "u")),
            "disputeId", in: &book)
    }

    @Test func openingAnAccountTwiceIsRefused() {
        var book = utilityBook()
        #expect(book.record(.openAccount(OpenAccount(code: "tax:vat:IRR", currency: "IRR", name: "VAT payable"))) == .alreadyRecorded)
        refusedLeavesNothing(.openAccount(OpenAccount(code: "tax:vat:IRR", currency: "IRR", name: "VAT")), "code", in: &book)
        refusedLeavesNothing(.openSubscription(OpenSubscriptionAccounts(subscriptionNumber: s1, customerNumber: "C-00000009-9", currency: "IRR")), "subscriptionNumber", in: &book)
    }
}
