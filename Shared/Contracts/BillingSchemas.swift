/// The JSON schemas of Billing's messages.
extension JSONSchema {
    static let readingId = JSONSchema.string(minLength: 1, maxLength: 100, pattern: "^[A-Za-z0-9._:/-]+$")
    static let billId = JSONSchema.string(minLength: 1, maxLength: 40, pattern: "^[A-Za-z0-9._-]+$")
    static let runId = JSONSchema.string(minLength: 1, maxLength: 60, pattern: "^[A-Za-z0-9._:-]+$")
    static let readingSource = JSONSchema.enumeration(ReadingSource.allCases.map(\.rawValue))
    static let readingFlags = JSONSchema.array(.enumeration(ReadingFlag.allCases.map(\.rawValue)))
    static let meterReading = JSONSchema.object(
        properties: [
            "readingId": .readingId, "manufacturer": .string(minLength: 1, maxLength: 100), "serialNumber": .string(minLength: 1, maxLength: 100),
            "register": .string(minLength: 1, maxLength: 40), "index": .number, "readAt": .string(format: .dateTime), "source": .readingSource,
        ], required: ["readingId", "manufacturer", "serialNumber", "register", "index", "readAt", "source"])
    static let intervalSeries = JSONSchema.object(
        properties: [
            "seriesId": .readingId, "manufacturer": .string(minLength: 1, maxLength: 100), "serialNumber": .string(minLength: 1, maxLength: 100),
            "start": .string(pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$"), "minutes": .integer(minimum: 15, maximum: 60), "values": .array(.number),
        ], required: ["seriesId", "manufacturer", "serialNumber", "start", "minutes", "values"])
    static let billedReading = JSONSchema.object(
        properties: ["index": .number, "at": .string(format: .dateTime), "source": .readingSource], required: ["index", "at", "source"])
    static let bill = JSONSchema.object(
        properties: [
            "billId": .billId, "kind": .enumeration(BillKind.allCases.map(\.rawValue)), "status": .enumeration(BillStatus.allCases.map(\.rawValue)),
            "runId": .nullable(.runId), "subscriptionNumber": .subscriptionNumber, "customerNumber": .string(), "servicePointNumber": .string(),
            "utility": .enumeration(Utility.allCases.map(\.rawValue)), "useType": .enumeration(UseType.allCases.map(\.rawValue)), "region": .string(),
            "billingCycle": .string(), "from": .string(format: .date), "to": .string(format: .date), "issueDate": .string(format: .date),
            "dueDate": .string(format: .date),
            "registers": .array(.object(
                properties: [
                    "manufacturer": .string(), "serialNumber": .string(), "register": .string(), "multiplier": .number, "opening": .billedReading,
                    "closing": .billedReading, "consumption": .number,
                ], required: ["manufacturer", "serialNumber", "register", "multiplier", "opening", "closing", "consumption"])),
            "consumption": .any, "estimated": .boolean, "quote": .priceQuote,
            "carried": .object(
                properties: ["previousDue": .integer(), "paymentsSince": .integer(), "adjustmentsSince": .integer(), "balance": .integer()],
                required: ["previousDue", "paymentsSince", "adjustmentsSince", "balance"]),
            "amountDue": .integer(), "message": .string(), "replaces": .nullable(.billId), "cancelReason": .nullable(.string()),
        ],
        required: [
            "billId", "kind", "status", "subscriptionNumber", "customerNumber", "servicePointNumber", "utility", "useType", "region", "billingCycle", "from",
            "to", "issueDate", "dueDate", "registers", "consumption", "estimated", "quote", "carried", "amountDue", "message",
        ])
}

extension Bill {
    public static var example: Bill {
        Bill(
            billId: "B2026-0000123", kind: .regular, status: .issued, runId: "M01-2026-11", subscriptionNumber: "S-00000052-6", customerNumber: "C-00000421-7",
            servicePointNumber: "SP-00000017-4", utility: .electricity, useType: .residential, region: "TEHRAN", billingCycle: "M01", from: "2026-04-01",
            to: "2026-04-30", issueDate: "2026-05-01", dueDate: "2026-05-15",
            registers: [
                BilledRegister(
                    manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123", register: "total", multiplier: 1,
                    opening: BilledReading(index: 1200, at: "2026-03-31T08:00:00Z", source: .actual),
                    closing: BilledReading(index: 1440, at: "2026-04-30T09:10:00Z", source: .actual), consumption: 240)
            ],
            consumption: ["total": 240], estimated: false, quote: .example,
            carried: CarriedBalance(previousDue: 650_000, paymentsSince: 650_000, adjustmentsSince: 0, balance: 0), amountDue: 787_600,
            message: "Pay by 2026-05-15 at any bank or on the web.")
    }
}
