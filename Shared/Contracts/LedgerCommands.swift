/// The Ledger service's commands for opening accounts, charging bills and taking payments.
/// Every one carries the client's id of what it records: sent again with the same content it
/// is already recorded; with other content it is refused.

/// One of the utility's own accounts: revenue per utility and tariff, a tax payable, a channel's
/// cash, the disputes suspense, write-offs. The code says which (`cash:bank:IRR`).
public struct OpenAccount: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "open-account"
    public static let kind = MessageKind.command
    public static let summary = "Open one of the utility's accounts: revenue, tax, cash, disputes suspense or write-off."
    public static let schema = JSONSchema.object(
        properties: ["code": .accountCode, "currency": .currency, "name": .string(minLength: 1, maxLength: 200)], required: ["code", "currency", "name"])
    public static var example: OpenAccount { OpenAccount(code: "tax:vat:IRR", currency: "IRR", name: "VAT payable") }
    public var code: String
    public var currency: String
    public var name: String
    public init(code: String, currency: String, name: String) { (self.code, self.currency, self.name) = (code, currency, name) }
}

/// A subscription's accounts: its receivable, its credit (overpayments) and its deposit held.
/// Registration's `subscription-created` opens them too.
public struct OpenSubscriptionAccounts: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "open-subscription-accounts"
    public static let kind = MessageKind.command
    public static let summary = "Open a subscription's receivable, credit and deposit accounts, grouped under its customer."
    public static let schema = JSONSchema.object(
        properties: ["subscriptionNumber": .subscriptionNumber, "customerNumber": .customerNumber, "currency": .currency],
        required: ["subscriptionNumber", "customerNumber", "currency"])
    public static var example: OpenSubscriptionAccounts { OpenSubscriptionAccounts(subscriptionNumber: "S-00000052-6", customerNumber: "C-00000421-7", currency: "IRR") }
    public var subscriptionNumber: String
    public var customerNumber: String
    public var currency: String
    public init(subscriptionNumber: String, customerNumber: String, currency: String) {
        (self.subscriptionNumber, self.customerNumber, self.currency) = (subscriptionNumber, customerNumber, currency)
    }
}

/// The charges of issued bills, as a billing run sends them: up to 1,000 a message, each
/// recorded or refused on its own.
public struct PostBillCharges: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "post-bill-charges"
    public static let kind = MessageKind.command
    public static let summary = "Post the charges of issued bills: each bill's receivable debited, its revenue and tax accounts credited."
    public static let maximumCharges = 1_000
    public static let schema = JSONSchema.object(properties: ["charges": .array(.billCharge)], required: ["charges"])
    public static var example: PostBillCharges {
        PostBillCharges(charges: [
            BillCharge(
                billId: "B-1405-000123", subscriptionNumber: "S-00000052-6", currency: "IRR", issueDate: "2026-12-01", dueDate: "2026-12-15",
                lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 1_250_000), LedgerLine(account: "tax:vat:IRR", amount: 125_000)])
        ])
    }
    public var charges: [BillCharge]
    public init(charges: [BillCharge]) { self.charges = charges }
}

/// Payments from banks and payment providers: up to 1,000 a message; a payment received twice
/// is recorded once.
public struct RecordPayments: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "record-payments"
    public static let kind = MessageKind.command
    public static let summary = "Record payments: each allocated to the oldest open bills first, what is over kept as credit."
    public static let maximumPayments = 1_000
    public static let schema = JSONSchema.object(properties: ["payments": .array(.payment)], required: ["payments"])
    public static var example: RecordPayments {
        RecordPayments(payments: [
            Payment(
                paymentId: "BANK-20261203-0042", subscriptionNumber: "S-00000052-6", channel: .bank, amount: Money(amount: 1_375_000, currency: "IRR"),
                valueDate: "2026-12-03", reference: "Shaparak 771203", billId: "B-1405-000123")
        ])
    }
    public var payments: [Payment]
    public init(payments: [Payment]) { self.payments = payments }
}

/// A deposit taken from the customer, held until it is returned.
public struct TakeDeposit: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "take-deposit"
    public static let kind = MessageKind.command
    public static let summary = "Take a deposit from a customer through a channel; it is held in the subscription's deposit account."
    public static let schema = JSONSchema.object(
        properties: [
            "depositId": .ledgerId, "subscriptionNumber": .subscriptionNumber, "channel": .channel, "amount": .positiveMoney,
            "valueDate": .string(format: .date),
        ], required: ["depositId", "subscriptionNumber", "channel", "amount", "valueDate"])
    public static var example: TakeDeposit {
        TakeDeposit(depositId: "DEP-52", subscriptionNumber: "S-00000052-6", channel: .cashDesk, amount: Money(amount: 2_000_000, currency: "IRR"), valueDate: "2026-12-01")
    }
    public var depositId: String
    public var subscriptionNumber: String
    public var channel: PaymentChannel
    public var amount: Money
    public var valueDate: String
    public init(depositId: String, subscriptionNumber: String, channel: PaymentChannel, amount: Money, valueDate: String) {
        (self.depositId, self.subscriptionNumber, self.channel, self.amount, self.valueDate) = (depositId, subscriptionNumber, channel, amount, valueDate)
    }
}

/// A deposit given back: paid out, or set against the open bills (a final bill).
public struct ReturnDeposit: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "return-deposit"
    public static let kind = MessageKind.command
    public static let summary = "Return a held deposit: refunded through a channel, or set against the subscription's open bills."
    public static let schema = JSONSchema.object(
        properties: [
            "returnId": .ledgerId, "subscriptionNumber": .subscriptionNumber, "amount": .positiveMoney, "to": .enumeration(DepositReturn.allCases.map(\.rawValue)),
            "channel": .nullable(.channel), "valueDate": .string(format: .date),
        ], required: ["returnId", "subscriptionNumber", "amount", "to", "valueDate"])
    public static var example: ReturnDeposit {
        ReturnDeposit(returnId: "DEP-52-RET", subscriptionNumber: "S-00000052-6", amount: Money(amount: 2_000_000, currency: "IRR"), to: .bills, channel: nil, valueDate: "2027-06-30")
    }
    public var returnId: String
    public var subscriptionNumber: String
    public var amount: Money
    public var to: DepositReturn
    /// The channel it is paid out through, for a refund.
    public var channel: PaymentChannel?
    public var valueDate: String
    public init(returnId: String, subscriptionNumber: String, amount: Money, to: DepositReturn, channel: PaymentChannel?, valueDate: String) {
        (self.returnId, self.subscriptionNumber, self.amount, self.to, self.channel, self.valueDate) = (returnId, subscriptionNumber, amount, to, channel, valueDate)
    }
}

/// Credit (overpayments) paid back to the customer.
public struct RefundCredit: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "refund-credit"
    public static let kind = MessageKind.command
    public static let summary = "Pay a customer's credit back through a channel."
    public static let schema = JSONSchema.object(
        properties: [
            "refundId": .ledgerId, "subscriptionNumber": .subscriptionNumber, "channel": .channel, "amount": .positiveMoney,
            "valueDate": .string(format: .date), "reference": .string(maxLength: 100), "approvedBy": .employee,
        ], required: ["refundId", "subscriptionNumber", "channel", "amount", "valueDate", "reference", "approvedBy"])
    public static var example: RefundCredit {
        RefundCredit(
            refundId: "REF-52-1", subscriptionNumber: "S-00000052-6", channel: .bank, amount: Money(amount: 50_000, currency: "IRR"), valueDate: "2026-12-20",
            reference: "IBAN IR0601…", approvedBy: "user:maryam")
    }
    public var refundId: String
    public var subscriptionNumber: String
    public var channel: PaymentChannel
    public var amount: Money
    public var valueDate: String
    public var reference: String
    public var approvedBy: String
    public init(refundId: String, subscriptionNumber: String, channel: PaymentChannel, amount: Money, valueDate: String, reference: String, approvedBy: String) {
        (self.refundId, self.subscriptionNumber, self.channel, self.amount, self.valueDate, self.reference, self.approvedBy) =
            (refundId, subscriptionNumber, channel, amount, valueDate, reference, approvedBy)
    }
}
