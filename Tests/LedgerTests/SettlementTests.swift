import Contracts
import Foundation
import Ledger
import Testing

/// Bills, payments and credit as a customer office sees them on a statement.
@Suite struct SettlementTests {
    @Test func aBillDebitsTheReceivableAndCreditsRevenueAndTax() {
        var book = utilityBook()
        let entries = expectRecorded(book.record(bill("B1", energy: 1_250_000, vat: 125_000)))
        #expect(entries.count == 1)
        #expect(entries[0].postings == [Posting("receivable:\(s1)", 1_375_000), Posting("revenue:electricity:E-RES-1", -1_250_000), Posting("tax:vat:IRR", -125_000)])
        #expect(book.balance("receivable:\(s1)") == 1_375_000)
        #expect(book.balance("revenue:electricity:E-RES-1") == 1_250_000)
        #expect(book.balance("tax:vat:IRR") == 125_000)
        #expect(book.open("B1") == 1_375_000)
        book.sound()
    }

    @Test func aPaymentSettlesTheOldestBillsFirstAndKeepsTheRestAsCredit() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B2", energy: 300, issued: "2026-09-01", due: "2026-09-15")))
        expectRecorded(book.record(bill("B1", energy: 200, issued: "2026-08-01", due: "2026-08-15")))
        expectRecorded(book.record(bill("B3", energy: 400, issued: "2026-10-01", due: "2026-10-15")))
        let entries = expectRecorded(book.record(payment("P1", 1_000)))
        #expect(entries[0].postings == [Posting("cash:bank:IRR", 1_000), Posting("receivable:\(s1)", -900), Posting("credit:\(s1)", -100)])
        #expect([book.open("B1"), book.open("B2"), book.open("B3")] == [0, 0, 0])
        #expect(book.balance("credit:\(s1)") == 100)
        guard case .paymentReceived(_, _, let settled, let credited) = book.changes.facts.last else { Issue.record("no payment fact"); return }
        #expect(settled == [BillSettlement(billId: "B1", amount: 200), BillSettlement(billId: "B2", amount: 300), BillSettlement(billId: "B3", amount: 400)])
        #expect(credited == 100)
        book.sound()
    }

    @Test func theBillAPayerNamesIsPaidBeforeOlderOnes() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 200, issued: "2026-08-01", due: "2026-08-15")))
        expectRecorded(book.record(bill("B2", energy: 300, issued: "2026-09-01", due: "2026-09-15")))
        expectRecorded(book.record(payment("P1", 350, bill: "B2")))
        #expect(book.open("B2") == 0)
        #expect(book.open("B1") == 150)
    }

    @Test func creditIsAppliedToTheNextBill() {
        var book = utilityBook()
        expectRecorded(book.record(payment("P1", 500)))
        #expect(book.balance("credit:\(s1)") == 500)
        let entries = expectRecorded(book.record(bill("B1", energy: 800)))
        #expect(entries.map(\.id) == ["bill:B1", "bill:B1/credit"])
        #expect(book.open("B1") == 300)
        #expect(book.balance("credit:\(s1)") == 0)
        #expect(book.balance(of: s1, asOf: day)?.due == 300)
        book.sound()
    }

    @Test func balanceSaysWhatIsDueOverdueHeldAndCredited() {
        var book = utilityBook()
        expectRecorded(book.record(bill("B1", energy: 1_000, issued: "2026-09-01", due: "2026-09-15")))
        expectRecorded(book.record(bill("B2", energy: 700, issued: "2026-10-20", due: "2026-11-05")))
        expectRecorded(book.record(.openDispute(OpenDispute(
            disputeId: "D1", subscriptionNumber: s1, billId: "B1", amount: Money(amount: 400, currency: "IRR"), valueDate: "2026-09-20", reason: "read twice"))))
        let balance = book.balance(of: s1, asOf: day)
        #expect(balance == LedgerBalance(currency: "IRR", due: 1_300, overdue: 600, held: 400, credit: 0, deposit: 0))
        #expect(Ageing.of(book.openItems(of: s1), asOf: day) == Ageing(current: 700, days0to30: 0, days31to60: 600))
    }

    @Test func depositsAreHeldAndReturnedToTheBillsOrPaidOut() {
        var book = utilityBook()
        expectRecorded(book.record(.deposit(TakeDeposit(depositId: "DEP1", subscriptionNumber: s1, channel: .cashDesk, amount: Money(amount: 2_000, currency: "IRR"), valueDate: "2026-01-05"))))
        #expect(book.balance("deposit:\(s1)") == 2_000)
        #expect(book.balance("cash:cash-desk:IRR") == 2_000)
        expectRecorded(book.record(bill("FINAL", energy: 1_500)))
        expectRecorded(book.record(.depositReturn(ReturnDeposit(returnId: "R1", subscriptionNumber: s1, amount: Money(amount: 1_800, currency: "IRR"), to: .bills, channel: nil, valueDate: "2026-10-20"))))
        #expect(book.open("FINAL") == 0)
        #expect(book.balance("credit:\(s1)") == 300)
        #expect(book.balance("deposit:\(s1)") == 200)
        expectRefused(book.record(.depositReturn(ReturnDeposit(returnId: "R2", subscriptionNumber: s1, amount: Money(amount: 201, currency: "IRR"), to: .refund, channel: .bank, valueDate: "2026-10-21"))), "amount.amount")
        expectRecorded(book.record(.depositReturn(ReturnDeposit(returnId: "R3", subscriptionNumber: s1, amount: Money(amount: 200, currency: "IRR"), to: .refund, channel: .bank, valueDate: "2026-10-21"))))
        expectRecorded(book.record(.refund(RefundCredit(refundId: "RF1", subscriptionNumber: s1, channel: .bank, amount: Money(amount: 300, currency: "IRR"), valueDate: "2026-10-22", reference: "IBAN", approvedBy: "user:maryam"))))
        #expect(book.balance(of: s1, asOf: day) == LedgerBalance(currency: "IRR", due: 0, overdue: 0, held: 0, credit: 0, deposit: 0))
        #expect(book.balance("cash:bank:IRR") == -500)
        book.sound()
    }

    @Test func theSameIdWithTheSameContentIsRecordedOnceAndWithOtherContentRefused() {
        var book = utilityBook()
        expectRecorded(book.record(payment("P1", 500)))
        #expect(book.record(payment("P1", 500)) == .alreadyRecorded)
        expectRefused(book.record(payment("P1", 501)), "paymentId")
        #expect(book.balance("cash:bank:IRR") == 500)
        expectRecorded(book.record(bill("B1", energy: 100)))
        #expect(book.record(bill("B1", energy: 100)) == .alreadyRecorded)
        expectRefused(book.record(bill("B1", energy: 101)), "billId")
        book.sound()
    }
}

/// The hand-written JSON of the hot types is what the standard encoder writes.
@Suite struct HandWrittenJSONTests {
    func standard(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func paymentsChargesAndTheirEventsMatchTheStandardEncoder() throws {
        let payment = Payment(
            paymentId: "P/1", subscriptionNumber: s1, channel: .cashDesk, amount: Money(amount: 1_375_000, currency: "IRR"), valueDate: "2026-12-03",
            reference: "Shaparak \"77\"\n\\ok — ✓", billId: "B-1")
        #expect(LedgerRequest.payment(payment).content == (try standard(payment)))
        var unnamed = payment
        unnamed.billId = nil
        #expect(LedgerRequest.payment(unnamed).content == (try standard(unnamed)))
        let charge = BillCharge(
            billId: "B-1", subscriptionNumber: s1, currency: "IRR", issueDate: "2026-12-01", dueDate: "2026-12-15",
            lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 1_250_000), LedgerLine(account: "tax:vat:IRR", amount: -125)])
        #expect(LedgerRequest.charge(charge).content == (try standard(charge)))
        let event = PaymentReceived(payment: payment, customerNumber: "C-00000001-1", settled: [BillSettlement(billId: "B-1", amount: 5)], credited: 7)
        #expect(String(decoding: event.json, as: UTF8.self) == (try standard(event)))
        var anonymous = event
        anonymous.customerNumber = nil
        anonymous.settled = []
        #expect(String(decoding: anonymous.json, as: UTF8.self) == (try standard(anonymous)))
        let balances = BalanceChanged(asOf: "2026-12-03", balances: [
            .init(subscriptionNumber: s1, customerNumber: "C-1", balance: LedgerBalance(currency: "IRR", due: 1, overdue: -2, held: 3, credit: 4, deposit: 5)),
            .init(subscriptionNumber: s2, customerNumber: nil, balance: LedgerBalance(currency: "USD", due: 0, overdue: 0, held: 0, credit: 0, deposit: 0)),
        ])
        #expect(String(decoding: balances.json, as: UTF8.self) == (try standard(balances)))
    }
}
