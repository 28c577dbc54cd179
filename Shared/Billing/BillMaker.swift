import Contracts

/// Turns a priced draft into the bill and its ledger charge.
public enum BillMaker {
    /// A bill number: the series and its sequence, `B2026-0000123`.
    public static func number(series: String, sequence: Int) -> String { "\(series)-\(BillingDay.padded(sequence, 7))" }

    /// Bills of a run are numbered in the series of their issue year.
    public static func series(issueDay: Int) -> String { "B\(CivilCalendar.civil(days: issueDay).year)" }

    public static func bill(
        _ draft: BillDraft, quote: PriceQuote, billId: String, runId: String?, issueDay: Int, dueDays: Int, carried: CarriedBalance, replaces: String? = nil
    ) -> Bill {
        let due = issueDay + dueDays
        let amountDue = carried.balance + quote.total
        var message = amountDue > 0 ? "Please pay \(amount(amountDue, quote)) by \(BillingDay.text(day: due))." : "Nothing to pay: your account is in credit."
        if draft.estimated { message += " Some readings of this bill are estimated; your next actual reading puts it right." }
        if draft.belowEstimate { message += " Your meter read below the estimate of an earlier bill: the difference is taken off your coming bills." }
        if draft.kind == .final { message += " This is the final bill of this subscription." }
        return Bill(
            billId: billId, kind: draft.kind, status: .issued, runId: runId, subscriptionNumber: draft.terms.subscriptionNumber,
            customerNumber: draft.terms.customerNumber, servicePointNumber: draft.terms.servicePointNumber, utility: draft.terms.utility,
            useType: draft.terms.useType, region: draft.terms.region, billingCycle: draft.terms.billingCycle, from: BillingDay.text(day: draft.from),
            to: BillingDay.text(day: draft.to), issueDate: BillingDay.text(day: issueDay), dueDate: BillingDay.text(day: due), registers: draft.registers,
            consumption: draft.consumption, estimated: draft.estimated, quote: quote, carried: carried, amountDue: amountDue, message: message,
            replaces: replaces)
    }

    /// The ledger lines of a bill: its revenue to the tariff's account, each tax to its own.
    /// Nil when the bill charges nothing; an error when a line group would be negative.
    public static func charge(of bill: Bill) throws(BillingRefused) -> BillCharge? {
        guard bill.quote.total != 0 else { return nil }
        var sums: [String: Int] = [:]
        var order: [String] = []
        for line in bill.quote.lines {
            let account = line.kind == .tax ? Tax.account(named: line.name, currency: bill.quote.currency) : "revenue:\(bill.utility.rawValue):\(bill.quote.tariffCode)"
            if sums[account] == nil { order.append(account) }
            sums[account, default: 0] += line.amount
        }
        let lines = order.compactMap { account in sums[account].flatMap { $0 == 0 ? nil : LedgerLine(account: account, amount: $0) } }
        if let negative = lines.first(where: { $0.amount < 0 }) {
            throw BillingRefused("quote.lines", "the bill would credit \(negative.account) with \(-negative.amount): a bill charges, a credit note credits")
        }
        return BillCharge(
            billId: bill.billId, subscriptionNumber: bill.subscriptionNumber, currency: bill.quote.currency, issueDate: bill.issueDate, dueDate: bill.dueDate,
            lines: lines)
    }

    /// What was carried from the last bill and the ledger.
    public static func carried(previousDue: Int, paymentsSince: Int, ledgerBalance: Int) -> CarriedBalance {
        CarriedBalance(previousDue: previousDue, paymentsSince: paymentsSince, adjustmentsSince: ledgerBalance - (previousDue - paymentsSince), balance: ledgerBalance)
    }

    /// Minor units as the currency writes them: `1,250.50 USD`.
    public static func amount(_ minor: Int, _ quote: PriceQuote) -> String { amount(minor, currency: quote.currency, minorDigits: quote.minorDigits) }

    public static func amount(_ minor: Int, currency: String, minorDigits: Int) -> String {
        let sign = minor < 0 ? "-" : ""
        var scale = 1
        for _ in 0..<minorDigits { scale *= 10 }
        let whole = abs(minor) / scale, fraction = abs(minor) % scale
        var digits = String(whole), grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        let fractionText = minorDigits > 0 ? "." + BillingDay.padded(fraction, minorDigits) : ""
        return "\(sign)\(digits)\(grouped)\(fractionText) \(currency)"
    }
}

/// Why a subscription could not be billed, naming what was wrong.
public struct BillingRefused: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String
    public init(_ field: String, _ message: String) { (self.field, self.message) = (field, message) }
    public var description: String { "\(field): \(message)" }
}
