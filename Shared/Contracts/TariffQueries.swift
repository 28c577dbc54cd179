/// The Tariff service's queries: the tariffs, one tariff's versions and audit, and prices.

public struct FindTariffs: QueryContract, Equatable {
    public typealias Reply = TariffList
    public static let service = "tariff"
    public static let name = "find-tariffs"
    public static let kind = MessageKind.query
    public static let summary = "The tariffs, of one utility or all, with the version in force on a date."
    public static let schema = JSONSchema.object(properties: ["utility": .nullable(.utility), "on": .nullable(.string(format: .date))], required: [])
    public static var example: FindTariffs { FindTariffs(utility: .electricity, on: "2026-12-01") }
    public var utility: Utility?
    /// The day whose version in force each entry names (today's when left out).
    public var on: String?
    public init(utility: Utility? = nil, on: String? = nil) { (self.utility, self.on) = (utility, on) }
}

public struct TariffList: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "tariff-list"
    public static let kind = MessageKind.event
    public static let summary = "Tariffs found."
    public struct Entry: Codable, Sendable, Equatable {
        public var tariff: Tariff
        public var versions: Int
        /// The effective date of the version in force on the day asked, if one is.
        public var inForce: String?
        public var latest: String
        public var retiredFrom: String?
        public init(tariff: Tariff, versions: Int, inForce: String?, latest: String, retiredFrom: String?) {
            (self.tariff, self.versions, self.inForce, self.latest, self.retiredFrom) = (tariff, versions, inForce, latest, retiredFrom)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "tariffs": .array(.object(
                properties: [
                    "tariff": .tariff, "versions": .integer(minimum: 1), "inForce": .nullable(.string(format: .date)), "latest": .string(format: .date),
                    "retiredFrom": .nullable(.string(format: .date)),
                ], required: ["tariff", "versions", "latest"]))
        ], required: ["tariffs"])
    public static var example: TariffList { TariffList(tariffs: [Entry(tariff: .example, versions: 3, inForce: "2026-03-21", latest: "2026-03-21", retiredFrom: nil)]) }
    public var tariffs: [Entry]
    public init(tariffs: [Entry]) { self.tariffs = tariffs }
}

/// A tariff with every version and the audit of every change to it.
public struct GetTariff: QueryContract, Equatable {
    public typealias Reply = TariffRecord
    public static let service = "tariff"
    public static let name = "get-tariff"
    public static let kind = MessageKind.query
    public static let summary = "A tariff, its versions oldest first, and who changed which fee when."
    public static let schema = JSONSchema.object(properties: ["tariffCode": .tariffCode], required: ["tariffCode"])
    public static var example: GetTariff { GetTariff(tariffCode: "E-RES-1") }
    public var tariffCode: String
    public init(tariffCode: String) { self.tariffCode = tariffCode }
}

public struct TariffRecord: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "tariff-record"
    public static let kind = MessageKind.event
    public static let summary = "A tariff's versions and audit."
    /// One change, as the audit keeps it.
    public struct AuditEntry: Codable, Sendable, Equatable {
        /// `created`, `published` or `retired`.
        public var action: String
        public var actor: String
        public var at: String
        public var reason: String
        /// The version published (or created), or the retirement's date.
        public var effectiveFrom: String
        public var changes: [FeeChange]
        public init(action: String, actor: String, at: String, reason: String, effectiveFrom: String, changes: [FeeChange]) {
            (self.action, self.actor, self.at, self.reason, self.effectiveFrom, self.changes) = (action, actor, at, reason, effectiveFrom, changes)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "tariff": .tariff, "versions": .array(.tariffVersion), "retiredFrom": .nullable(.string(format: .date)),
            "audit": .array(.object(
                properties: [
                    "action": .enumeration(["created", "published", "retired"]), "actor": .string(), "at": .string(format: .dateTime), "reason": .string(),
                    "effectiveFrom": .string(format: .date), "changes": .feeChanges,
                ], required: ["action", "actor", "at", "reason", "effectiveFrom", "changes"])),
        ], required: ["tariff", "versions", "audit"])
    public static var example: TariffRecord {
        TariffRecord(
            tariff: .example, versions: [.example], retiredFrom: nil,
            audit: [AuditEntry(action: "created", actor: "user:tariff.manager", at: "2026-03-01T08:00:00Z", reason: "Regulator's order 1405/112", effectiveFrom: "2026-03-21", changes: [])])
    }
    public var tariff: Tariff
    public var versions: [TariffVersion]
    public var retiredFrom: String?
    public var audit: [AuditEntry]
    public init(tariff: Tariff, versions: [TariffVersion], retiredFrom: String?, audit: [AuditEntry]) {
        (self.tariff, self.versions, self.retiredFrom, self.audit) = (tariff, versions, retiredFrom, audit)
    }
}

/// The version of a tariff in force on a day.
public struct GetVersionInForce: QueryContract, Equatable {
    public typealias Reply = VersionInForce
    public static let service = "tariff"
    public static let name = "version-in-force"
    public static let kind = MessageKind.query
    public static let summary = "The version of a tariff in force on a date."
    public static let schema = JSONSchema.object(properties: ["tariffCode": .tariffCode, "on": .string(format: .date)], required: ["tariffCode", "on"])
    public static var example: GetVersionInForce { GetVersionInForce(tariffCode: "E-RES-1", on: "2026-12-01") }
    public var tariffCode: String
    public var on: String
    public init(tariffCode: String, on: String) { (self.tariffCode, self.on) = (tariffCode, on) }
}

public struct VersionInForce: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "version-in-force-answer"
    public static let kind = MessageKind.event
    public static let summary = "The tariff and its version in force on the date asked."
    public static let schema = JSONSchema.object(properties: ["tariff": .tariff, "version": .tariffVersion], required: ["tariff", "version"])
    public static var example: VersionInForce { VersionInForce(tariff: .example, version: .example) }
    public var tariff: Tariff
    public var version: TariffVersion
    public init(tariff: Tariff, version: TariffVersion) { (self.tariff, self.version) = (tariff, version) }
}

/// One subscription's consumption priced; a request that cannot be priced is answered as an
/// error naming the field.
public struct PriceConsumption: QueryContract, Equatable {
    public typealias Reply = PricedConsumption
    public static let service = "tariff"
    public static let name = "price"
    public static let kind = MessageKind.query
    public static let summary = "Price a period's consumption (register totals or interval data, optional demand) by a tariff: lines and total."
    public static let schema = JSONSchema.object(properties: ["request": .priceRequest], required: ["request"])
    public static var example: PriceConsumption { PriceConsumption(request: .example) }
    public var request: PriceRequest
    public init(request: PriceRequest) { self.request = request }
}

public struct PricedConsumption: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "priced"
    public static let kind = MessageKind.event
    public static let summary = "A period priced: its parts, lines and total."
    public static let schema = JSONSchema.object(properties: ["quote": .priceQuote], required: ["quote"])
    public static var example: PricedConsumption { PricedConsumption(quote: .example) }
    public var quote: PriceQuote
    public init(quote: PriceQuote) { self.quote = quote }
}

/// Many subscriptions priced in one request, as a billing run asks: each answered by its id,
/// priced or refused by field, so one bad subscription does not hold up the rest.
public struct PriceBatch: QueryContract, Equatable {
    public typealias Reply = PricedBatch
    public static let service = "tariff"
    public static let name = "price-batch"
    public static let kind = MessageKind.query
    public static let summary = "Price many subscriptions' consumption at once, each answered by its id."
    public static let maximumEntries = 10_000
    public struct Entry: Codable, Sendable, Equatable {
        /// The caller's: a subscription number, a bill id.
        public var id: String
        public var request: PriceRequest
        public init(id: String, request: PriceRequest) { (self.id, self.request) = (id, request) }
    }
    public static let schema = JSONSchema.object(
        properties: ["entries": .array(.object(properties: ["id": .string(minLength: 1), "request": .priceRequest], required: ["id", "request"]))],
        required: ["entries"])
    public static var example: PriceBatch { PriceBatch(entries: [Entry(id: "S-00000052-6", request: .example)]) }
    public var entries: [Entry]
    public init(entries: [Entry]) { self.entries = entries }
}

public struct PricedBatch: MessageContract, Equatable {
    public static let service = "tariff"
    public static let name = "priced-batch"
    public static let kind = MessageKind.event
    public static let summary = "Each entry of a batch priced, or refused with its fields."
    public struct Entry: Codable, Sendable, Equatable {
        public var id: String
        public var quote: PriceQuote?
        public var problems: [FieldProblem]
        public init(id: String, quote: PriceQuote?, problems: [FieldProblem]) { (self.id, self.quote, self.problems) = (id, quote, problems) }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "entries": .array(.object(
                properties: [
                    "id": .string(), "quote": .nullable(.priceQuote),
                    "problems": .array(.object(properties: ["field": .string(), "message": .string()], required: ["field", "message"])),
                ], required: ["id", "problems"]))
        ], required: ["entries"])
    public static var example: PricedBatch {
        PricedBatch(entries: [
            Entry(id: "S-00000052-6", quote: .example, problems: []),
            Entry(id: "S-00000060-9", quote: nil, problems: [FieldProblem("consumption.registers.peak", "the version from 2026-03-21 has no period peak")]),
        ])
    }
    public var entries: [Entry]
    public init(entries: [Entry]) { self.entries = entries }
}
