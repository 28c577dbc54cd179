/// Billing's events: what became of readings, bills issued and cancelled, runs completed.

/// The answer to `record-readings`, reading by reading that was not simply stored.
public struct ReadingsChecked: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "readings-checked"
    public static let kind = MessageKind.event
    public static let summary = "What validation made of a record-readings message: how many stored, and each duplicate, flagged or refused reading."
    public struct Flagged: Codable, Sendable, Equatable {
        public var readingId: String
        public var flags: [ReadingFlag]
        public init(readingId: String, flags: [ReadingFlag]) { (self.readingId, self.flags) = (readingId, flags) }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "stored": .integer(minimum: 0), "duplicates": .array(.readingId),
            "flagged": .array(.object(properties: ["readingId": .readingId, "flags": .readingFlags], required: ["readingId", "flags"])),
            "refused": .fieldProblems,
        ], required: ["stored", "duplicates", "flagged", "refused"])
    public static var example: ReadingsChecked {
        ReadingsChecked(
            stored: 998, duplicates: ["MDM-20261130-000007"], flagged: [Flagged(readingId: "MDM-20261130-000042", flags: [.high])],
            refused: [FieldProblem("readings[3].index", "1234567 does not fit the meter's 6 dials")])
    }
    /// Stored, flagged ones included.
    public var stored: Int
    /// Already recorded, with the same index: not stored again.
    public var duplicates: [String]
    /// Stored but held back for the billing officer's review.
    public var flagged: [Flagged]
    public var refused: [FieldProblem]
    public init(stored: Int, duplicates: [String], flagged: [Flagged], refused: [FieldProblem]) {
        (self.stored, self.duplicates, self.flagged, self.refused) = (stored, duplicates, flagged, refused)
    }
}

/// Bills issued: a run's chunk at a time (up to 1,000), or one final bill or rebill.
public struct BillIssued: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "bill-issued"
    public static let kind = MessageKind.event
    public static let summary = "Bills were issued (a run's chunk, a final bill or a rebill), each with its period, charges and amount due."
    public struct Entry: Codable, Sendable, Equatable {
        public var billId: String
        public var kind: BillKind
        public var subscriptionNumber: String
        public var customerNumber: String
        public var utility: Utility
        public var region: String
        public var tariffCode: String
        public var from: String
        public var to: String
        public var issueDate: String
        public var dueDate: String
        public var currency: String
        public var charges: Int
        public var amountDue: Int
        /// By register name.
        public var consumption: [String: Double]
        public var estimated: Bool
        public init(bill: Bill) {
            (billId, kind, subscriptionNumber, customerNumber, utility, region) = (bill.billId, bill.kind, bill.subscriptionNumber, bill.customerNumber, bill.utility, bill.region)
            (tariffCode, from, to, issueDate, dueDate) = (bill.quote.tariffCode, bill.from, bill.to, bill.issueDate, bill.dueDate)
            (currency, charges, amountDue, consumption, estimated) = (bill.quote.currency, bill.charges, bill.amountDue, bill.consumption, bill.estimated)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "runId": .nullable(.runId),
            "bills": .array(.object(
                properties: [
                    "billId": .billId, "kind": .enumeration(BillKind.allCases.map(\.rawValue)), "subscriptionNumber": .subscriptionNumber, "customerNumber": .string(),
                    "utility": .enumeration(Utility.allCases.map(\.rawValue)), "region": .string(), "tariffCode": .tariffCode, "from": .string(format: .date),
                    "to": .string(format: .date), "issueDate": .string(format: .date), "dueDate": .string(format: .date), "currency": .currency,
                    "charges": .integer(), "amountDue": .integer(), "consumption": .any, "estimated": .boolean,
                ],
                required: [
                    "billId", "kind", "subscriptionNumber", "customerNumber", "utility", "region", "tariffCode", "from", "to", "issueDate", "dueDate", "currency",
                    "charges", "amountDue", "consumption", "estimated",
                ])),
        ], required: ["bills"])
    public static var example: BillIssued { BillIssued(runId: "M01-2026-11", bills: [Entry(bill: .example)]) }
    public var runId: String?
    public var bills: [Entry]
    public init(runId: String?, bills: [Entry]) { (self.runId, self.bills) = (runId, bills) }
}

public struct BillCancelled: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "bill-cancelled"
    public static let kind = MessageKind.event
    public static let summary = "A bill was cancelled and its ledger charge reversed; the rebill, if any, is named."
    public static let schema = JSONSchema.object(
        properties: [
            "billId": .billId, "subscriptionNumber": .subscriptionNumber, "reason": .string(), "approvedBy": .string(), "rebillId": .nullable(.billId),
        ], required: ["billId", "subscriptionNumber", "reason", "approvedBy"])
    public static var example: BillCancelled {
        BillCancelled(billId: "B2026-0000123", subscriptionNumber: "S-00000052-6", reason: "Reading corrected after review", approvedBy: "user:sara", rebillId: "B2026-0004711")
    }
    public var billId: String
    public var subscriptionNumber: String
    public var reason: String
    public var approvedBy: String
    public var rebillId: String?
    public init(billId: String, subscriptionNumber: String, reason: String, approvedBy: String, rebillId: String?) {
        (self.billId, self.subscriptionNumber, self.reason, self.approvedBy, self.rebillId) = (billId, subscriptionNumber, reason, approvedBy, rebillId)
    }
}

/// A run's last chunk is done.
public struct RunCompleted: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "run-completed"
    public static let kind = MessageKind.event
    public static let summary = "A billing run finished: how many subscriptions it billed, skipped (already billed) and could not bill."
    public static let schema = JSONSchema.object(
        properties: [
            "runId": .runId, "cycle": .string(), "periodEnd": .string(format: .date), "subscriptions": .integer(minimum: 0), "billed": .integer(minimum: 0),
            "skipped": .integer(minimum: 0), "exceptions": .integer(minimum: 0), "charges": .array(.object(properties: ["amount": .integer(), "currency": .currency], required: ["amount", "currency"])),
        ], required: ["runId", "cycle", "periodEnd", "subscriptions", "billed", "skipped", "exceptions", "charges"])
    public static var example: RunCompleted {
        RunCompleted(runId: "M01-2026-11", cycle: "M01", periodEnd: "2026-11-30", subscriptions: 1000, billed: 997, skipped: 1, exceptions: 2, charges: [Money(amount: 787_600_000, currency: "IRR")])
    }
    public var runId: String
    public var cycle: String
    public var periodEnd: String
    public var subscriptions: Int
    public var billed: Int
    public var skipped: Int
    public var exceptions: Int
    /// The bills' charges per currency.
    public var charges: [Money]
    public init(runId: String, cycle: String, periodEnd: String, subscriptions: Int, billed: Int, skipped: Int, exceptions: Int, charges: [Money]) {
        (self.runId, self.cycle, self.periodEnd, self.subscriptions) = (runId, cycle, periodEnd, subscriptions)
        (self.billed, self.skipped, self.exceptions, self.charges) = (billed, skipped, exceptions, charges)
    }
}

/// A billing command refused, each field named; its causation id is the command's.
public struct BillingCommandRefused: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "command-refused"
    public static let kind = MessageKind.event
    public static let summary = "A billing command was refused; its message id is the causation id, and each field is named with the reason."
    public static let schema = CommandRefused.schema
    public static var example: BillingCommandRefused { BillingCommandRefused(command: CancelBill.type, problems: [FieldProblem("billId", "there is no bill B2026-9999999")]) }
    public var command: String
    public var problems: [FieldProblem]
    public init(command: String, problems: [FieldProblem]) { (self.command, self.problems) = (command, problems) }
}
