/// The Ledger service's events: payments (processes wait for them), balances, disputes, and
/// the requests it refused.

/// The bill a payment, credit or note settled, and by how much.
public struct BillSettlement: Codable, Sendable, Hashable {
    public var billId: String
    public var amount: Int
    public init(billId: String, amount: Int) { (self.billId, self.amount) = (billId, amount) }
}

public struct PaymentReceived: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "payment-received"
    public static let kind = MessageKind.event
    public static let summary = "A payment was recorded: the bills it settled and what went to the customer's credit."
    public static let schema = JSONSchema.object(
        properties: [
            "payment": .payment, "customerNumber": .nullable(.customerNumber),
            "settled": .array(.object(properties: ["billId": .string(), "amount": .integer(minimum: 1)], required: ["billId", "amount"])),
            "credited": .integer(minimum: 0),
        ], required: ["payment", "settled", "credited"])
    public static var example: PaymentReceived {
        PaymentReceived(payment: RecordPayments.example.payments[0], customerNumber: "C-00000421-7", settled: [BillSettlement(billId: "B-1405-000123", amount: 1_375_000)], credited: 0)
    }
    public var payment: Payment
    public var customerNumber: String?
    public var settled: [BillSettlement]
    public var credited: Int
    public init(payment: Payment, customerNumber: String?, settled: [BillSettlement], credited: Int) {
        (self.payment, self.customerNumber, self.settled, self.credited) = (payment, customerNumber, settled, credited)
    }
}

/// The balances a command changed, one entry per subscription: one event per command, so a
/// billing run's thousand charges are one message.
public struct BalanceChanged: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "balance-changed"
    public static let kind = MessageKind.event
    public static let summary = "Subscriptions' balances changed: what each now owes (due, overdue), holds in disputes, and has in credit and deposit."
    public struct Entry: Codable, Sendable, Equatable {
        public var subscriptionNumber: String
        public var customerNumber: String?
        public var balance: LedgerBalance
        public init(subscriptionNumber: String, customerNumber: String?, balance: LedgerBalance) {
            (self.subscriptionNumber, self.customerNumber, self.balance) = (subscriptionNumber, customerNumber, balance)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "asOf": .string(format: .date),
            "balances": .array(.object(
                properties: ["subscriptionNumber": .string(), "customerNumber": .nullable(.string()), "balance": .ledgerBalance],
                required: ["subscriptionNumber", "balance"])),
        ], required: ["asOf", "balances"])
    public static var example: BalanceChanged {
        BalanceChanged(asOf: "2026-12-03", balances: [
            Entry(subscriptionNumber: "S-00000052-6", customerNumber: "C-00000421-7", balance: LedgerBalance(currency: "IRR", due: 0, overdue: 0, held: 0, credit: 0, deposit: 2_000_000))
        ])
    }
    public var asOf: String
    public var balances: [Entry]
    public init(asOf: String, balances: [Entry]) { (self.asOf, self.balances) = (asOf, balances) }
}

public struct DisputeOpened: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "dispute-opened"
    public static let kind = MessageKind.event
    public static let summary = "A disputed amount is held: dunning and reports leave it aside until the dispute is resolved."
    public static let schema = JSONSchema.object(
        properties: [
            "disputeId": .string(), "subscriptionNumber": .string(), "customerNumber": .nullable(.string()), "billId": .nullable(.string()), "amount": .positiveMoney,
            "reason": .string(), "valueDate": .string(format: .date),
        ], required: ["disputeId", "subscriptionNumber", "amount", "reason", "valueDate"])
    public static var example: DisputeOpened {
        DisputeOpened(
            disputeId: "DSP-2026-0031", subscriptionNumber: "S-00000052-6", customerNumber: "C-00000421-7", billId: "B-1405-000123",
            amount: Money(amount: 400_000, currency: "IRR"), reason: "The customer says the meter was read twice", valueDate: "2026-12-04")
    }
    public var disputeId: String
    public var subscriptionNumber: String
    public var customerNumber: String?
    public var billId: String?
    public var amount: Money
    public var reason: String
    public var valueDate: String
    public init(disputeId: String, subscriptionNumber: String, customerNumber: String?, billId: String?, amount: Money, reason: String, valueDate: String) {
        (self.disputeId, self.subscriptionNumber, self.customerNumber, self.billId, self.amount, self.reason, self.valueDate) =
            (disputeId, subscriptionNumber, customerNumber, billId, amount, reason, valueDate)
    }
}

public struct DisputeResolved: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "dispute-resolved"
    public static let kind = MessageKind.event
    public static let summary = "A dispute was decided: the amount credited to the customer, and the amount due again."
    public static let schema = JSONSchema.object(
        properties: [
            "disputeId": .string(), "subscriptionNumber": .string(), "billId": .nullable(.string()), "decision": .enumeration(DisputeDecision.allCases.map(\.rawValue)),
            "currency": .currency, "accepted": .integer(minimum: 0), "released": .integer(minimum: 0),
        ], required: ["disputeId", "subscriptionNumber", "decision", "currency", "accepted", "released"])
    public static var example: DisputeResolved {
        DisputeResolved(disputeId: "DSP-2026-0031", subscriptionNumber: "S-00000052-6", billId: "B-1405-000123", decision: .accepted, currency: "IRR", accepted: 250_000, released: 150_000)
    }
    public var disputeId: String
    public var subscriptionNumber: String
    public var billId: String?
    public var decision: DisputeDecision
    public var currency: String
    /// Credited to the customer.
    public var accepted: Int
    /// Due again.
    public var released: Int
    public init(disputeId: String, subscriptionNumber: String, billId: String?, decision: DisputeDecision, currency: String, accepted: Int, released: Int) {
        (self.disputeId, self.subscriptionNumber, self.billId, self.decision, self.currency, self.accepted, self.released) =
            (disputeId, subscriptionNumber, billId, decision, currency, accepted, released)
    }
}

/// A request of a command the ledger refused, by its id (`payment:BANK-…`), with each field's
/// reason; nothing of it was recorded. The command's other requests stand on their own.
public struct LedgerCommandRefused: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "command-refused"
    public static let kind = MessageKind.event
    public static let summary = "A ledger request was refused, nothing of it recorded; its message id is the causation id."
    public static let schema = JSONSchema.object(
        properties: ["command": .string(minLength: 1), "request": .string(), "problems": .fieldProblems], required: ["command", "request", "problems"])
    public static var example: LedgerCommandRefused {
        LedgerCommandRefused(
            command: "ledger.record-payments.v1", request: "payment:BANK-20261203-0042",
            problems: [FieldProblem("payments[0].amount.amount", "must be more than zero, not 0")])
    }
    public var command: String
    public var request: String
    public var problems: [FieldProblem]
    public init(command: String, request: String, problems: [FieldProblem]) { (self.command, self.request, self.problems) = (command, request, problems) }
}
