import Contracts
import Foundation
import Hummingbird
import Messaging
import Postgres
import ServiceKit

/// `/api/tasks`: the inbox, one task, and claim, unclaim, complete and hand over. A change is
/// made in the cartable's table and sent to the orchestrator through the outbox in one
/// transaction; the orchestrator's events confirm it.
enum TaskRoutes {
    static func add(to api: RouterGroup<some RequestContext>, environment: ServiceEnvironment) {
        api.get("tasks") { request, context in
            let query: InboxQuery
            do throws(InboxQuery.Invalid) {
                query = try InboxQuery(request.uri.queryParameters.strings)
            } catch { return Gateway.problem(.unprocessableContent, "\(error.field) \(error.message)", field: error.field) }
            // The listing every inbox opens with: session and page in one statement.
            if query.isPlain, let (token, _) = Gateway.token(of: request) {
                guard let tasks = try await environment.database.withConnection({ db in try await Inbox.plainList(token: token, query, on: db) }) else {
                    return Gateway.problem(.unauthorized, "the session has ended: sign in again")
                }
                return page(tasks, query)
            }
            return try await Gateway.signedIn(request, context, environment) { employee, _, db in
                page(try await Inbox.filteredList(for: employee, query, on: db), query)
            }
        }
        api.get("tasks/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await Gateway.signedIn(request, context, environment) { employee, _, db in
                guard let (task, form) = try await Inbox.taskWithForm(id, for: employee, on: db) else { return notFound }
                guard case .object(var json) = task.json else { return notFound }
                json["form"] = form?.json ?? .null
                return Gateway.raw(.ok, JSONValue.object(json).canonicalJSON)
            }
        }
        api.post("tasks/:id/claim") { request, context in
            try await change(request, context, environment) { employee, id, db in try await TaskActions.claim(id, by: employee, on: db) }
        }
        api.post("tasks/:id/unclaim") { request, context in
            try await change(request, context, environment) { employee, id, db in try await TaskActions.unclaim(id, by: employee, on: db) }
        }
        api.post("tasks/:id/assign") { request, context in
            let handover = try await Gateway.body(Handover.self, of: request, context)
            return try await change(request, context, environment) { employee, id, db in
                try await TaskActions.assign(id, to: handover.assignee, note: handover.note, by: employee, on: db)
            }
        }
        // An instance's audit trail: asked of the orchestrator, which keeps it.
        api.get("instances/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await Gateway.signedIn(request, context, environment) { employee, _, db in
                guard let instance = UUID(text: id), try await Inbox.mayFollow(instance, employee, on: db) else {
                    return Gateway.problem(.notFound, "no such process instance")
                }
                do {
                    return try Gateway.json(try await environment.requests.ask(GetInstance(instanceId: id.lowercased()), timeout: .seconds(5)))
                } catch {
                    return Gateway.problem(.serviceUnavailable, "the orchestrator did not answer: \(error)")
                }
            }
        }
        api.get("tasks/:id/comments") { request, context in
            let id = try context.parameters.require("id")
            return try await Gateway.signedIn(request, context, environment) { employee, _, db in
                guard try await Inbox.task(id, for: employee, on: db) != nil else { return notFound }
                return try Gateway.json(["comments": try await Comments.of(id, on: db)])
            }
        }
        api.post("tasks/:id/comments") { request, context in
            let comment = try await Gateway.body(NewComment.self, of: request, context)
            guard (1...4000).contains(comment.text.count) else { throw Gateway.Refusal(status: .unprocessableContent, message: "must be 1 to 4000 characters", field: "text") }
            return try await change(request, context, environment) { employee, id, db in
                try await TaskActions.comment(id, comment.text, by: employee, on: db)
            }
        }
        api.post("tasks/:id/complete") { request, context in
            let completion = try await Gateway.body(Completion.self, of: request, context)
            return try await change(request, context, environment) { employee, id, db in
                try await TaskActions.complete(id, with: completion.variables ?? [:], by: employee, on: db)
            }
        }
    }

    /// A page of tasks, written straight into bytes.
    static func page(_ tasks: [Inbox.Task], _ query: InboxQuery) -> Response {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(600 * tasks.count + 64)
        bytes.append(contentsOf: #"{"next":"#.utf8)
        if tasks.count == query.limit, let last = tasks.last {
            JSONValue.write(query.cursor(after: last).text, to: &bytes)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
        bytes.append(contentsOf: #","tasks":["#.utf8)
        for (index, task) in tasks.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            task.write(to: &bytes)
        }
        bytes.append(contentsOf: "]}".utf8)
        return Gateway.raw(.ok, bytes)
    }

    struct Handover: Decodable {
        var assignee: String
        /// What the next expert should know: kept as a comment of the task.
        var note: String?
    }
    struct NewComment: Decodable { var text: String }
    struct Completion: Decodable { var variables: [String: JSONValue]? }

    static var notFound: Response { Gateway.problem(.notFound, "no such task") }

    /// One change to a task: the rule and the row in the query, the command to the orchestrator
    /// in the outbox, both in one transaction, under the request's `Idempotency-Key`.
    static func change(
        _ request: Request, _ context: some RequestContext, _ environment: ServiceEnvironment,
        _ apply: @escaping (Employee, String, PostgresConnection) async throws -> (Inbox.Outcome, AnyContract?)
    ) async throws -> Response {
        let id = try context.parameters.require("id")
        return try await Gateway.signedIn(request, context, environment) { employee, _, db in
            try await db.transaction { db in
                try await Idempotency.run(request, for: employee.username, on: db) {
                    let (outcome, command) = try await apply(employee, id, db)
                    try await TaskActions.send(command, after: outcome, by: employee, on: db)
                    switch outcome {
                    case .done(let task): return (.ok, task.json.canonicalJSON)
                    case .conflict(let reason): return (.conflict, Gateway.problemBody(reason))
                    case .notFound: return (.notFound, Gateway.problemBody("no such task"))
                    case .invalid(let problems): return (.unprocessableContent, Gateway.problemBody(problems))
                    }
                }
            }
        }
    }
}
