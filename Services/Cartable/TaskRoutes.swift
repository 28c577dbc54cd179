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
            try await Gateway.signedIn(request, context, environment) { employee, _, db in
                let query = request.uri.queryParameters
                guard let view = Inbox.View(rawValue: query["view"].map(String.init) ?? "all") else {
                    return Gateway.problem(.unprocessableContent, "view must be all, mine or unassigned", field: "view")
                }
                let limit = query["limit"].flatMap { Int(String($0)) } ?? 50
                guard (1...200).contains(limit) else { return Gateway.problem(.unprocessableContent, "limit must be 1 to 200", field: "limit") }
                var after: (String, String)?
                if let cursor = query["after"].map(String.init) {
                    guard let (createdAt, id) = Cursor.decode(cursor) else {
                        return Gateway.problem(.unprocessableContent, "after is not a cursor this API gave", field: "after")
                    }
                    after = (createdAt, id)
                }
                let tasks = try await Inbox.list(for: employee, view: view, limit: limit, after: after, on: db)
                let next = tasks.count == limit ? tasks.last.map { JSONValue.string(Cursor.encode($0.createdAt, $0.id)) } : nil
                return Gateway.raw(.ok, JSONValue.object(["tasks": .array(tasks.map(\.json)), "next": next ?? .null]).canonicalJSON)
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
            try await change(request, context, environment) { employee, id, db in
                (try await Inbox.claim(id, by: employee, on: db), AnyContract(AssignTask(taskId: id, assignee: employee.username)))
            }
        }
        api.post("tasks/:id/unclaim") { request, context in
            try await change(request, context, environment) { employee, id, db in
                (try await Inbox.unclaim(id, by: employee, on: db), AnyContract(AssignTask(taskId: id, assignee: nil)))
            }
        }
        api.post("tasks/:id/assign") { request, context in
            let handover = try await Gateway.body(Handover.self, of: request, context)
            return try await change(request, context, environment) { employee, id, db in
                let outcome = try await Inbox.assign(id, to: handover.assignee, by: employee, on: db)
                if case .done = outcome, let note = handover.note { try await Comments.add(note, to: id, by: employee, on: db) }
                return (outcome, AnyContract(AssignTask(taskId: id, assignee: handover.assignee)))
            }
        }
        // An instance's audit trail: asked of the orchestrator, which keeps it.
        api.get("instances/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await Gateway.signedIn(request, context, environment) { employee, _, db in
                guard let instance = UUID(uuidString: id), try await Inbox.mayFollow(instance, employee, on: db) else {
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
                guard let task = try await Inbox.task(id, for: employee, on: db) else { return (.notFound, nil) }
                try await Comments.add(comment.text, to: id, by: employee, on: db)
                return (.done(task), nil)
            }
        }
        api.post("tasks/:id/complete") { request, context in
            let completion = try await Gateway.body(Completion.self, of: request, context)
            return try await change(request, context, environment) { employee, id, db in
                guard let (task, form) = try await Inbox.taskWithForm(id, for: employee, on: db) else { return (.notFound, nil) }
                switch Inbox.checked(completion.variables ?? [:], against: form, of: task) {
                case .failure(let problems): return (.invalid(problems), nil)
                case .success(let variables):
                    return (try await Inbox.complete(id, by: employee, on: db), AnyContract(CompleteTask(taskId: id, variables: variables)))
                }
            }
        }
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
                    switch outcome {
                    case .done(let task):
                        if let command {
                            let message = try command.outgoing(actor: "user:\(employee.username)")
                            try await Outbox.insert([message], on: db)
                            if message.envelope.type == AssignTask.type {
                                try await db.query("INSERT INTO sent_commands (message_id) VALUES ($1)", [message.envelope.messageId])
                            }
                        }
                        return (.ok, task.json.canonicalJSON)
                    case .conflict(let reason): return (.conflict, Gateway.problemBody(reason))
                    case .notFound: return (.notFound, Gateway.problemBody("no such task"))
                    case .invalid(let problems): return (.unprocessableContent, Gateway.problemBody(problems))
                    }
                }
            }
        }
    }
}

/// A command to send, whatever its contract.
struct AnyContract {
    let outgoing: (String) throws -> OutgoingMessage
    init<M: MessageContract>(_ message: M) { outgoing = { actor in try .contract(message, actor: actor) } }
    func outgoing(actor: String) throws -> OutgoingMessage { try outgoing(actor) }
}

/// A page's end: the `createdAt` and id of its last task, as one opaque text.
enum Cursor {
    static func encode(_ createdAt: String, _ id: String) -> String { Data("\(createdAt)|\(id)".utf8).base64EncodedString() }
    static func decode(_ text: String) -> (String, String)? {
        guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8), let bar = decoded.firstIndex(of: "|") else {
            return nil
        }
        return (String(decoded[..<bar]), String(decoded[decoded.index(after: bar)...]))
    }
}
