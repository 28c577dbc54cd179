import Contracts
import Foundation
import Hummingbird
import Postgres
import Reporting

/// Report pages: the dashboard of the shipped reports, the builder (subject, dimensions,
/// measures, filters, sort; table and chart at once), saved reports, CSV and print. A report's
/// page is a link: its definition is its query string. `?format=csv` downloads its table.
extension Pages {
    func addReports(to router: Router<BasicRequestContext>) {
        router.get("reports") { request, _ in
            try await page(request) { employee, csrf, db in
                guard ReportRoutes.mayRead(employee) else { return noReports(employee, csrf) }
                var values = base(employee, csrf: csrf, title: "Reports", nav: "reports")
                let digits = await minorDigits()
                let shipped = ReportRoutes.shipped(for: employee)
                let tables = await withTaskGroup(of: (Int, Result<ReportTable, any Error>).self) { group in
                    for (index, report) in shipped.enumerated() {
                        group.addTask {
                            do { return (index, .success(try await ReportRoutes.run(report.report, for: employee, environment))) } catch { return (index, .failure(error)) }
                        }
                    }
                    var tables: [Int: Result<ReportTable, any Error>] = [:]
                    for await (index, table) in group { tables[index] = table }
                    return tables
                }
                values["shipped"] = shipped.enumerated().map { index, report in
                    var card: [String: Any] = ["key": report.key, "title": report.title, "builder": "/reports/build?" + ReportForm.query(report.report)]
                    switch tables[index] {
                    case .success(let table): card["result"] = Self.result(table, title: report.title, digits: digits, csv: "/reports/shipped/\(report.key)?format=csv", rows: 12)
                    default: card["unavailable"] = true
                    }
                    return card
                }
                let saved = try await savedList(employee, db)
                values["saved"] = saved
                if !saved.isEmpty { values["hasSaved"] = true }
                return render("reports", values)
            }
        }
        router.get("reports/shipped/:key") { request, context in
            let key = try context.parameters.require("key")
            return try await page(request) { employee, csrf, _ in
                guard let shipped = ShippedReports.report(key), ReportRoutes.mayRead(shipped.report, employee) else {
                    return problemPage(.notFound, "No such report", "There is no report \(key).", employee: employee, csrf: csrf)
                }
                return await reportPage(
                    shipped.report, title: shipped.title, employee: employee, csrf: csrf, request: request, csv: "/reports/shipped/\(key)?format=csv")
            }
        }
        router.get("reports/build") { request, _ in
            try await page(request) { employee, csrf, _ in
                guard ReportRoutes.mayRead(employee) else { return noReports(employee, csrf) }
                return await builderPage(FormBody(request.uri.query ?? "").values, employee: employee, csrf: csrf, request: request)
            }
        }
        router.post("reports/save") { request, _ in
            try await post(request) { employee, csrf, fields, db in
                let definition = FormBody(fields.first("report") ?? "").values
                guard case .success(let report) = ReportForm.definition(definition), (try? ReportRoutes.check(report, for: employee)) != nil else {
                    return await builderPage(definition, employee: employee, csrf: csrf, request: request, error: "The report cannot be saved as it is: see what is wrong below.")
                }
                let title = (fields.first("title") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard (1...120).contains(title.count) else {
                    return await builderPage(definition, employee: employee, csrf: csrf, request: request, error: "Give the report a title of 1 to 120 characters to save it.")
                }
                let group = fields.first("sharedWith").flatMap { $0.isEmpty ? nil : $0 }
                if let group, !employee.groups.contains(group) {
                    return await builderPage(definition, employee: employee, csrf: csrf, request: request, error: "You can share a report only with a group of yours.")
                }
                let saved = try await SavedReports.save(title: title, report: report, sharedWith: group, owner: employee.username, on: db)
                return Response.redirect(to: "/reports/saved/\(saved.id)?saved=1")
            }
        }
        router.get("reports/saved/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await page(request) { employee, csrf, db in
                guard let saved = try await SavedReports.find(id, visibleTo: employee, on: db), ReportRoutes.mayRead(saved.report, employee) else {
                    return problemPage(.notFound, "No such report", "There is no saved report \(id), or it is not shared with you.", employee: employee, csrf: csrf)
                }
                var extra: [String: Any] = [
                    "savedBy": saved.owner, "savedAt": String(saved.createdAt.prefix(10)), "sharedWith": saved.sharedWith ?? "",
                    "reportId": saved.id,
                ]
                if saved.owner == employee.username || employee.isAdministrator { extra["mayDelete"] = true }
                if request.uri.queryParameters["saved"] != nil { extra["notice"] = "The report is saved." }
                return await reportPage(
                    saved.report, title: saved.title, employee: employee, csrf: csrf, request: request, csv: "/reports/saved/\(saved.id)?format=csv", extra: extra)
            }
        }
        router.post("reports/saved/:id/delete") { request, context in
            let id = try context.parameters.require("id")
            return try await post(request) { employee, csrf, _, db in
                guard let saved = try await SavedReports.find(id, visibleTo: employee, on: db), saved.owner == employee.username || employee.isAdministrator else {
                    return problemPage(.notFound, "No such report", "There is no saved report \(id) of yours.", employee: employee, csrf: csrf)
                }
                try await SavedReports.delete(saved.id, on: db)
                return Response.redirect(to: "/reports")
            }
        }
    }

    func noReports(_ employee: Employee, _ csrf: String) -> Response {
        problemPage(.notFound, "No reports", "Your groups read no reports. Ask an administrator if you need them.", employee: employee, csrf: csrf)
    }

    func savedList(_ employee: Employee, _ db: PostgresConnection) async throws -> [[String: Any]] {
        try await SavedReports.visible(to: employee, on: db).filter { ReportRoutes.mayRead($0.report, employee) }.map { saved in
            ["id": saved.id, "title": saved.title, "owner": saved.owner, "sharedWith": saved.sharedWith ?? "", "createdAt": String(saved.createdAt.prefix(10))]
        }
    }

    /// One report on its own page (a shipped or a saved one): its table, chart, CSV and a way into the builder.
    func reportPage(
        _ report: ReportDefinition, title: String, employee: Employee, csrf: String, request: Request, csv: String, extra: [String: Any] = [:]
    ) async -> Response {
        var values = base(employee, csrf: csrf, title: title, nav: "reports")
        values.merge(extra) { $1 }
        values["heading"] = title
        values["builder"] = "/reports/build?" + ReportForm.query(report)
        do {
            let table = try await ReportRoutes.run(report, for: employee, environment)
            let digits = await minorDigits()
            if ReportRoutes.wantsCSV(request) { return ReportRoutes.csv(ReportDisplay.inMajorUnits(table, minorDigits: digits), named: title) }
            values["result"] = Self.result(table, title: title, digits: digits, csv: csv)
        } catch let refusal as Gateway.Refusal {
            values["error"] = refusal.status == .serviceUnavailable ? "Reports did not answer. Try again in a moment." : refusal.message
        } catch {
            values["error"] = "The report cannot be shown: \(error)"
        }
        return render("report", values)
    }

    /// The builder: the form as the query string left it, and the report it describes.
    func builderPage(_ query: [String: [String]], employee: Employee, csrf: String, request: Request, error: String? = nil) async -> Response {
        let subjects = ReportRoutes.subjects(for: employee)
        guard let first = subjects.first else { return noReports(employee, csrf) }
        var query = query
        let chosen = query["subject"]?.first.flatMap { name in subjects.first { $0.name == name } } ?? first
        // A new subject starts afresh: the other subject's fields mean nothing here.
        if query["choose"] != nil || query["subject"]?.first != chosen.name { query = ["subject": [chosen.name]] }
        var values = base(employee, csrf: csrf, title: "Build a report", nav: "reports")
        if let error { values["error"] = error }
        values["subjects"] = subjects.map { subject -> [String: Any] in
            var option: [String: Any] = ["name": subject.name, "title": subject.title]
            if subject.name == chosen.name { option["chosen"] = true }
            return option
        }
        values["subjectTitle"] = chosen.title
        switch ReportForm.definition(query) {
        case .failure(let refused):
            values["problems"] = refused.problems.map(Self.problemText)
            values["hasProblems"] = true
            values.merge(Self.builderForm(chosen, ReportDefinition(subject: chosen.name, dimensions: [], measures: [ReportMeasure(.count)]), query)) { $1 }
        case .success(let report):
            values.merge(Self.builderForm(chosen, report, query)) { $1 }
            values["reportQuery"] = ReportForm.query(report)
            values["shareGroups"] = employee.groups.filter { $0 != "administrator" }.map { ["name": $0] }
            do {
                let table = try await ReportRoutes.run(report, for: employee, environment)
                let digits = await minorDigits()
                if ReportRoutes.wantsCSV(request) { return ReportRoutes.csv(ReportDisplay.inMajorUnits(table, minorDigits: digits), named: chosen.title) }
                values["result"] = Self.result(table, title: chosen.title, digits: digits, csv: "/reports/build?" + ReportForm.query(report) + "&format=csv")
            } catch let refusal as Gateway.Refusal where refusal.status == .unprocessableContent {
                values["problems"] = refusal.message.components(separatedBy: "; ").map(Self.problemText)
                values["hasProblems"] = true
            } catch {
                values["error"] = "Reports did not answer. Try again in a moment."
            }
        }
        return render("report-builder", values)
    }

    /// `filters[0].values[0]: '2026-13' is not a month…` in words a manager reads: `Filter 1: …`.
    static func problemText(_ problem: FieldProblem) -> String { "\(place(problem.field)): \(problem.message)" }

    static func problemText(_ text: String) -> String {
        guard let colon = text.firstIndex(of: ":") else { return text }
        return problemText(FieldProblem(String(text[..<colon]), String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
    }

    static func place(_ field: String) -> String {
        let names = ["dimensions": "Group by", "d": "Group by", "measures": "Measure", "m": "Measure", "filters": "Filter", "ff": "Filter", "fo": "Filter",
            "fv": "Filter", "sort": "Sort", "limit": "Rows", "subject": "Subject"]
        guard let match = field.firstMatch(of: #/^([a-z]+)(?:\[(\d+)\])?/#), let name = names[String(match.1)] else { return field }
        return match.2.flatMap { Int($0) }.map { "\(name) \($0 + 1)" } ?? name
    }

    /// The builder's rows: each chosen dimension, measure and filter, and empty ones to add more.
    static func builderForm(_ subject: ReportSubject, _ report: ReportDefinition, _ query: [String: [String]]) -> [String: Any] {
        func options(_ all: [(String, String)], _ chosen: String?) -> [[String: Any]] {
            all.map { name, title in
                var option: [String: Any] = ["name": name, "title": title]
                if name == chosen { option["chosen"] = true }
                return option
            }
        }
        let dimensions = ReportForm.dimensions(of: subject).map { ($0.name, $0.title) }
        let measures = ReportForm.measures(of: subject).map { ($0.column, $0.title) }
        let fields = dimensions.filter { !$0.0.hasSuffix(".day") }
        let writtenDimensions = query["d"]?.filter { !$0.isEmpty } ?? report.dimensions
        let writtenMeasures = query["m"]?.filter { !$0.isEmpty } ?? report.measures.map(\.column)
        var values: [String: Any] = [
            "dimensionRows": (0..<max(3, writtenDimensions.count + 1)).map { ["options": options(dimensions, $0 < writtenDimensions.count ? writtenDimensions[$0] : nil)] },
            "measureRows": (0..<max(3, writtenMeasures.count + 1)).map { ["options": options(measures, $0 < writtenMeasures.count ? writtenMeasures[$0] : nil)] },
        ]
        let (ff, fo, fv) = (query["ff"] ?? [], query["fo"] ?? [], query["fv"] ?? [])
        let written = ff.indices.filter { !ff[$0].isEmpty }
        values["filterRows"] = (0..<max(3, written.count + 1)).map { row -> [String: Any] in
            let index = row < written.count ? written[row] : nil
            let op = index.flatMap { $0 < fo.count ? fo[$0] : nil } ?? "="
            return [
                "fields": options(fields, index.map { ff[$0] }),
                "operators": options(ReportOperator.allCases.map { ($0.rawValue, operatorTitle[$0]!) }, op),
                "value": index.flatMap { $0 < fv.count ? fv[$0] : nil } ?? "",
            ]
        }
        // Sorting is by a column of the report: its dimensions and measures, either way.
        let columns = report.dimensions.map { name in (name, dimensions.first { $0.0 == name }?.1 ?? name) }
            + report.measures.map { measure in (measure.column, measures.first { $0.0 == measure.column }?.1 ?? measure.column) }
        let sort = report.sort.first.map { ($0.descending ? "-" : "") + $0.column }
        values["sortOptions"] = options(columns.flatMap { [($0.0, "\($0.1), lowest first"), ("-" + $0.0, "\($0.1), highest first")] }, sort)
        values["limit"] = report.limit.map(String.init) ?? ""
        let help = subject.fields.compactMap { field in field.values.map { ["title": field.title, "values": $0.joined(separator: ", ")] } }
        values["fieldHelp"] = help
        if !help.isEmpty { values["hasFieldHelp"] = true }
        return values
    }

    static let operatorTitle: [ReportOperator: String] = [
        .equals: "is", .notEquals: "is not", .lessThan: "less than", .atMost: "at most", .greaterThan: "more than", .atLeast: "at least",
        .oneOf: "one of (a, b, …)", .between: "from … to (a, b)",
    ]

    /// What a report's table looks like on a page: the chart, the table (at most `rows` rows, all when nil), where it came from.
    static func result(_ raw: ReportTable, title: String, digits: [String: Int], csv: String, rows: Int? = nil) -> [String: Any] {
        let table = ReportDisplay.inMajorUnits(raw, minorDigits: digits)
        let shown = rows.map { Array(table.rows.prefix($0)) } ?? table.rows
        var values: [String: Any] = [
            "columns": table.columns.map { column -> [String: Any] in
                var value: [String: Any] = ["title": column.title]
                if column.isMeasure { value["measure"] = true }
                return value
            },
            "rows": shown.map { row in
                ["cells": zip(table.columns, row).map { column, cell -> [String: Any] in
                    var value: [String: Any] = ["text": ReportDisplay.text(cell, column.kind)]
                    if column.isMeasure { value["measure"] = true }
                    return value
                }]
            },
            "csv": csv, "source": table.source, "count": String(table.rows.count),
        ]
        if let chart = ReportChart.svg(table, title: title) { values["chart"] = chart }
        if table.rows.isEmpty { values["empty"] = true }
        if table.truncated { values["truncated"] = true }
        if shown.count < table.rows.count { values["more"] = String(table.rows.count - shown.count) }
        return values
    }

    /// Each currency's minor digits, as the tariffs priced in it say; none when Tariff does not answer.
    func minorDigits() async -> [String: Int] {
        guard let list = try? await TariffRoutes.list(environment) else { return [:] }
        return Dictionary(list.tariffs.map { ($0.tariff.currency, $0.tariff.minorDigits) }) { first, _ in first }
    }
}
