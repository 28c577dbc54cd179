import Contracts
import Foundation
import Hummingbird
import Messaging
import Postgres
import ServiceKit

/// `/api/admin`: users, groups and incidents, for members of the `administrator` group only;
/// anyone else is answered 404, as for a page that does not exist.
enum AdminRoutes {
    static func add(to api: RouterGroup<some RequestContext>, environment: ServiceEnvironment) {
        api.get("admin/users") { request, context in
            try await asAdministrator(request, context, environment) { _, db in try Gateway.json(["users": try await Administration.users(on: db)]) }
        }
        api.post("admin/users") { request, context in
            let change = try await Gateway.body(Administration.UserChange.self, of: request, context)
            return try await asAdministrator(request, context, environment) { employee, db in
                answer(try await Administration.addUser(change, by: employee.username, on: db), created: true)
            }
        }
        api.post("admin/users/:id") { request, context in
            let username = try context.parameters.require("id")
            let change = try await Gateway.body(Administration.UserChange.self, of: request, context)
            return try await asAdministrator(request, context, environment) { employee, db in
                answer(try await Administration.changeUser(username, change, by: employee.username, on: db), created: false)
            }
        }
        api.get("admin/groups") { request, context in
            try await asAdministrator(request, context, environment) { _, db in try Gateway.json(["groups": try await Administration.groups(on: db)]) }
        }
        api.post("admin/groups") { request, context in
            let group = try await Gateway.body(Administration.NewGroup.self, of: request, context)
            return try await asAdministrator(request, context, environment) { _, db in answer(try await Administration.create(group, on: db), created: true) }
        }
        api.get("admin/incidents") { request, context in
            try await asAdministrator(request, context, environment) { _, _ in
                Gateway.raw(.ok, JSONValue.object(["incidents": .array(try await incidents(environment))]).canonicalJSON)
            }
        }
        api.post("admin/incidents/:id/resolve") { request, context in
            let id = try context.parameters.require("id")
            let resolution = try await Gateway.body(Resolution.self, of: request, context)
            if let retries = resolution.retries, !(1...100).contains(retries) {
                throw Gateway.Refusal(status: .unprocessableContent, message: "must be 1 to 100", field: "retries")
            }
            return try await asAdministrator(request, context, environment) { employee, db in
                try await db.transaction { db in
                    try await Idempotency.run(request, for: employee.username, on: db) {
                        try await Outbox.insert(
                            [try .contract(ResolveIncident(incidentId: id, retries: resolution.retries), actor: "user:\(employee.username)")], on: db)
                        return (.accepted, JSONValue.object(["incidentId": .string(id)]).canonicalJSON)
                    }
                }
            }
        }
    }

    struct Resolution: Decodable { var retries: Int? }

    static func asAdministrator(
        _ request: Request, _ context: some RequestContext, _ environment: ServiceEnvironment,
        _ body: @escaping (Employee, PostgresConnection) async throws -> Response
    ) async throws -> Response {
        try await Gateway.signedIn(request, context, environment) { employee, _, db in
            guard employee.isAdministrator else { return Gateway.problem(.notFound, "no such page") }
            return try await body(employee, db)
        }
    }

    static func answer(_ outcome: Administration.Outcome, created: Bool) -> Response {
        switch outcome {
        case .done: return Response(status: created ? .created : .noContent)
        case .notFound: return Gateway.problem(.notFound, "no such user")
        case .conflict(let reason): return Gateway.problem(.conflict, reason)
        case .invalid(let field, let reason): return Gateway.problem(.unprocessableContent, "\(field) \(reason)", field: field)
        }
    }

    /// The open incidents, newest instance first: the instances with one, asked of the
    /// orchestrator with each one's incidents.
    static func incidents(_ environment: ServiceEnvironment) async throws -> [JSONValue] {
        do {
            let found = try await environment.requests.ask(FindInstances(businessKey: nil, processId: nil, status: "incident", limit: 100))
            var incidents: [JSONValue] = []
            for summary in found.instances {
                let details = try await environment.requests.ask(GetInstance(instanceId: summary.instanceId))
                for incident in details.incidents {
                    incidents.append(.object([
                        "incidentId": .string(incident.incidentId), "instanceId": .string(summary.instanceId), "processId": .string(summary.processId),
                        "businessKey": summary.businessKey.map(JSONValue.string) ?? .null, "elementId": .string(incident.elementId),
                        "message": .string(incident.message), "startedAt": .string(summary.startedAt),
                    ]))
                }
            }
            return incidents
        } catch {
            throw Gateway.Refusal(status: .serviceUnavailable, message: "the orchestrator did not answer: \(error)", field: nil)
        }
    }
}

extension Employee {
    var isAdministrator: Bool { groups.contains(Administration.group) }
}
