import Contracts

/// A field of a subject: what a manager may group by, filter on or sum up, and the SQL that
/// reads it. Only these expressions ever reach a query: the whitelist.
public struct ReportField: Sendable {
    public var name: String
    public var title: String
    public var kind: ReportTable.Kind
    /// An expression over the subject's table; written by us, never from input.
    public var sql: String
    /// The values a text field takes, when they are a fixed few (a filter must be one of them).
    public var values: [String]?

    public init(_ name: String, _ title: String, _ kind: ReportTable.Kind, _ sql: String, values: [String]? = nil) {
        (self.name, self.title, self.kind, self.sql, self.values) = (name, title, kind, sql, values)
    }

    /// Whether the field's values can be summed, averaged and ranked.
    var isQuantity: Bool { [.integer, .number, .money, .hours].contains(kind) }
    /// Whether it has a day, a month, a quarter and a year to group by.
    var isMoment: Bool { kind == .date || kind == .timestamp }
}

/// A summary table kept beside a subject's facts, with some of its fields and sums of others:
/// a report that needs nothing else is read from it (as OLAP engines navigate aggregates).
public struct ReportSummary: Sendable {
    /// Said in a report's table, so that a reader knows what was read.
    public var title: String
    public var table: String
    /// The column that counts the facts each row sums up.
    public var countColumn: String
    /// Field name to its column in the summary. A moment field's column is its month.
    public var fields: [String: String]
    /// Quantity field name to the column of its sum.
    public var sums: [String: String]
}

/// What a report is about: a table of facts, one row per bill, payment, task…, with its fields.
public struct ReportSubject: Sendable {
    public var name: String
    public var title: String
    /// The FROM clause.
    public var table: String
    /// What one row is, for the count's title: "Bills".
    public var rows: String
    public var fields: [ReportField]
    /// The groups whose members may run its reports (administrators always may).
    public var readers: Set<String>
    public var summary: ReportSummary?
    /// What a row must be to count (a bill known only from its cancellation is not one).
    public var condition: String?

    public init(
        name: String, title: String, table: String, rows: String, fields: [ReportField], readers: Set<String>, summary: ReportSummary? = nil,
        condition: String? = nil
    ) {
        (self.name, self.title, self.table, self.rows, self.fields, self.readers, self.summary, self.condition) =
            (name, title, table, rows, fields, readers, summary, condition)
    }

    public func field(_ name: String) -> ReportField? { fields.first { $0.name == name } }

    /// Whether an employee in these groups may read this subject's reports.
    public func mayRead(groups: [String], isAdministrator: Bool) -> Bool { isAdministrator || !readers.isDisjoint(with: groups) }
}
