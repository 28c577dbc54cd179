/// The JSON schemas of the ledger's messages.
extension JSONSchema {
    /// A client-chosen id: a bill's, a payment's, a note's. The same id answers once.
    static let ledgerId = JSONSchema.string(minLength: 1, maxLength: 100, pattern: "^[A-Za-z0-9._:/-]+$")
    static let accountCode = JSONSchema.string(minLength: 3, maxLength: 120, pattern: "^[a-z-]+:[A-Za-z0-9._:-]+$")
    static let currency = JSONSchema.string(pattern: "^[A-Z]{3}$")
    static let positiveMoney = JSONSchema.object(properties: ["amount": .integer(minimum: 1), "currency": .currency], required: ["amount", "currency"])
    static let ledgerLines = JSONSchema.array(.object(properties: ["account": .accountCode, "amount": .integer()], required: ["account", "amount"]))
    static let channel = JSONSchema.enumeration(PaymentChannel.allCases.map(\.rawValue))
    static let employee = JSONSchema.string(minLength: 1, maxLength: 100)
    static let reason = JSONSchema.string(minLength: 1, maxLength: 500)
    static let billCharge = JSONSchema.object(
        properties: [
            "billId": .ledgerId, "subscriptionNumber": .subscriptionNumber, "currency": .currency, "issueDate": .string(format: .date),
            "dueDate": .string(format: .date), "lines": .ledgerLines,
        ], required: ["billId", "subscriptionNumber", "currency", "issueDate", "dueDate", "lines"])
    static let payment = JSONSchema.object(
        properties: [
            "paymentId": .ledgerId, "subscriptionNumber": .subscriptionNumber, "channel": .channel, "amount": .positiveMoney,
            "valueDate": .string(format: .date), "reference": .string(maxLength: 100), "billId": .nullable(.ledgerId),
        ], required: ["paymentId", "subscriptionNumber", "channel", "amount", "valueDate", "reference"])
    static let ledgerBalance = JSONSchema.object(
        properties: [
            "currency": .currency, "due": .integer(), "overdue": .integer(), "held": .integer(), "credit": .integer(), "deposit": .integer(),
        ], required: ["currency", "due", "overdue", "held", "credit", "deposit"])
    static let ageing = JSONSchema.object(
        properties: [
            "current": .integer(), "days0to30": .integer(), "days31to60": .integer(), "days61to90": .integer(), "over90": .integer(),
        ], required: ["current", "days0to30", "days31to60", "days61to90", "over90"])
    static let fieldProblems = JSONSchema.array(.object(properties: ["field": .string(), "message": .string()], required: ["field", "message"]))
}
