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
                return try Gateway.json(Page(tasks: tasks, next: tasks.count == limit ? tasks.last.map { Cursor.encode($0.createdAt, $0.id) } : nil))
            }
        }
        api.get("tasks/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await Gateway.signedIn(request, context, environment) { employee, _, db in
                guard let task = try await Inbox.task(id, for: employee, on: db) else { return notFound }
                return try Gateway.json(task)
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
                (try await Inbox.assign(id, to: handover.assignee, by: employee, on: db), AnyContract(AssignTask(taskId: id, assignee: handover.assignee)))
            }
        }
        api.post("tasks/:id/complete") { request, context in
            let completion = try await Gateway.body(Completion.self, of: request, context)
            return try await change(request, context, environment) { employee, id, db in
                (try await Inbox.complete(id, by: employee, on: db), AnyContract(CompleteTask(taskId: id, variables: completion.variables ?? [:])))
            }
        }
    }

    struct Handover: Decodable { var assignee: String }
    struct Completion: Decodable { var variables: [String: JSONValue]? }

    struct Page: Encodable {
        var tasks: [Inbox.Task]
        var next: String?
    }

    static var notFound: Response { Gateway.problem(.notFound, "no such task") }

    /// One change to a task: the rule and the row in the query, the command to the orchestrator
    /// in the outbox, both in one transaction.
    static func change(
        _ request: Request, _ context: some RequestContext, _ environment: ServiceEnvironment,
        _ apply: @escaping (Employee, String, PostgresConnection) async throws -> (Inbox.Outcome, AnyContract)
    ) async throws -> Response {
        let id = try context.parameters.require("id")
        return try await Gateway.signedIn(request, context, environment) { employee, _, db in
            try await db.transaction { db in
                let (outcome, command) = try await apply(employee, id, db)
                switch outcome {
                case .done(let task):
                    try await Outbox.insert([try command.outgoing(actor: "user:\(employee.username)")], on: db)
                    return try Gateway.json(task)
                case .conflict(let reason): return Gateway.problem(.conflict, reason)
                case .notFound: return notFound
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
