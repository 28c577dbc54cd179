import Contracts
import Foundation
import Hummingbird
import Messaging
import Postgres

/// Administration from the browser: incidents to retry, users and their groups, groups. Only
/// for administrators; anyone else gets the page that does not exist.
extension Pages {
    func addAdministration(to router: Router<BasicRequestContext>) {
        router.get("admin") { request, _ in
            try await page(request) { employee, csrf, db in
                guard employee.isAdministrator else { return notFound(employee, csrf) }
                let notice = request.uri.queryParameters["done"].map { _ in "Saved." }
                return try await adminPage(employee: employee, csrf: csrf, db: db, notice: notice)
            }
        }
        router.post("admin/users") { request, _ in
            try await administer(request) { employee, fields, db in
                let change = Administration.UserChange(
                    username: fields.first("username")?.lowercased(), displayName: fields.first("displayName"), password: fields.first("password"),
                    active: true, groups: fields.all("groups"), supervises: fields.all("supervises"))
                return try await Administration.addUser(change, by: employee.username, on: db)
            }
        }
        router.post("admin/users/:id") { request, context in
            let username = try context.parameters.require("id")
            return try await administer(request) { employee, fields, db in
                let password = fields.first("password").flatMap { $0.isEmpty ? nil : $0 }
                let change = Administration.UserChange(
                    username: nil, displayName: fields.first("displayName"), password: password, active: fields.first("active") != nil,
                    groups: fields.all("groups"), supervises: fields.all("supervises"))
                return try await Administration.changeUser(username, change, by: employee.username, on: db)
            }
        }
        router.post("admin/groups") { request, _ in
            try await administer(request) { _, fields, db in
                try await Administration.create(Administration.NewGroup(name: fields.first("name") ?? "", title: fields.first("title") ?? ""), on: db)
            }
        }
        router.post("admin/incidents/:id/resolve") { request, context in
            let id = try context.parameters.require("id")
            return try await administer(request) { employee, fields, db in
                guard let retries = Int(fields.first("retries") ?? "3"), (1...100).contains(retries) else {
                    return .invalid(field: "retries", "must be 1 to 100")
                }
                try await Outbox.insert([try .contract(ResolveIncident(incidentId: id, retries: retries), actor: "user:\(employee.username)")], on: db)
                return .done
            }
        }
    }

    private func notFound(_ employee: Employee, _ csrf: String) -> Response {
        problemPage(.notFound, "No such page", "There is no such page.", employee: employee, csrf: csrf)
    }

    /// A post of the administration page: done goes back to it; a refusal shows it there.
    private func administer(
        _ request: Request, _ change: @escaping (Employee, FormBody, PostgresConnection) async throws -> Administration.Outcome
    ) async throws -> Response {
        try await post(request) { employee, csrf, fields, db in
            guard employee.isAdministrator else { return notFound(employee, csrf) }
            switch try await change(employee, fields, db) {
            case .done: return Response.redirect(to: "/admin?done=1")
            case .notFound: return try await adminPage(employee: employee, csrf: csrf, db: db, error: "There is no such user.", status: .notFound)
            case .conflict(let reason): return try await adminPage(employee: employee, csrf: csrf, db: db, error: "Not done: \(reason).", status: .conflict)
            case .invalid(let field, let reason):
                return try await adminPage(employee: employee, csrf: csrf, db: db, error: "Not done: \(field) \(reason).", status: .unprocessableContent)
            }
        }
    }

    func adminPage(
        employee: Employee, csrf: String, db: PostgresConnection, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var values = base(employee, csrf: csrf, title: "Administration", nav: "admin")
        values["notice"] = notice
        values["error"] = error
        let groups = try await Administration.groups(on: db)
        values["groups"] = groups.map { ["name": $0.name, "title": $0.title, "members": $0.members] as [String: Any] }
        values["users"] = try await Administration.users(on: db).map { user -> [String: Any] in
            [
                "username": user.username, "displayName": user.displayName, "active": user.active,
                "groupList": user.groups.map { group in user.supervises.contains(group) ? "\(group) (supervisor)" : group }.joined(separator: ", "),
                "memberships": groups.map { ["name": $0.name, "title": $0.title, "member": user.groups.contains($0.name), "supervisor": user.supervises.contains($0.name)] as [String: Any] },
            ]
        }
        do {
            values["incidents"] = try await AdminRoutes.incidents(environment).map { incident -> [String: Any] in
                guard case .object(let fields) = incident else { return [:] }
                return fields.mapValues { $0.displayText }
            }
        } catch {
            values["error"] = [error as? Gateway.Refusal].compactMap { $0?.message }.first ?? "The incidents cannot be listed now."
        }
        return render("admin", values, status: status)
    }
}
