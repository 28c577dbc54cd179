/// Billing's commands: readings in, runs started and worked through, bills cancelled.

/// Register readings from meter data management and head-end systems, up to 1,000 a message;
/// answered by `readings-checked`.
public struct RecordReadings: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "record-readings"
    public static let kind = MessageKind.command
    public static let summary = "Record register readings (up to 1000): each validated; flagged ones wait for the billing officer's review."
    public static let maximumReadings = 1_000
    public static let schema = JSONSchema.object(properties: ["readings": .array(.meterReading)], required: ["readings"])
    public static var example: RecordReadings {
        RecordReadings(readings: [
            MeterReading(
                readingId: "MDM-20261130-000001", manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123", register: "total", index: 1440,
                readAt: "2026-11-30T09:10:00Z", source: .actual)
        ])
    }
    public var readings: [MeterReading]
    public init(readings: [MeterReading]) { self.readings = readings }
}

/// Interval data of smart meters, up to 100 series a message.
public struct RecordIntervals: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "record-intervals"
    public static let kind = MessageKind.command
    public static let summary = "Record smart meters' interval data (hourly or 15-minute), up to 100 series; bills price it by time of use."
    public static let maximumSeries = 100
    public static let schema = JSONSchema.object(properties: ["series": .array(.intervalSeries)], required: ["series"])
    public static var example: RecordIntervals {
        RecordIntervals(series: [
            IntervalSeries(seriesId: "HES-AA123-20261130", manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123", start: "2026-11-30T00:00", minutes: 60, values: Array(repeating: 0.4, count: 24))
        ])
    }
    public var series: [IntervalSeries]
    public init(series: [IntervalSeries]) { self.series = series }
}

/// A reading put right by staff (the review's "correct", or before a cancel and rebill).
public struct CorrectReading: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "correct-reading"
    public static let kind = MessageKind.command
    public static let summary = "Correct a stored reading's index, with the reason; the correction is validated like a new reading."
    public static let schema = JSONSchema.object(
        properties: ["readingId": .readingId, "index": .number, "reason": .reason], required: ["readingId", "index", "reason"])
    public static var example: CorrectReading { CorrectReading(readingId: "MDM-20261130-000001", index: 1404, reason: "Dials misread: photo shows 1404") }
    public var readingId: String
    public var index: Double
    public var reason: String
    public init(readingId: String, index: Double, reason: String) { (self.readingId, self.index, self.reason) = (readingId, index, reason) }
}

/// Bill a cycle's active subscriptions to a day. The same run id again is the same run: what it
/// billed is not billed again.
public struct StartBillingRun: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "start-run"
    public static let kind = MessageKind.command
    public static let summary = "Start a billing run of a cycle to a period end; every Billing replica works its chunks; run-completed tells the end."
    public static let schema = JSONSchema.object(
        properties: [
            "runId": .runId, "cycle": .string(minLength: 1, maxLength: 20), "periodEnd": .string(format: .date),
            "issueDate": .nullable(.string(format: .date)), "dueDays": .nullable(.integer(minimum: 1, maximum: 90)),
        ], required: ["runId", "cycle", "periodEnd"])
    public static var example: StartBillingRun { StartBillingRun(runId: "M01-2026-11", cycle: "M01", periodEnd: "2026-11-30", issueDate: "2026-12-01", dueDays: 14) }
    public var runId: String
    public var cycle: String
    /// The last day billed.
    public var periodEnd: String
    /// The day after the period end when left out.
    public var issueDate: String?
    /// Days from issue to due date: 14 when left out.
    public var dueDays: Int?
    public init(runId: String, cycle: String, periodEnd: String, issueDate: String? = nil, dueDays: Int? = nil) {
        (self.runId, self.cycle, self.periodEnd, self.issueDate, self.dueDays) = (runId, cycle, periodEnd, issueDate, dueDays)
    }
}

/// One chunk of a run, sent by Billing to itself so every replica takes a share.
public struct BillChunk: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "bill-chunk"
    public static let kind = MessageKind.command
    public static let summary = "Internal: bill one chunk of a run's subscriptions (any Billing replica takes it)."
    public static let maximumSubscriptions = 1_000
    public static let schema = JSONSchema.object(
        properties: ["runId": .runId, "chunk": .integer(minimum: 0), "subscriptions": .array(.subscriptionNumber)], required: ["runId", "chunk", "subscriptions"])
    public static var example: BillChunk { BillChunk(runId: "M01-2026-11", chunk: 0, subscriptions: ["S-00000052-6"]) }
    public var runId: String
    public var chunk: Int
    public var subscriptions: [String]
    public init(runId: String, chunk: Int, subscriptions: [String]) { (self.runId, self.chunk, self.subscriptions) = (runId, chunk, subscriptions) }
}

/// Cancel an issued bill: its ledger charge is reversed; with `rebill`, it is billed again from
/// the readings as they are now.
public struct CancelBill: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "cancel-bill"
    public static let kind = MessageKind.command
    public static let summary = "Cancel a bill (its ledger charge reversed) and, with rebill, bill its period again from the corrected readings."
    public static let schema = JSONSchema.object(
        properties: ["billId": .billId, "reason": .reason, "approvedBy": .employee, "rebill": .boolean], required: ["billId", "reason", "approvedBy", "rebill"])
    public static var example: CancelBill { CancelBill(billId: "B2026-0000123", reason: "Reading corrected after review", approvedBy: "user:sara", rebill: true) }
    public var billId: String
    public var reason: String
    public var approvedBy: String
    public var rebill: Bool
    public init(billId: String, reason: String, approvedBy: String, rebill: Bool) { (self.billId, self.reason, self.approvedBy, self.rebill) = (billId, reason, approvedBy, rebill) }
}

/// The billing officer's decision on a flagged reading: the review process's job, or sent as a
/// command by a system that reviews readings itself.
public struct ReadingReview: MessageContract, Equatable {
    public static let service = "billing"
    public static let name = "review-reading"
    public static let kind = MessageKind.command
    public static let summary = "Decide on a flagged reading: accept it, correct its index or reject it (the review process's job)."
    public static let schema = JSONSchema.object(
        properties: [
            "readingId": .readingId, "decision": .enumeration(Decision.allCases.map(\.rawValue)), "correctedIndex": .nullable(.number),
            "note": .nullable(.string(maxLength: 500)),
        ], required: ["readingId", "decision"])
    public static var example: ReadingReview { ReadingReview(readingId: "MDM-20261130-000042", decision: .correct, correctedIndex: 1404, note: "Photo shows 1404") }
    public enum Decision: String, Codable, Sendable, CaseIterable { case accept, correct, reject }
    public var readingId: String
    public var decision: Decision
    /// With `correct`: the index the officer read.
    public var correctedIndex: Double?
    public var note: String?
    public init(readingId: String, decision: Decision, correctedIndex: Double? = nil, note: String? = nil) {
        (self.readingId, self.decision, self.correctedIndex, self.note) = (readingId, decision, correctedIndex, note)
    }
    /// The job type of the review process's service task.
    public static var jobType: String { routingKey }
}
