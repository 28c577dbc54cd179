import Billing
import Contracts
import Foundation
import Testing

/// The bill from a priced draft, and the ledger lines of its charge.
@Suite struct BillMakerTests {
    @Test func revenueAndEachTaxGoToTheirOwnAccounts() throws {
        let charge = try #require(try BillMaker.charge(of: .example))
        #expect(charge.lines == [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 716_000), LedgerLine(account: "tax:vat:IRR", amount: 71_600)])
        #expect(charge.total == Bill.example.quote.total)
        #expect(charge.billId == "B2026-0000123")
    }

    @Test func aBillThatChargesNothingPostsNothing() throws {
        var bill = Bill.example
        bill.quote.lines = []
        bill.quote.total = 0
        #expect(try BillMaker.charge(of: bill) == nil)
    }

    @Test func aBillThatWouldCreditAnAccountIsRefused() {
        var bill = Bill.example
        bill.quote.lines = [BillLine(kind: .discount, charge: .energy, name: "Discount", part: 0, amount: -500)]
        bill.quote.total = -500
        #expect(throws: BillingRefused.self) { try BillMaker.charge(of: bill) }
    }

    @Test func theCarriedBalanceSplitsWhatChangedSinceTheLastBill() {
        let carried = BillMaker.carried(previousDue: 650_000, paymentsSince: 600_000, ledgerBalance: 40_000)
        #expect(carried == CarriedBalance(previousDue: 650_000, paymentsSince: 600_000, adjustmentsSince: -10_000, balance: 40_000))
    }

    @Test func numbersAndAmountsAreWrittenAsPeopleReadThem() {
        #expect(BillMaker.number(series: "B2026", sequence: 42) == "B2026-0000042")
        #expect(BillMaker.series(issueDay: BillingDay.day("2026-12-01")!) == "B2026")
        #expect(BillMaker.amount(1_234_567, currency: "IRR", minorDigits: 0) == "1,234,567 IRR")
        #expect(BillMaker.amount(-123_405, currency: "USD", minorDigits: 2) == "-1,234.05 USD")
    }

    @Test func intervalsPriceAPeriodOnlyWhenTheyCoverItWhole() throws {
        let day = BillingDay.day("2026-11-01")!
        let blocks = (0..<2).map { Intervals.Block(start: (day + $0) * 1_440, minutes: 60, values: Array(repeating: 0.5, count: 24)) }
        let whole = try #require(Intervals.covering(from: day, to: day + 1, blocks: blocks, multiplier: 2))
        #expect(whole.values.count == 48)
        #expect(whole.values.allSatisfy { $0 == 1 })
        #expect(whole.start == "2026-11-01T00:00")
        #expect(Intervals.covering(from: day, to: day + 2, blocks: blocks, multiplier: 1) == nil)
        #expect(Intervals.minute("2026-11-01T01:15") == day * 1_440 + 75)
    }
}

/// The JSON written by hand for a million bills reads back as the bills it was written from.
@Suite struct BillJSONTests {
    @Test func billsTheirEventsAndTheirChargesReadBackAsWritten() throws {
        var bill = Bill.example
        bill.cancelReason = "Reading corrected"
        bill.replaces = "B2026-0000001"
        bill.consumption = ["peak": 120.5, "off-peak": 0.25]
        bill.message = "Quote \" and backslash \\ and تهران"
        #expect(try JSONDecoder().decode(Bill.self, from: Data(bill.json)) == bill)
        #expect(try JSONDecoder().decode(Bill.self, from: Data(Bill.example.json)) == Bill.example)
        let issued = BillIssued(runId: nil, bills: [BillIssued.Entry(bill: bill), BillIssued.Entry(bill: .example)])
        #expect(try JSONDecoder().decode(BillIssued.self, from: Data(issued.json)) == issued)
        #expect(try JSONDecoder().decode(PostBillCharges.self, from: Data(PostBillCharges.example.json)) == PostBillCharges.example)
        // The same value as Foundation's encoder writes.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(try JSONValue.parse(Bill.example.json) == JSONValue.parse(Array(try encoder.encode(Bill.example))))
    }
}
