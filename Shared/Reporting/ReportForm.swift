import Contracts
import Foundation

/// A report as the cartable's builder sends it, in a query string, so that a report is a link
/// one can keep, send or print: `subject`; `d` for each dimension; `m` for each measure's
/// column (`count`, `sum:charges`); `ff`, `fo` and `fv` for each filter's field, operator and
/// values (comma-separated for `in` and `between`); `s` for each sort column, with `-` first
/// for descending; `limit`. Rows of the form left empty are left out.
public enum ReportForm {
    public static func definition(_ values: [String: [String]]) -> Result<ReportDefinition, ReportRefused> {
        func all(_ name: String) -> [String] { (values[name] ?? []).map { $0.trimmingCharacters(in: .whitespaces) } }
        var problems: [FieldProblem] = []
        guard let subject = all("subject").first, !subject.isEmpty else { return .failure(ReportRefused([FieldProblem("subject", "choose a subject")])) }
        let dimensions = all("d").filter { !$0.isEmpty }
        var measures: [ReportMeasure] = []
        for (index, column) in all("m").enumerated() where !column.isEmpty {
            if let measure = measure(column) {
                measures.append(measure)
            } else {
                problems.append(FieldProblem("m[\(index)]", "'\(column)' is not a measure such as count or sum:charges"))
            }
        }
        let fields = all("ff"), operators = all("fo"), texts = all("fv")
        var filters: [ReportFilter] = []
        for (index, field) in fields.enumerated() where !field.isEmpty {
            let written = index < operators.count ? operators[index] : "="
            guard let op = ReportOperator(rawValue: written.isEmpty ? "=" : written) else {
                problems.append(FieldProblem("fo[\(index)]", "'\(written)' is not one of \(ReportOperator.allCases.map(\.rawValue).joined(separator: ", "))"))
                continue
            }
            let text = index < texts.count ? texts[index] : ""
            guard !text.isEmpty else {
                problems.append(FieldProblem("fv[\(index)]", "give the filter on '\(field)' a value"))
                continue
            }
            let split = op == .oneOf || op == .between ? text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : [text]
            filters.append(ReportFilter(field, op, split))
        }
        let sort = all("s").filter { !$0.isEmpty }.map { $0.hasPrefix("-") ? ReportSort(String($0.dropFirst()), descending: true) : ReportSort($0) }
        var limit: Int?
        if let written = all("limit").first, !written.isEmpty {
            if let number = Int(written) { limit = number } else { problems.append(FieldProblem("limit", "'\(written)' is not a whole number")) }
        }
        guard problems.isEmpty else { return .failure(ReportRefused(problems)) }
        return .success(
            ReportDefinition(subject: subject, dimensions: dimensions, measures: measures.isEmpty ? [ReportMeasure(.count)] : measures, filters: filters, sort: sort, limit: limit))
    }

    /// `count`, `sum:charges`: a measure's column read back.
    public static func measure(_ column: String) -> ReportMeasure? {
        let parts = column.split(separator: ":", maxSplits: 1).map(String.init)
        guard let aggregate = ReportAggregate(rawValue: parts[0]) else { return nil }
        return ReportMeasure(aggregate, parts.count > 1 ? parts[1] : nil)
    }

    /// The query's pairs, in the order `definition` reads them.
    public static func pairs(_ report: ReportDefinition) -> [(String, String)] {
        var pairs = [("subject", report.subject)]
        pairs += report.dimensions.map { ("d", $0) }
        pairs += report.measures.map { ("m", $0.column) }
        for filter in report.filters { pairs += [("ff", filter.field), ("fo", filter.op.rawValue), ("fv", filter.values.joined(separator: ","))] }
        pairs += report.sort.map { ("s", ($0.descending ? "-" : "") + $0.column) }
        if let limit = report.limit { pairs.append(("limit", String(limit))) }
        return pairs
    }

    public static func query(_ report: ReportDefinition) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~:"))
        return pairs(report).map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $1)" }.joined(separator: "&")
    }

    /// What the builder offers to group by: each field, and a moment's day, month, quarter and year.
    public static func dimensions(of subject: ReportSubject) -> [(name: String, title: String)] {
        subject.fields.flatMap { field in
            [(field.name, field.title)] + (field.isMoment ? ReportCompiler.parts.map { ("\(field.name).\($0)", "\(field.title) (\($0))") } : [])
        }
    }

    /// Every measure the compiler accepts for this subject, titled as its column will be.
    public static func measures(of subject: ReportSubject) -> [(column: String, title: String)] {
        var measures = [ReportMeasure(.count)]
        for field in subject.fields {
            let aggregates: [ReportAggregate] =
                field.isQuantity ? [.sum, .average, .minimum, .maximum, .p95] : field.isMoment ? [.minimum, .maximum] : [.distinct]
            measures += aggregates.map { ReportMeasure($0, field.name) }
        }
        return measures.map { ($0.column, ReportCompiler.column($0, subject).title) }
    }
}
