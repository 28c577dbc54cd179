import Contracts
import Foundation
import Hummingbird
import Messaging
import Reporting
import ServiceKit

/// `/api/reports…`: the subjects, shipped and saved reports an employee may read, and running
/// them through the Reports service. A report is checked here first, so that a wrong field is
/// a 422 naming it and a subject the employee may not read is not found (as a bill is not).
/// `?format=csv` answers a report's table as CSV.
enum ReportRoutes {
    static func subjects(for employee: Employee) -> [ReportSubject] {
        ReportCatalog.subjects.filter { $0.mayRead(groups: employee.groups, isAdministrator: employee.isAdministrator) }
    }

    static func mayRead(_ employee: Employee) -> Bool { !subjects(for: employee).isEmpty }

    static func mayRead(_ report: ReportDefinition, _ employee: Employee) -> Bool {
        ReportCatalog.subject(report.subject)?.mayRead(groups: employee.groups, isAdministrator: employee.isAdministrator) ?? true
    }

    static func shipped(for employee: Employee) -> [ShippedReport] { ShippedReports.all.filter { mayRead($0.report, employee) } }

    struct Catalog: Encodable {
        struct Field: Encodable {
            var name: String
            var title: String
            var kind: ReportTable.Kind
            var values: [String]?
        }
        struct Subject: Encodable {
            var name: String
            var title: String
            var rows: String
            var fields: [Field]
            var dimensions: [String]
            var measures: [String]
        }
        struct Shipped: Encodable {
            var key: String
            var title: String
            var report: ReportDefinition
        }
        var subjects: [Subject]
        var shipped: [Shipped]
        var saved: [SavedReport]
    }

    /// A report to keep: its title, what it is, and the group (of the employee's) to share it with.
    struct NewReport: Decodable {
        var title: String
        var report: ReportDefinition
        var sharedWith: String?
    }

    struct SavedTable: Encodable {
        var saved: SavedReport
        var table: ReportTable
    }

    static func add(to api: RouterGroup<some RequestContext>, environment: ServiceEnvironment) {
        api.get("reports") { request, context in
            try await Gateway.signedIn(request, context, environment) { employee, _, db in
                guard mayRead(employee) else { return Gateway.problem(.notFound, "no reports for this employee") }
                let subjects = subjects(for: employee).map { subject in
                    Catalog.Subject(
                        name: subject.name, title: subject.title, rows: subject.rows,
                        fields: subject.fields.map { Catalog.Field(name: $0.name, title: $0.title, kind: $0.kind, values: $0.values) },
                        dimensions: ReportForm.dimensions(of: subject).map(\.name), measures: ReportForm.measures(of: subject).map(\.column))
                }
                let saved = try await SavedReports.visible(to: employee, on: db).filter { mayRead($0.report, employee) }
                return try Gateway.json(
                    Catalog(subjects: subjects, shipped: shipped(for: employee).map { .init(key: $0.key, title: $0.title, report: $0.report) }, saved: saved))
            }
        }
        api.post("reports/run") { request, context in
            let report = try await Gateway.body(ReportDefinition.self, of: request, context)
            return try await Gateway.signedIn(request, context, environment) { employee, _, _ in
                try answer(try await run(report, for: employee, environment), request)
            }
        }
        api.get("reports/shipped/:id") { request, context in
            let key = try context.parameters.require("id")
            return try await Gateway.signedIn(request, context, environment) { employee, _, _ in
                guard let shipped = ShippedReports.report(key), mayRead(shipped.report, employee) else { return Gateway.problem(.notFound, "no such report") }
                return try answer(try await run(shipped.report, for: employee, environment), request)
            }
        }
        api.post("reports") { request, context in
            let new = try await Gateway.body(NewReport.self, of: request, context)
            return try await Gateway.signedIn(request, context, environment) { employee, _, db in
                try check(new.report, for: employee)
                let title = new.title.trimmingCharacters(in: .whitespacesAndNewlines)
                guard (1...120).contains(title.count) else { return Gateway.problem(.unprocessableContent, "a title of 1 to 120 characters", field: "title") }
                if let group = new.sharedWith, !employee.groups.contains(group) {
                    // An administrator may share with any group there is; others with their own.
                    let exists = try await SavedReports.groupExists(group, on: db)
                    guard employee.isAdministrator, exists else {
                        return Gateway.problem(.unprocessableContent, "'\(group)' is not a group of yours", field: "sharedWith")
                    }
                }
                return try await db.transaction { db in
                    try await Idempotency.run(request, for: employee.username, on: db) {
                        let saved = try await SavedReports.save(title: title, report: new.report, sharedWith: new.sharedWith, owner: employee.username, on: db)
                        return (.created, try Gateway.encode(saved))
                    }
                }
            }
        }
        api.get("reports/saved/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await Gateway.signedIn(request, context, environment) { employee, _, db in
                guard let saved = try await SavedReports.find(id, visibleTo: employee, on: db), mayRead(saved.report, employee) else {
                    return Gateway.problem(.notFound, "no such report")
                }
                let table = try await run(saved.report, for: employee, environment)
                if wantsCSV(request) { return csv(table, named: saved.title) }
                return try Gateway.json(SavedTable(saved: saved, table: table))
            }
        }
        api.delete("reports/saved/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await Gateway.signedIn(request, context, environment) { employee, _, db in
                guard let saved = try await SavedReports.find(id, visibleTo: employee, on: db) else { return Gateway.problem(.notFound, "no such report") }
                guard saved.owner == employee.username || employee.isAdministrator else {
                    return Gateway.problem(.forbidden, "only \(saved.owner), who saved it, may delete this report")
                }
                try await SavedReports.delete(saved.id, on: db)
                return Response(status: .noContent)
            }
        }
    }

    /// Refuses a report the employee may not read (not found) or that does not compile (422 naming the field).
    static func check(_ report: ReportDefinition, for employee: Employee) throws {
        guard mayRead(report, employee) else { throw Gateway.Refusal(status: .notFound, message: "there is no subject '\(report.subject)'", field: "subject") }
        if case .failure(let refused) = ReportCompiler.compile(report) {
            throw Gateway.Refusal(status: .unprocessableContent, message: refused.description, field: refused.problems.first?.field)
        }
    }

    static func run(_ report: ReportDefinition, for employee: Employee, _ environment: ServiceEnvironment) async throws -> ReportTable {
        try check(report, for: employee)
        do {
            // A report's statement may take up to Reports' 30 s limit.
            return try await environment.requests.ask(RunReport(report: report), timeout: .seconds(35))
        } catch RequestError.failed(let reason) {
            throw Gateway.Refusal(status: .unprocessableContent, message: reason, field: nil)
        } catch {
            throw Gateway.Refusal(status: .serviceUnavailable, message: "Reports did not answer: \(error)", field: nil)
        }
    }

    static func wantsCSV(_ request: Request) -> Bool { request.uri.queryParameters["format"] == "csv" }

    static func answer(_ table: ReportTable, _ request: Request) throws -> Response {
        wantsCSV(request) ? csv(table, named: "report") : try Gateway.json(table)
    }

    static func csv(_ table: ReportTable, named name: String) -> Response {
        let file = name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }.reduce(into: "") { $0 += String($1) }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(file.isEmpty ? "report" : file).csv\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: ReportCSV.text(table))))
    }
}
