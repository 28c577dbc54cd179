import Contracts
import Forms
import Foundation
import Hummingbird
import Messaging
import Postgres

/// Starting a process from its start form, and an instance's history with its diagram.
extension Pages {
    func addProcesses(to router: Router<BasicRequestContext>) {
        router.get("processes") { request, _ in
            try await page(request) { employee, csrf, _ in
                var values = base(employee, csrf: csrf, title: "Start a process", nav: "processes")
                do {
                    values["processes"] = try await ProcessRoutes.startable(by: employee, environment).map {
                        ["processId": $0.processId, "name": $0.name ?? $0.processId, "version": $0.version] as [String: Any]
                    }
                } catch {
                    values["error"] = "The processes cannot be listed now: the orchestrator did not answer. Try again in a moment."
                }
                return render("processes", values)
            }
        }
        router.get("processes/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await page(request) { employee, csrf, _ in try await startPage(id, employee: employee, csrf: csrf) }
        }
        router.post("processes/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await post(request) { employee, csrf, fields, db in
                guard let process = try await ProcessRoutes.startable(by: employee, environment).first(where: { $0.processId == id }) else {
                    return problemPage(.notFound, "No such process", "There is no such process, or it is not one you may start.", employee: employee, csrf: csrf)
                }
                let form = try process.startForm.map { try Form(json: $0) }
                let variables = form?.values(fromPost: fields.singles) ?? [:]
                let businessKey = fields.first("_businessKey").flatMap { $0.isEmpty ? nil : $0 }
                let started = try await db.transaction { db in
                    try await ProcessRoutes.start(process, .init(businessKey: businessKey, variables: variables), by: employee, on: db)
                }
                switch started {
                case .success(let instanceId): return Response.redirect(to: "/instances/\(instanceId)?started=1")
                case .failure(let problems):
                    return try await startPage(id, employee: employee, csrf: csrf, known: process, posted: fields, problems: problems, status: .unprocessableContent)
                }
            }
        }
        router.get("instances/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await page(request) { employee, csrf, db in try await instancePage(id, employee: employee, csrf: csrf, db: db, started: request.uri.queryParameters["started"] != nil) }
        }
    }

    /// `known`: the process when the caller has just asked for it.
    func startPage(
        _ id: String, employee: Employee, csrf: String, known: StartableProcesses.Process? = nil, posted: FormBody? = nil,
        problems: Form.Problems? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var found = known
        if found == nil { found = try await ProcessRoutes.startable(by: employee, environment).first(where: { $0.processId == id }) }
        guard let process = found else {
            return problemPage(.notFound, "No such process", "There is no such process, or it is not one you may start.", employee: employee, csrf: csrf)
        }
        let form = try process.startForm.map { try Form(json: $0) }
        var values = base(employee, csrf: csrf, title: process.name ?? process.processId, nav: "processes")
        values["process"] = ["processId": process.processId, "name": process.name ?? process.processId]
        values["fields"] = FormView.fields(form, values: posted.map { form?.values(fromPost: $0.singles) ?? [:] } ?? [:], problems: problems?.all ?? [], locked: false)
        values["formProblems"] = problems.map { FormView.summary($0, of: form) }
        values["businessKey"] = posted?.first("_businessKey")
        return render("start", values, status: status)
    }

    func instancePage(_ id: String, employee: Employee, csrf: String, db: PostgresConnection, started: Bool) async throws -> Response {
        guard let instanceId = UUID(text: id), try await Inbox.mayFollow(instanceId, employee, on: db) else {
            return problemPage(.notFound, "No such process instance", "There is no such process instance, or it is not one you may follow.", employee: employee, csrf: csrf)
        }
        var values = base(employee, csrf: csrf, title: "Process instance", nav: "inbox")
        if started { values["notice"] = "The process was started." }
        let details: InstanceDetails
        do {
            details = try await environment.requests.ask(GetInstance(instanceId: id.lowercased()), timeout: .seconds(5))
        } catch RequestError.failed {
            // Sent, but not yet started by the orchestrator: the page looks again shortly.
            values["pending"] = true
            return render("instance", values)
        } catch {
            values["error"] = "The orchestrator did not answer; try again in a moment."
            return render("instance", values, status: .serviceUnavailable)
        }
        let summary = details.summary
        values["title"] = "\(summary.processId)\(summary.businessKey.map { " · \($0)" } ?? "")"
        var facts: [String: Any] = ["status": summary.status, "startedAt": Self.shortTime(summary.startedAt)]
        facts["businessKey"] = summary.businessKey
        facts["endedAt"] = summary.endedAt.map(Self.shortTime)
        facts["incidents"] = details.incidents.map { ["elementId": $0.elementId, "message": $0.message] }
        values["instance"] = facts
        values["history"] = details.history.map { step -> [String: Any] in
            var row: [String: Any] = [
                "at": Self.shortTime(step.at), "step": step.elementId, "event": step.event, "actor": TaskEvents.username(step.actor),
            ]
            row["variables"] = step.variables.map { JSONValue.object($0).canonicalJSON }
            return row
        }
        values["hasHistory"] = !details.history.isEmpty
        values["diagram"] = await diagrams.svg(processId: summary.processId, version: summary.version, instance: details, environment: environment)
        return render("instance", values)
    }
}
