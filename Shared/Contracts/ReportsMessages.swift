/// Reports' messages: a report asked for by what it is (subject, dimensions, measures, filters,
/// sort), its table, and the rebuild of the read model from the events it kept.

/// How the values of a field are summed up.
public enum ReportAggregate: String, Codable, Sendable, CaseIterable {
    /// Rows, whatever the field.
    case count
    /// Different values of the field.
    case distinct
    case sum, average, minimum, maximum
    /// The 95th percentile (continuous).
    case p95
}

/// A measure: an aggregate of a field (no field for a plain count of rows).
public struct ReportMeasure: Codable, Sendable, Hashable {
    public var aggregate: ReportAggregate
    public var field: String?
    public init(_ aggregate: ReportAggregate, _ field: String? = nil) { (self.aggregate, self.field) = (aggregate, field) }
    /// The measure's column name in a report's table: `count`, `sum:charges`.
    public var column: String { field.map { "\(aggregate.rawValue):\($0)" } ?? aggregate.rawValue }
}

public enum ReportOperator: String, Codable, Sendable, CaseIterable {
    case equals = "=", notEquals = "!=", lessThan = "<", atMost = "<=", greaterThan = ">", atLeast = ">="
    /// Any of the values.
    case oneOf = "in"
    /// From the first value to the second, both included.
    case between
}

public struct ReportFilter: Codable, Sendable, Hashable {
    public var field: String
    public var op: ReportOperator
    public var values: [String]
    public init(_ field: String, _ op: ReportOperator, _ values: [String]) { (self.field, self.op, self.values) = (field, op, values) }
}

public struct ReportSort: Codable, Sendable, Hashable {
    /// A dimension's name or a measure's column (`sum:charges`).
    public var column: String
    public var descending: Bool
    public init(_ column: String, descending: Bool = false) { (self.column, self.descending) = (column, descending) }
}

/// A report as a manager composes it. Every name is checked against the subject's fields; the
/// values of filters are bound as parameters, never written into the query.
public struct ReportDefinition: Codable, Sendable, Hashable {
    public var subject: String
    public var dimensions: [String]
    public var measures: [ReportMeasure]
    public var filters: [ReportFilter]
    public var sort: [ReportSort]
    /// At most this many rows (1 to 10,000; 1,000 when absent).
    public var limit: Int?
    public init(subject: String, dimensions: [String], measures: [ReportMeasure], filters: [ReportFilter] = [], sort: [ReportSort] = [], limit: Int? = nil) {
        (self.subject, self.dimensions, self.measures, self.filters, self.sort, self.limit) = (subject, dimensions, measures, filters, sort, limit)
    }

    public static let schema = JSONSchema.object(
        properties: [
            "subject": .string(minLength: 1), "dimensions": .array(.string(minLength: 1)),
            "measures": .array(.object(
                properties: ["aggregate": .enumeration(ReportAggregate.allCases.map(\.rawValue)), "field": .nullable(.string(minLength: 1))],
                required: ["aggregate"])),
            "filters": .array(.object(
                properties: ["field": .string(minLength: 1), "op": .enumeration(ReportOperator.allCases.map(\.rawValue)), "values": .array(.string())],
                required: ["field", "op", "values"])),
            "sort": .array(.object(properties: ["column": .string(minLength: 1), "descending": .boolean], required: ["column", "descending"])),
            "limit": .nullable(.integer(minimum: 1, maximum: 10000)),
        ], required: ["subject", "dimensions", "measures", "filters", "sort"])
}

public struct RunReport: QueryContract, Equatable {
    public typealias Reply = ReportTable
    public static let service = "reports"
    public static let name = "run-report"
    public static let kind = MessageKind.query
    public static let summary = "A report's table: its dimensions and measures over the read model, filtered and sorted; refused field by field when a name is not the subject's."
    public static let schema = JSONSchema.object(properties: ["report": ReportDefinition.schema], required: ["report"])
    public static var example: RunReport {
        RunReport(report: ReportDefinition(subject: "bills", dimensions: ["region", "issued.month"], measures: [ReportMeasure(.sum, "charges"), ReportMeasure(.count)]))
    }
    public var report: ReportDefinition
    public init(report: ReportDefinition) { self.report = report }
}

public struct ReportTable: MessageContract, Equatable {
    public static let service = "reports"
    public static let name = "report-table"
    public static let kind = MessageKind.event
    public static let summary = "A report's columns (dimensions, then measures) and rows, each cell as text or null."
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case text, integer, number, money, date, timestamp, boolean, hours
    }
    public struct Column: Codable, Sendable, Hashable {
        public var name: String
        public var title: String
        public var kind: Kind
        public var isMeasure: Bool
        public init(name: String, title: String, kind: Kind, isMeasure: Bool) { (self.name, self.title, self.kind, self.isMeasure) = (name, title, kind, isMeasure) }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "columns": .array(.object(
                properties: ["name": .string(), "title": .string(), "kind": .enumeration(Kind.allCases.map(\.rawValue)), "isMeasure": .boolean],
                required: ["name", "title", "kind", "isMeasure"])),
            "rows": .array(.array(.nullable(.string()))), "source": .string(), "truncated": .boolean,
        ], required: ["columns", "rows", "source", "truncated"])
    public static var example: ReportTable {
        ReportTable(
            columns: [Column(name: "region", title: "Region", kind: .text, isMeasure: false), Column(name: "count", title: "Bills", kind: .integer, isMeasure: true)],
            rows: [["Tehran-North", "2"]], source: "bills by month", truncated: false)
    }
    public var columns: [Column]
    public var rows: [[String?]]
    /// What was read: the facts, or a summary kept beside them (`bills by month`).
    public var source: String
    /// More rows than the limit matched.
    public var truncated: Bool
    public init(columns: [Column], rows: [[String?]], source: String, truncated: Bool) {
        (self.columns, self.rows, self.source, self.truncated) = (columns, rows, source, truncated)
    }
}

public struct RebuildReports: MessageContract, Equatable {
    public static let service = "reports"
    public static let name = "rebuild"
    public static let kind = MessageKind.command
    public static let summary = "Empties the read model and replays every event Reports kept, in the order received; reports answer from the old model until it commits."
    public static let schema = JSONSchema.object(properties: ["reason": .string(minLength: 1)], required: ["reason"])
    public static var example: RebuildReports { RebuildReports(reason: "a new measure of bills") }
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

public struct ReportsRebuilt: MessageContract, Equatable {
    public static let service = "reports"
    public static let name = "rebuilt"
    public static let kind = MessageKind.event
    public static let summary = "The read model was rebuilt from its events."
    public static let schema = JSONSchema.object(
        properties: ["events": .integer(minimum: 0), "milliseconds": .integer(minimum: 0), "reason": .string()], required: ["events", "milliseconds", "reason"])
    public static var example: ReportsRebuilt { ReportsRebuilt(events: 1200, milliseconds: 340, reason: "a new measure of bills") }
    public var events: Int
    public var milliseconds: Int
    public var reason: String
    public init(events: Int, milliseconds: Int, reason: String) { (self.events, self.milliseconds, self.reason) = (events, milliseconds, reason) }
}
