/// Billing's queries: a bill to print, a subscription's bills, a run's progress, a meter's readings.

public struct GetBill: QueryContract, Equatable {
    public typealias Reply = BillRecord
    public static let service = "billing"
    public static let name = "get-bill"
    public static let kind = MessageKind.query
    public static let summary = "A bill with the consumption of its subscription's last twelve periods."
    public static let schema = JSONSchema.object(properties: ["billId": .billId], required: ["billId"])
    public static var example: GetBill { GetBill(billId: "B2026-0000123") }
    public var billId: String
    public init(billId: String) { self.billId = billId }
}

public struct BillRecord: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "bill-record"
    public static let kind = MessageKind.event
    public static let summary = "A bill, and its subscription's consumption period by period up to it (at most twelve)."
    public struct Period: Codable, Sendable, Equatable {
        public var billId: String
        public var from: String
        public var to: String
        /// All registers together.
        public var consumption: Double
        public var estimated: Bool
        public init(billId: String, from: String, to: String, consumption: Double, estimated: Bool) {
            (self.billId, self.from, self.to, self.consumption, self.estimated) = (billId, from, to, consumption, estimated)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "bill": .bill,
            "history": .array(.object(
                properties: ["billId": .billId, "from": .string(format: .date), "to": .string(format: .date), "consumption": .number, "estimated": .boolean],
                required: ["billId", "from", "to", "consumption", "estimated"])),
        ], required: ["bill", "history"])
    public static var example: BillRecord {
        BillRecord(bill: .example, history: [Period(billId: "B2026-0000123", from: "2026-04-01", to: "2026-04-30", consumption: 240, estimated: false)])
    }
    public var bill: Bill
    /// Oldest first, ending with this bill's period.
    public var history: [Period]
    public init(bill: Bill, history: [Period]) { (self.bill, self.history) = (bill, history) }
}

public struct FindBills: QueryContract, Equatable {
    public typealias Reply = BillList
    public static let service = "billing"
    public static let name = "find-bills"
    public static let kind = MessageKind.query
    public static let summary = "A subscription's or a customer's bills, newest first."
    public static let schema = JSONSchema.object(
        properties: ["subscriptionNumber": .nullable(.subscriptionNumber), "customerNumber": .nullable(.string()), "limit": .nullable(.integer(minimum: 1, maximum: 200))],
        required: [])
    public static var example: FindBills { FindBills(subscriptionNumber: "S-00000052-6") }
    public var subscriptionNumber: String?
    public var customerNumber: String?
    public var limit: Int?
    public init(subscriptionNumber: String? = nil, customerNumber: String? = nil, limit: Int? = nil) {
        (self.subscriptionNumber, self.customerNumber, self.limit) = (subscriptionNumber, customerNumber, limit)
    }
}

public struct BillList: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "bill-list"
    public static let kind = MessageKind.event
    public static let summary = "Bills, newest first, each summed up."
    public struct Entry: Codable, Sendable, Equatable {
        public var billId: String
        public var kind: BillKind
        public var status: BillStatus
        public var subscriptionNumber: String
        public var from: String
        public var to: String
        public var issueDate: String
        public var dueDate: String
        public var currency: String
        public var charges: Int
        public var amountDue: Int
        public var estimated: Bool
        public init(bill: Bill) {
            (billId, kind, status, subscriptionNumber, from, to) = (bill.billId, bill.kind, bill.status, bill.subscriptionNumber, bill.from, bill.to)
            (issueDate, dueDate, currency, charges, amountDue, estimated) = (bill.issueDate, bill.dueDate, bill.quote.currency, bill.charges, bill.amountDue, bill.estimated)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "bills": .array(.object(
                properties: [
                    "billId": .billId, "kind": .enumeration(BillKind.allCases.map(\.rawValue)), "status": .enumeration(BillStatus.allCases.map(\.rawValue)),
                    "subscriptionNumber": .subscriptionNumber, "from": .string(format: .date), "to": .string(format: .date), "issueDate": .string(format: .date),
                    "dueDate": .string(format: .date), "currency": .currency, "charges": .integer(), "amountDue": .integer(), "estimated": .boolean,
                ],
                required: ["billId", "kind", "status", "subscriptionNumber", "from", "to", "issueDate", "dueDate", "currency", "charges", "amountDue", "estimated"]))
        ], required: ["bills"])
    public static var example: BillList { BillList(bills: [Entry(bill: .example)]) }
    public var bills: [Entry]
    public init(bills: [Entry]) { self.bills = bills }
}

public struct GetRun: QueryContract, Equatable {
    public typealias Reply = RunStatus
    public static let service = "billing"
    public static let name = "get-run"
    public static let kind = MessageKind.query
    public static let summary = "A billing run's progress: chunks done, bills issued, and its exception list."
    public static let schema = JSONSchema.object(properties: ["runId": .runId], required: ["runId"])
    public static var example: GetRun { GetRun(runId: "M01-2026-11") }
    public var runId: String
    public init(runId: String) { self.runId = runId }
}

public struct RunStatus: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "run-status"
    public static let kind = MessageKind.event
    public static let summary = "A billing run: its chunks done of all, subscriptions billed, skipped and not billed (with the reason each)."
    public struct Exception: Codable, Sendable, Equatable {
        public var subscriptionNumber: String
        public var reason: String
        public init(subscriptionNumber: String, reason: String) { (self.subscriptionNumber, self.reason) = (subscriptionNumber, reason) }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "runId": .runId, "cycle": .string(), "periodEnd": .string(format: .date), "issueDate": .string(format: .date), "startedAt": .string(format: .dateTime),
            "completedAt": .nullable(.string(format: .dateTime)), "chunks": .integer(minimum: 0), "chunksDone": .integer(minimum: 0),
            "subscriptions": .integer(minimum: 0), "billed": .integer(minimum: 0), "skipped": .integer(minimum: 0),
            "exceptions": .array(.object(properties: ["subscriptionNumber": .string(), "reason": .string()], required: ["subscriptionNumber", "reason"])),
        ],
        required: ["runId", "cycle", "periodEnd", "issueDate", "startedAt", "chunks", "chunksDone", "subscriptions", "billed", "skipped", "exceptions"])
    public static var example: RunStatus {
        RunStatus(
            runId: "M01-2026-11", cycle: "M01", periodEnd: "2026-11-30", issueDate: "2026-12-01", startedAt: "2026-12-01T02:00:00Z", completedAt: nil, chunks: 4,
            chunksDone: 3, subscriptions: 2000, billed: 1497, skipped: 0, exceptions: [Exception(subscriptionNumber: "S-00000052-6", reason: "no reading and no opening reading")])
    }
    public var runId: String
    public var cycle: String
    public var periodEnd: String
    public var issueDate: String
    public var startedAt: String
    public var completedAt: String?
    public var chunks: Int
    public var chunksDone: Int
    public var subscriptions: Int
    public var billed: Int
    public var skipped: Int
    /// The first 1,000.
    public var exceptions: [Exception]
    public init(
        runId: String, cycle: String, periodEnd: String, issueDate: String, startedAt: String, completedAt: String?, chunks: Int, chunksDone: Int,
        subscriptions: Int, billed: Int, skipped: Int, exceptions: [Exception]
    ) {
        (self.runId, self.cycle, self.periodEnd, self.issueDate, self.startedAt, self.completedAt) = (runId, cycle, periodEnd, issueDate, startedAt, completedAt)
        (self.chunks, self.chunksDone, self.subscriptions, self.billed, self.skipped, self.exceptions) = (chunks, chunksDone, subscriptions, billed, skipped, exceptions)
    }
}

public struct GetReadings: QueryContract, Equatable {
    public typealias Reply = ReadingList
    public static let service = "billing"
    public static let name = "get-readings"
    public static let kind = MessageKind.query
    public static let summary = "A meter's readings, newest first, with what validation made of each."
    public static let schema = JSONSchema.object(
        properties: ["manufacturer": .string(minLength: 1), "serialNumber": .string(minLength: 1), "limit": .nullable(.integer(minimum: 1, maximum: 500))],
        required: ["manufacturer", "serialNumber"])
    public static var example: GetReadings { GetReadings(manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123") }
    public var manufacturer: String
    public var serialNumber: String
    public var limit: Int?
    public init(manufacturer: String, serialNumber: String, limit: Int? = nil) { (self.manufacturer, self.serialNumber, self.limit) = (manufacturer, serialNumber, limit) }
}

public struct ReadingList: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "reading-list"
    public static let kind = MessageKind.event
    public static let summary = "Readings of a meter with their status and flags."
    public struct Entry: Codable, Sendable, Equatable {
        public var reading: MeterReading
        public var status: ReadingStatus
        public var flags: [ReadingFlag]
        /// After the multiplier, since the reading before; nil for a meter's first.
        public var consumption: Double?
        public var note: String?
        public init(reading: MeterReading, status: ReadingStatus, flags: [ReadingFlag], consumption: Double?, note: String?) {
            (self.reading, self.status, self.flags, self.consumption, self.note) = (reading, status, flags, consumption, note)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "readings": .array(.object(
                properties: [
                    "reading": .meterReading, "status": .enumeration(ReadingStatus.allCases.map(\.rawValue)), "flags": .readingFlags,
                    "consumption": .nullable(.number), "note": .nullable(.string()),
                ], required: ["reading", "status", "flags"]))
        ], required: ["readings"])
    public static var example: ReadingList {
        ReadingList(readings: [Entry(reading: RecordReadings.example.readings[0], status: .valid, flags: [], consumption: 240, note: nil)])
    }
    public var readings: [Entry]
    public init(readings: [Entry]) { self.readings = readings }
}
