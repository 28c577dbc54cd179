import Contracts
import Foundation
import Hummingbird
import NIOCore

/// The inbox page, its list alone (for the live redraw), and the live events.
extension Pages {
    func addInbox(to router: Router<BasicRequestContext>) {
        router.get("inbox") { request, _ in
            try await page(request) { employee, csrf, db in
                var parameters = request.uri.queryParameters.strings
                var values = base(employee, csrf: csrf, title: "Inbox", nav: "inbox")
                values["notice"] = parameters["done"].flatMap { Self.notices[$0] }
                var query = InboxQuery()
                do throws(InboxQuery.Invalid) {
                    query = try InboxQuery(parameters)
                } catch {
                    values["error"] = "The \(error.field) \(error.message): the whole inbox is shown."
                    parameters = [:]
                }
                // The session is the cookie's, which `page` has checked.
                let token = request.cookies[Gateway.cookieName]?.value ?? ""
                let tasks = query.isPlain
                    ? try await Inbox.plainList(token: token, query, on: db) ?? [] : try await Inbox.filteredList(for: employee, query, on: db)
                let counts = try await Inbox.counts(for: employee, on: db)
                values.merge(listValues(tasks, query: query, parameters: parameters, counts: counts)) { $1 }
                if parameters["part"] == "list" { return render("inbox-list", values) }
                values["live"] = true
                values["view"] = query.view.rawValue
                values["query"] = parameters
                values["views"] = [("all", "All", counts.all), ("mine", "Mine", counts.mine), ("unassigned", "Unclaimed", counts.unassigned)].map {
                    ["name": $0.0, "label": $0.1, "count": $0.2, "current": query.view.rawValue == $0.0, "href": link(parameters, ["view": $0.0, "after": nil])]
                        as [String: Any]
                }
                values["sorts"] = [("age", "Oldest first"), ("due", "Due soonest"), ("priority", "Highest priority")].map {
                    ["value": $0.0, "label": $0.1, "selected": query.sort.rawValue == $0.0] as [String: Any]
                }
                if let process = query.processId { values["processFilter"] = ["id": process, "clear": link(parameters, ["process": nil, "after": nil])] }
                return render("inbox", values)
            }
        }
        router.get("live") { request, _ in
            try await page(request) { employee, _, _ in
                let events = live.watch(Audience.principals(of: employee))
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                        for await event in events {
                            switch event {
                            case .changed: try await writer.write(ByteBuffer(string: "event: inbox\ndata: changed\n\n"))
                            case .keepAlive: try await writer.write(ByteBuffer(string: ": still here\n\n"))
                            }
                        }
                        try await writer.finish(nil)
                    })
            }
        }
    }

    func listValues(_ tasks: [Inbox.Task], query: InboxQuery, parameters: [String: String], counts: (all: Int, mine: Int, unassigned: Int)) -> [String: Any] {
        let now = Date()
        var values: [String: Any] = [
            "hasTasks": !tasks.isEmpty,
            "countsJSON": JSONValue.object(["all": .number(Double(counts.all)), "mine": .number(Double(counts.mine)), "unassigned": .number(Double(counts.unassigned))]).canonicalJSON,
            "tasks": tasks.map { task -> [String: Any] in
                var row: [String: Any] = [
                    "id": task.id, "name": task.name ?? task.elementId, "processName": task.processName ?? task.processId, "priority": task.priority,
                    "priorityBand": task.priority >= 75 ? 3 : task.priority >= 50 ? 2 : 1,
                    "candidates": (task.candidateGroups + task.candidateUsers).joined(separator: ", "),
                    "processLink": link(parameters, ["process": task.processId, "after": nil]),
                ]
                row["businessKey"] = task.businessKey
                row["assignee"] = task.assignee
                if let due = task.dueDate {
                    row["due"] = Self.shortTime(due)
                    row["overdue"] = (ISO8601DateFormatter().date(from: due).map { $0 < now }) ?? false
                }
                return row
            },
        ]
        if tasks.count == query.limit, let last = tasks.last {
            values["next"] = link(parameters, ["after": query.cursor(after: last).text, "part": nil])
        }
        return values
    }

    /// `/inbox` with the current parameters changed as given (nil removes one).
    func link(_ parameters: [String: String], _ changes: [String: String?]) -> String {
        var merged = parameters
        merged.removeValue(forKey: "part")
        merged.removeValue(forKey: "done")
        for (key, value) in changes { merged[key] = value }
        let query = Self.query(merged)
        return query.isEmpty ? "/inbox" : "/inbox?\(query)"
    }

    /// A query string of the parameters that have a value, in a stable order.
    static func query(_ parameters: [String: String]) -> String {
        let allowed = CharacterSet.alphanumerics.union(.init(charactersIn: "-_.~"))
        return parameters.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }

    /// `2026-12-03T09:00:00Z` → `2026-12-03 09:00`.
    static func shortTime(_ iso: String) -> String {
        String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
