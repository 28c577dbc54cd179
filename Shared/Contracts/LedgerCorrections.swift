/// The Ledger service's corrections: notes, disputes, write-offs and reversals. Each names the
/// employee who approved it and why; the journal keeps both.

/// A credit or debit note: `lines` say which revenue and tax accounts it goes against.
public struct Adjust: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "adjust"
    public static let kind = MessageKind.command
    public static let summary = "A credit note (lowers what the customer owes) or a debit note (a new amount due), with reason and approving employee."
    public static let schema = JSONSchema.object(
        properties: [
            "adjustmentId": .ledgerId, "subscriptionNumber": .subscriptionNumber, "note": .enumeration(NoteKind.allCases.map(\.rawValue)),
            "currency": .currency, "lines": .ledgerLines, "billId": .nullable(.ledgerId), "valueDate": .string(format: .date),
            "dueDate": .nullable(.string(format: .date)), "reason": .reason, "approvedBy": .employee,
        ], required: ["adjustmentId", "subscriptionNumber", "note", "currency", "lines", "valueDate", "reason", "approvedBy"])
    public static var example: Adjust {
        Adjust(
            adjustmentId: "ADJ-2026-0007", subscriptionNumber: "S-00000052-6", note: .credit, currency: "IRR",
            lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 100_000)], billId: "B-1405-000123", valueDate: "2026-12-05", dueDate: nil,
            reason: "Misread meter, index 4812 not 4912", approvedBy: "user:maryam")
    }
    public var adjustmentId: String
    public var subscriptionNumber: String
    public var note: NoteKind
    public var currency: String
    public var lines: [LedgerLine]
    /// The bill a credit note lowers first.
    public var billId: String?
    public var valueDate: String
    /// When a debit note is due (its value date when left out).
    public var dueDate: String?
    public var reason: String
    public var approvedBy: String
    public init(
        adjustmentId: String, subscriptionNumber: String, note: NoteKind, currency: String, lines: [LedgerLine], billId: String?, valueDate: String,
        dueDate: String?, reason: String, approvedBy: String
    ) {
        (self.adjustmentId, self.subscriptionNumber, self.note, self.currency, self.lines, self.billId) = (adjustmentId, subscriptionNumber, note, currency, lines, billId)
        (self.valueDate, self.dueDate, self.reason, self.approvedBy) = (valueDate, dueDate, reason, approvedBy)
    }
}

/// A customer contests a bill or an amount: it is held, so dunning and reports leave it aside.
public struct OpenDispute: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "open-dispute"
    public static let kind = MessageKind.command
    public static let summary = "Hold a contested amount of a bill (or of the oldest open bills) until the dispute is resolved."
    public static let schema = JSONSchema.object(
        properties: [
            "disputeId": .ledgerId, "subscriptionNumber": .subscriptionNumber, "billId": .nullable(.ledgerId), "amount": .positiveMoney,
            "valueDate": .string(format: .date), "reason": .reason,
        ], required: ["disputeId", "subscriptionNumber", "amount", "valueDate", "reason"])
    public static var example: OpenDispute {
        OpenDispute(
            disputeId: "DSP-2026-0031", subscriptionNumber: "S-00000052-6", billId: "B-1405-000123", amount: Money(amount: 400_000, currency: "IRR"),
            valueDate: "2026-12-04", reason: "The customer says the meter was read twice")
    }
    public var disputeId: String
    public var subscriptionNumber: String
    public var billId: String?
    public var amount: Money
    public var valueDate: String
    public var reason: String
    public init(disputeId: String, subscriptionNumber: String, billId: String?, amount: Money, valueDate: String, reason: String) {
        (self.disputeId, self.subscriptionNumber, self.billId, self.amount, self.valueDate, self.reason) = (disputeId, subscriptionNumber, billId, amount, valueDate, reason)
    }
}

/// The decision on a dispute: accepted (a credit note for the accepted amount, against the
/// bill's lines in proportion, or against `lines`), or rejected (the hold is released).
public struct ResolveDispute: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "resolve-dispute"
    public static let kind = MessageKind.command
    public static let summary = "Resolve a dispute: accepted, in whole or in part, as a credit note; rejected, the hold released."
    public static let schema = JSONSchema.object(
        properties: [
            "disputeId": .ledgerId, "decision": .enumeration(DisputeDecision.allCases.map(\.rawValue)), "acceptedAmount": .nullable(.integer(minimum: 1)),
            "lines": .nullable(.ledgerLines), "valueDate": .string(format: .date), "reason": .reason, "approvedBy": .employee,
        ], required: ["disputeId", "decision", "valueDate", "reason", "approvedBy"])
    public static var example: ResolveDispute {
        ResolveDispute(
            disputeId: "DSP-2026-0031", decision: .accepted, acceptedAmount: 250_000, lines: nil, valueDate: "2026-12-10",
            reason: "Second reading was a clerical duplicate", approvedBy: "user:maryam")
    }
    public var disputeId: String
    public var decision: DisputeDecision
    /// Less than the held amount for a partial acceptance; all of it when left out.
    public var acceptedAmount: Int?
    /// The accounts the credit goes against when the dispute is not on one bill.
    public var lines: [LedgerLine]?
    public var valueDate: String
    public var reason: String
    public var approvedBy: String
    public init(
        disputeId: String, decision: DisputeDecision, acceptedAmount: Int?, lines: [LedgerLine]?, valueDate: String, reason: String, approvedBy: String
    ) {
        (self.disputeId, self.decision, self.acceptedAmount, self.lines, self.valueDate, self.reason, self.approvedBy) =
            (disputeId, decision, acceptedAmount, lines, valueDate, reason, approvedBy)
    }
}

/// A debt given up on: the receivable credited, write-offs debited.
public struct WriteOff: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "write-off"
    public static let kind = MessageKind.command
    public static let summary = "Write off an uncollectable amount of a bill, or of the oldest open bills."
    public static let schema = JSONSchema.object(
        properties: [
            "writeOffId": .ledgerId, "subscriptionNumber": .subscriptionNumber, "billId": .nullable(.ledgerId), "amount": .positiveMoney,
            "valueDate": .string(format: .date), "reason": .reason, "approvedBy": .employee,
        ], required: ["writeOffId", "subscriptionNumber", "amount", "valueDate", "reason", "approvedBy"])
    public static var example: WriteOff {
        WriteOff(
            writeOffId: "WO-2026-0002", subscriptionNumber: "S-00000052-6", billId: nil, amount: Money(amount: 90_000, currency: "IRR"), valueDate: "2026-12-31",
            reason: "Customer deceased, estate closed", approvedBy: "user:maryam")
    }
    public var writeOffId: String
    public var subscriptionNumber: String
    public var billId: String?
    public var amount: Money
    public var valueDate: String
    public var reason: String
    public var approvedBy: String
    public init(writeOffId: String, subscriptionNumber: String, billId: String?, amount: Money, valueDate: String, reason: String, approvedBy: String) {
        (self.writeOffId, self.subscriptionNumber, self.billId, self.amount, self.valueDate, self.reason, self.approvedBy) =
            (writeOffId, subscriptionNumber, billId, amount, valueDate, reason, approvedBy)
    }
}

/// A mistake corrected: a new entry with the original's postings negated, pointing to it. A
/// cancelled bill's payments become credit; a reversed payment's bills are open again.
public struct ReverseEntry: MessageContract, Equatable {
    public static let service = "ledger"
    public static let name = "reverse-entry"
    public static let kind = MessageKind.command
    public static let summary = "Reverse a journal entry (a bill's charge when the bill is cancelled, a payment posted in error)."
    public static let schema = JSONSchema.object(
        properties: ["reversalId": .ledgerId, "entryId": .string(minLength: 1, maxLength: 120), "valueDate": .string(format: .date), "reason": .reason, "approvedBy": .employee],
        required: ["reversalId", "entryId", "valueDate", "reason", "approvedBy"])
    public static var example: ReverseEntry {
        ReverseEntry(reversalId: "REV-2026-0001", entryId: "bill:B-1405-000123", valueDate: "2026-12-06", reason: "Bill cancelled for rebilling", approvedBy: "user:maryam")
    }
    public var reversalId: String
    /// The journal entry's id, such as `bill:B-1405-000123` or `payment:BANK-20261203-0042`.
    public var entryId: String
    public var valueDate: String
    public var reason: String
    public var approvedBy: String
    public init(reversalId: String, entryId: String, valueDate: String, reason: String, approvedBy: String) {
        (self.reversalId, self.entryId, self.valueDate, self.reason, self.approvedBy) = (reversalId, entryId, valueDate, reason, approvedBy)
    }
}
