import Contracts
import Ledger
import Testing

/// A book with the utility's accounts in IRR and two subscriptions of one customer.
func utilityBook(subscriptions: [String] = ["S-00000001-1", "S-00000002-2"]) -> Book {
    var book = Book()
    let accounts = [
        ("revenue:electricity:E-RES-1", "Electricity, residential"), ("revenue:water:W-RES-1", "Water, residential"), ("tax:vat:IRR", "VAT payable"),
        ("cash:bank:IRR", "Bank"), ("cash:card:IRR", "Card"), ("cash:cash-desk:IRR", "Cash desk"), ("cash:agent:IRR", "Agents"),
        ("suspense:disputes:IRR", "Disputes suspense"), ("write-off:bad-debt:IRR", "Bad debt written off"),
    ]
    for (code, name) in accounts { expectRecorded(book.record(.openAccount(OpenAccount(code: code, currency: "IRR", name: name)))) }
    for subscription in subscriptions {
        expectRecorded(book.record(.openSubscription(OpenSubscriptionAccounts(subscriptionNumber: subscription, customerNumber: "C-00000001-1", currency: "IRR"))))
    }
    return book
}

let s1 = "S-00000001-1"
let s2 = "S-00000002-2"

func bill(_ id: String, _ subscription: String = s1, energy: Int, vat: Int = 0, issued: String = "2026-10-01", due: String = "2026-10-15") -> LedgerRequest {
    var lines = [LedgerLine(account: "revenue:electricity:E-RES-1", amount: energy)]
    if vat != 0 { lines.append(LedgerLine(account: "tax:vat:IRR", amount: vat)) }
    return .charge(BillCharge(billId: id, subscriptionNumber: subscription, currency: "IRR", issueDate: issued, dueDate: due, lines: lines))
}

func payment(_ id: String, _ amount: Int, _ subscription: String = s1, bill: String? = nil, on date: String = "2026-10-10", channel: PaymentChannel = .bank) -> LedgerRequest {
    .payment(Payment(paymentId: id, subscriptionNumber: subscription, channel: channel, amount: Money(amount: amount, currency: "IRR"), valueDate: date, reference: "ref \(id)", billId: bill))
}

@discardableResult
func expectRecorded(_ outcome: LedgerOutcome, sourceLocation: SourceLocation = #_sourceLocation) -> [JournalEntry] {
    guard case .recorded(let entries) = outcome else {
        Issue.record("expected it recorded, got \(outcome)", sourceLocation: sourceLocation)
        return []
    }
    return entries
}

func expectRefused(_ outcome: LedgerOutcome, _ field: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard case .refused(let problems) = outcome else {
        Issue.record("expected a refusal naming \(field), got \(outcome)", sourceLocation: sourceLocation)
        return
    }
    #expect(problems.contains { $0.field == field }, "refused \(problems), not naming \(field)", sourceLocation: sourceLocation)
}

extension Book {
    func open(_ billId: String) -> Int? { items["bill:\(billId)"]?.open }
    func balance(_ code: String) -> Int { account(code)?.balance ?? 0 }
    func sound(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(violations(journal: changes.journal) == [], sourceLocation: sourceLocation)
    }
}

let day = LedgerDate.day("2026-11-01")!
