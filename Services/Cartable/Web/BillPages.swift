import Billing
import Contracts
import Foundation
import Hummingbird

/// The printable bill: what Billing issued, with the customer's name and address from
/// Registration and a chart of the last periods; and the customer page's list of bills.
extension Pages {
    func addBills(to router: Router<BasicRequestContext>) {
        router.get("bills/:id") { request, context in
            let billId = try context.parameters.require("id")
            return try await page(request) { employee, csrf, _ in
                guard AccountRoutes.mayRead(employee) else {
                    return problemPage(.notFound, "No such bill", "There is no bill \(billId).", employee: employee, csrf: csrf)
                }
                let record: BillRecord?
                do {
                    record = try await BillRoutes.bill(billId, environment)
                } catch {
                    return problemPage(.serviceUnavailable, "Not available", "Billing did not answer. Try again in a moment.", employee: employee, csrf: csrf)
                }
                guard let record else { return problemPage(.notFound, "No such bill", "There is no bill \(billId).", employee: employee, csrf: csrf) }
                let customer = try? await CustomerRoutes.record(record.bill.customerNumber, environment)
                var values = base(employee, csrf: csrf, title: "Bill \(billId)", nav: "customers")
                values.merge(Self.bill(record, customer: customer ?? nil)) { $1 }
                return render("bill", values)
            }
        }
    }

    static func bill(_ record: BillRecord, customer: CustomerRecord?) -> [String: Any] {
        let bill = record.bill, quote = bill.quote
        func money(_ amount: Int) -> String { BillMaker.amount(amount, currency: quote.currency, minorDigits: quote.minorDigits) }
        let point = customer?.subscriptions.first { $0.subscriptionNumber == bill.subscriptionNumber }?.servicePoint
        var values: [String: Any] = [
            "billId": bill.billId, "kind": bill.kind.rawValue, "cancelReason": bill.cancelReason ?? "", "issueDate": bill.issueDate, "dueDate": bill.dueDate, "from": bill.from, "to": bill.to,
            "customerNumber": bill.customerNumber, "customerName": customer?.customer.displayName ?? bill.customerNumber,
            "customerAddress": customer.map { Self.address($0.customer.address) } ?? "",
            "subscriptionNumber": bill.subscriptionNumber, "servicePointNumber": bill.servicePointNumber,
            "serviceAddress": point.map { Self.address($0.premises.address) } ?? "", "utility": bill.utility.rawValue, "useType": bill.useType.rawValue,
            "region": bill.region, "tariffCode": quote.tariffCode, "billingCycle": bill.billingCycle,
            "message": bill.message, "charges": money(bill.charges), "previousDue": money(bill.carried.previousDue),
            "paymentsSince": money(bill.carried.paymentsSince), "adjustmentsSince": money(bill.carried.adjustmentsSince), "balance": money(bill.carried.balance),
            "amountDue": money(bill.amountDue),
            "chart": ConsumptionChart.svg(record.history, current: bill.billId, unit: unitOf(quote)),
        ]
        // Mustache shows a section for a key that is there: set only those that are true.
        if bill.status == .cancelled { values["cancelled"] = true }
        if bill.estimated { values["estimated"] = true }
        if bill.amountDue <= 0 { values["inCredit"] = true }
        if let replaces = bill.replaces { values["replaces"] = replaces }
        if quote.parts.count > 1 { values["parts"] = quote.parts.map { "\($0.from) to \($0.to): version of \($0.version)" }.joined(separator: "; ") }
        values["registers"] = bill.registers.map {
            [
                "meter": "\($0.manufacturer) \($0.serialNumber)", "register": $0.register, "multiplier": ConsumptionChart.number($0.multiplier),
                "openingIndex": ConsumptionChart.number($0.opening.index), "openingAt": String($0.opening.at.prefix(10)), "openingSource": $0.opening.source.rawValue,
                "closingIndex": ConsumptionChart.number($0.closing.index), "closingAt": String($0.closing.at.prefix(10)), "closingSource": $0.closing.source.rawValue,
                "consumption": ConsumptionChart.number($0.consumption),
            ]
        }
        values["lines"] = quote.lines.map { line in
            var shown = [
                "name": line.name, "quantity": line.quantity.map { ConsumptionChart.number($0) + " " + (line.unit ?? "") } ?? "",
                // A tax's price is its percent, unless it is a fixed sum a month.
                "unitPrice": line.unitPrice.map { "\($0)" + (line.kind == .tax && line.unit == nil ? "%" : "") } ?? "", "amount": money(line.amount),
            ]
            if quote.parts.count > 1 { shown["part"] = "\(quote.parts[line.part].from) – \(quote.parts[line.part].to)" }
            return shown
        }
        return values
    }

    static func unitOf(_ quote: PriceQuote) -> String { quote.lines.first { $0.kind == .energy }?.unit ?? "units" }
}
