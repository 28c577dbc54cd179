import Contracts

/// A report ready to run: one parameterized statement whose shape only the catalog decides.
public struct CompiledReport: Sendable, Equatable {
    public var sql: String
    /// Bound as `$1`, `$2`…: the filters' values, never part of the text.
    public var parameters: [Parameter]
    public var columns: [ReportTable.Column]
    /// `facts`, or the summary's title.
    public var source: String
    /// The rows asked for; the statement asks one more, to tell a table that was cut.
    public var limit: Int

    public enum Parameter: Sendable, Equatable {
        case text(String)
        case list([String])
    }
}

/// Turns a report's definition into SQL over the read model: every name looked up in the
/// subject's fields, every value a parameter. Refuses field by field what is not there.
public enum ReportCompiler {
    public static let defaultLimit = 1000
    public static let maximumLimit = 10_000
    static let parts = ["day", "month", "quarter", "year"]

    public static func compile(_ report: ReportDefinition) -> Result<CompiledReport, ReportRefused> {
        guard let subject = ReportCatalog.subject(report.subject) else {
            return .failure(ReportRefused([FieldProblem("subject", "there is no subject '\(report.subject)'; subjects are \(ReportCatalog.subjects.map(\.name).joined(separator: ", "))")]))
        }
        var problems: [FieldProblem] = []
        var dimensions = report.dimensions
        if dimensions.count > 6 { problems.append(FieldProblem("dimensions", "at most 6 dimensions")) }
        for (index, name) in dimensions.enumerated() {
            if Name(name, in: subject) == nil { problems.append(FieldProblem("dimensions[\(index)]", unknown(name, subject))) }
            if dimensions[..<index].contains(name) { problems.append(FieldProblem("dimensions[\(index)]", "'\(name)' is already a dimension")) }
        }
        if report.measures.isEmpty { problems.append(FieldProblem("measures", "at least one measure")) }
        if report.measures.count > 8 { problems.append(FieldProblem("measures", "at most 8 measures")) }
        for (index, measure) in report.measures.enumerated() {
            if let problem = check(measure, subject) { problems.append(FieldProblem("measures[\(index)]", problem)) }
            if report.measures[..<index].contains(measure) { problems.append(FieldProblem("measures[\(index)]", "'\(measure.column)' is already a measure")) }
        }
        if report.filters.count > 20 { problems.append(FieldProblem("filters", "at most 20 filters")) }
        for (index, filter) in report.filters.enumerated() { problems += check(filter, subject, at: "filters[\(index)]") }
        let limit = report.limit ?? defaultLimit
        if !(1...maximumLimit).contains(limit) { problems.append(FieldProblem("limit", "must be from 1 to \(maximumLimit)")) }
        // Money of different currencies is never added up: a money measure groups by currency.
        if subject.field("currency") != nil, !dimensions.contains("currency"),
            report.measures.contains(where: { $0.aggregate != .count && $0.aggregate != .distinct && subject.field($0.field ?? "")?.kind == .money })
        {
            dimensions.append("currency")
        }
        let columns = problems.isEmpty ? dimensions.compactMap { Name($0, in: subject)?.column } + report.measures.map { column($0, subject) } : []
        for (index, sort) in report.sort.enumerated() where !problems.isEmpty || !columns.contains(where: { $0.name == sort.column }) {
            guard problems.isEmpty else { break }
            problems.append(FieldProblem("sort[\(index)].column", "'\(sort.column)' is not a column of this report; its columns are \(columns.map(\.name).joined(separator: ", "))"))
        }
        guard problems.isEmpty else { return .failure(ReportRefused(problems)) }

        let summary = subject.summary.flatMap { summary in usesOnly(summary, dimensions, report) ? summary : nil }
        var parameters: [CompiledReport.Parameter] = []
        let selected =
            dimensions.map { Name($0, in: subject)!.dimensionSQL(summary) }
            + report.measures.map { measureSQL($0, subject, summary) }
        let conditions = report.filters.map { filter in
            let name = Name(filter.field, in: subject)!
            let left = name.filterSQL(summary)
            func bind(_ value: CompiledReport.Parameter) -> String {
                parameters.append(value)
                return "$\(parameters.count)" + name.cast
            }
            switch filter.op {
            case .oneOf:
                parameters.append(.list(filter.values))
                return "\(left) = ANY($\(parameters.count)\(name.cast)[])"
            case .between: return "\(left) BETWEEN \(bind(.text(filter.values[0]))) AND \(bind(.text(filter.values[1])))"
            default: return "\(left) \(filter.op.rawValue) \(bind(.text(filter.values[0])))"
            }
        }
        var sql = "SELECT " + selected.enumerated().map { "\($0.element) AS c\($0.offset)" }.joined(separator: ", ")
        sql += " FROM " + (summary?.table ?? subject.table)
        let all = (summary == nil ? subject.condition.map { [$0] } ?? [] : []) + conditions
        if !all.isEmpty { sql += " WHERE " + all.joined(separator: " AND ") }
        if !dimensions.isEmpty { sql += " GROUP BY " + (1...dimensions.count).map(String.init).joined(separator: ", ") }
        let order =
            report.sort.isEmpty
            ? (0..<dimensions.count).map { "\($0 + 1) ASC NULLS LAST" }
            : report.sort.map { sort in "\(columns.firstIndex { $0.name == sort.column }! + 1) \(sort.descending ? "DESC" : "ASC") NULLS LAST" }
        if !order.isEmpty { sql += " ORDER BY " + order.joined(separator: ", ") }
        sql += " LIMIT \(limit + 1)"
        return .success(CompiledReport(sql: sql, parameters: parameters, columns: columns, source: summary?.title ?? "facts", limit: limit))
    }

    /// Whether a report needs nothing its subject's summary lacks.
    static func usesOnly(_ summary: ReportSummary, _ dimensions: [String], _ report: ReportDefinition) -> Bool {
        func covered(_ name: String) -> Bool {
            let (field, part) = Name.split(name)
            guard summary.fields[field] != nil else { return false }
            // A moment's summary column is its month: its months, quarters and years are there, its days are not.
            return part == nil ? !isMoment(field, report.subject) : part != "day"
        }
        return dimensions.allSatisfy(covered) && report.filters.allSatisfy { covered($0.field) }
            && report.measures.allSatisfy { measure in
                switch measure.aggregate {
                case .count: true
                case .sum, .average: measure.field.map { summary.sums[$0] != nil } ?? false
                default: false
                }
            }
    }

    static func isMoment(_ field: String, _ subject: String) -> Bool { ReportCatalog.subject(subject)?.field(field)?.isMoment ?? false }

    static func unknown(_ name: String, _ subject: ReportSubject) -> String {
        "'\(name)' is not a field of \(subject.name); its fields are \(subject.fields.map(\.name).joined(separator: ", ")) (a date also by .day, .month, .quarter or .year)"
    }

    static func check(_ measure: ReportMeasure, _ subject: ReportSubject) -> String? {
        guard let name = measure.field else { return measure.aggregate == .count ? nil : "\(measure.aggregate.rawValue) needs a field" }
        guard let field = subject.field(name) else { return unknown(name, subject) }
        switch measure.aggregate {
        case .count: return "count counts rows: leave out the field, or use distinct"
        case .distinct: return nil
        case .sum, .average, .p95: return field.isQuantity ? nil : "\(measure.aggregate.rawValue) needs a quantity; '\(name)' is \(field.kind.rawValue)"
        case .minimum, .maximum: return field.isQuantity || field.isMoment ? nil : "\(measure.aggregate.rawValue) needs a quantity or a date; '\(name)' is \(field.kind.rawValue)"
        }
    }

    static func check(_ filter: ReportFilter, _ subject: ReportSubject, at path: String) -> [FieldProblem] {
        guard let name = Name(filter.field, in: subject) else { return [FieldProblem("\(path).field", unknown(filter.field, subject))] }
        let wanted: ClosedRange<Int> =
            switch filter.op {
            case .oneOf: 1...200
            case .between: 2...2
            default: 1...1
            }
        guard wanted.contains(filter.values.count) else {
            return [FieldProblem("\(path).values", wanted.count == 1 ? "'\(filter.op.rawValue)' takes \(wanted.lowerBound) value" + (wanted.lowerBound == 1 ? "" : "s") : "'in' takes 1 to 200 values")]
        }
        if name.part == nil, [.text, .boolean].contains(name.field.kind), ![.equals, .notEquals, .oneOf].contains(filter.op) {
            return [FieldProblem("\(path).op", "'\(filter.field)' is \(name.field.kind.rawValue): use =, != or in")]
        }
        return filter.values.enumerated().compactMap { index, value in
            name.problem(with: value).map { FieldProblem("\(path).values[\(index)]", $0) }
        }
    }

    static func column(_ measure: ReportMeasure, _ subject: ReportSubject) -> ReportTable.Column {
        guard let field = measure.field.flatMap(subject.field) else { return ReportTable.Column(name: measure.column, title: subject.rows, kind: .integer, isMeasure: true) }
        let title = field.title.prefix(1).lowercased() + field.title.dropFirst()
        let (heading, kind): (String, ReportTable.Kind) =
            switch measure.aggregate {
            case .count, .distinct: ("Different \(title)", .integer)
            case .sum: ("Total \(title)", field.kind)
            case .average: ("Average \(title)", field.kind == .integer ? .number : field.kind)
            case .minimum: ("Least \(title)", field.kind)
            case .maximum: ("Greatest \(title)", field.kind)
            case .p95: ("95th percentile of \(title)", field.kind == .integer ? .number : field.kind)
            }
        return ReportTable.Column(name: measure.column, title: heading, kind: kind, isMeasure: true)
    }

    static func measureSQL(_ measure: ReportMeasure, _ subject: ReportSubject, _ summary: ReportSummary?) -> String {
        guard let name = measure.field, let field = subject.field(name) else {
            return summary.map { "sum(\($0.countColumn))::bigint" } ?? "count(*)"
        }
        if let summary, let column = summary.sums[name] {
            return measure.aggregate == .average
                ? "trim_scale(round(sum(\(column))::numeric / nullif(sum(\(summary.countColumn)), 0), 2))" : rounded("sum(\(column))", field.kind)
        }
        let value = field.sql
        switch measure.aggregate {
        case .count: return "count(*)"
        case .distinct: return "count(DISTINCT \(value))"
        case .sum: return rounded("sum(\(value))", field.kind)
        case .average: return "trim_scale(round(avg(\(value))::numeric, 2))"
        case .p95: return "trim_scale(round(percentile_cont(0.95) WITHIN GROUP (ORDER BY \(value))::numeric, 2))"
        case .minimum, .maximum:
            let extreme = "\(measure.aggregate == .minimum ? "min" : "max")(\(value))"
            switch field.kind {
            case .date: return "to_char(\(extreme), 'YYYY-MM-DD')"
            case .timestamp: return "to_char(\(extreme) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            default: return rounded(extreme, field.kind)
            }
        }
    }

    /// Fractions to three places, without trailing zeros: `120`, `3.9`.
    static func rounded(_ sql: String, _ kind: ReportTable.Kind) -> String {
        kind == .number || kind == .hours ? "trim_scale(round((\(sql))::numeric, 3))" : sql
    }
}

/// A dimension's or a filter's name: a field, or a moment field's part (`issued.month`).
struct Name {
    let field: ReportField
    let part: String?

    init?(_ name: String, in subject: ReportSubject) {
        let (base, part) = Self.split(name)
        guard let field = subject.field(base) else { return nil }
        if let part, !(field.isMoment && ReportCompiler.parts.contains(part)) { return nil }
        (self.field, self.part) = (field, part)
    }

    static func split(_ name: String) -> (String, String?) {
        guard let dot = name.lastIndex(of: ".") else { return (name, nil) }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]))
    }

    var name: String { part.map { "\(field.name).\($0)" } ?? field.name }

    var column: ReportTable.Column {
        ReportTable.Column(name: name, title: part.map { "\(field.title) (\($0))" } ?? field.title, kind: part == nil ? field.kind : .text, isMeasure: false)
    }

    func expression(_ summary: ReportSummary?) -> String { summary?.fields[field.name] ?? field.sql }

    /// The moment in UTC, as a day-precision value `to_char` can cut.
    func moment(_ summary: ReportSummary?) -> String {
        field.kind == .timestamp && summary == nil ? "(\(expression(summary)) AT TIME ZONE 'UTC')" : expression(summary)
    }

    var format: String {
        switch part {
        case "day": "YYYY-MM-DD"
        case "month": "YYYY-MM"
        case "quarter": "YYYY-\"Q\"Q"
        default: "YYYY"
        }
    }

    func dimensionSQL(_ summary: ReportSummary?) -> String {
        if part != nil { return "to_char(\(moment(summary)), '\(format)')" }
        switch field.kind {
        case .date: return "to_char(\(expression(summary)), 'YYYY-MM-DD')"
        case .timestamp: return "to_char(\(moment(summary)), 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        case .number, .hours: return "trim_scale(round((\(expression(summary)))::numeric, 3))"
        case .boolean: return "(\(expression(summary)))::text"
        default: return expression(summary)
        }
    }

    func filterSQL(_ summary: ReportSummary?) -> String { part == nil ? "(\(expression(summary)))" : dimensionSQL(summary) }

    /// The parameter's type: filters compare values of the field's own type.
    var cast: String {
        guard part == nil else { return "::text" }
        switch field.kind {
        case .text: return "::text"
        case .integer, .money: return "::bigint"
        case .number, .hours: return "::float8"
        case .date: return "::date"
        case .timestamp: return "::timestamptz"
        case .boolean: return "::bool"
        }
    }

    /// A real day of the calendar, written `YYYY-MM-DD`.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month) else { return false }
        return (1...CivilCalendar.daysIn(year: year, month: month)).contains(day)
    }

    /// Why a filter's value does not fit the field, or nil.
    func problem(with value: String) -> String? {
        if let part {
            let patterns = ["day": #"^\d{4}-\d{2}-\d{2}$"#, "month": #"^\d{4}-(0[1-9]|1[0-2])$"#, "quarter": #"^\d{4}-Q[1-4]$"#, "year": #"^\d{4}$"#]
            let example = ["day": "2026-10-31", "month": "2026-10", "quarter": "2026-Q4", "year": "2026"][part]!
            return value.wholeMatch(of: try! Regex(patterns[part]!)) == nil ? "'\(value)' is not a \(part) such as \(example)" : nil
        }
        switch field.kind {
        case .text:
            if value.count > 200 { return "at most 200 characters" }
            if let values = field.values, !values.contains(value) { return "'\(value)' is not one of \(values.joined(separator: ", "))" }
            return nil
        case .integer, .money: return Int(value) == nil ? "'\(value)' is not a whole number" + (field.kind == .money ? " of minor units" : "") : nil
        case .number, .hours: return Double(value).map { $0.isFinite } == true ? nil : "'\(value)' is not a number"
        case .boolean: return ["true", "false"].contains(value) ? nil : "must be true or false"
        case .date: return !Self.isDate(value) ? "'\(value)' is not a date such as 2026-10-31" : nil
        case .timestamp:
            return value.wholeMatch(of: #/\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?/#) == nil || !Self.isDate(String(value.prefix(10)))
                ? "'\(value)' is not a moment such as 2026-10-31T08:00:00Z" : nil
        }
    }
}

/// Why a report cannot be run, field by field.
public struct ReportRefused: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [FieldProblem]
    public init(_ problems: [FieldProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
