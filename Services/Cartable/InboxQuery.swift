import Foundation

/// What an inbox listing asks for: a view, filters, a sort and where the page starts. Parsed
/// from the query string of `/api/tasks` and of the inbox page, so both refuse the same input
/// with the same words.
struct InboxQuery {
    var view = Inbox.View.all
    var processId: String?
    var elementId: String?
    var dueBefore: String?
    var minimumPriority: Int?
    var text: String?
    var sort = Sort.age
    var limit = 50
    var after: Cursor?

    enum Sort: String, CaseIterable {
        /// Oldest first.
        case age
        /// Soonest due first; tasks without a due date last.
        case due
        /// Highest priority first.
        case priority
    }

    /// The page's end: the sort, the last task's sort value and id.
    struct Cursor {
        var sort: Sort
        var value: String
        var id: String

        var text: String { Data("\(sort.rawValue)|\(value)|\(id)".utf8).base64EncodedString() }

        init(sort: Sort, value: String, id: String) { (self.sort, self.value, self.id) = (sort, value, id) }

        init?(_ text: String) {
            guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8) else { return nil }
            let parts = decoded.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let sort = Sort(rawValue: parts[0]), !parts[2].isEmpty else { return nil }
            (self.sort, value, id) = (sort, parts[1], parts[2])
        }
    }

    struct Invalid: Error {
        let field: String
        let message: String
    }

    init() {}

    init(_ parameters: [String: String]) throws(Invalid) {
        func text(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let view = text("view") {
            guard let parsed = Inbox.View(rawValue: view) else { throw Invalid(field: "view", message: "must be all, mine or unassigned") }
            self.view = parsed
        }
        if let sort = text("sort") {
            guard let parsed = Sort(rawValue: sort) else { throw Invalid(field: "sort", message: "must be age, due or priority") }
            self.sort = parsed
        }
        if let limit = text("limit") {
            guard let parsed = Int(limit), (1...200).contains(parsed) else { throw Invalid(field: "limit", message: "must be 1 to 200") }
            self.limit = parsed
        }
        processId = text("process")
        elementId = text("step")
        if let due = text("dueBefore") {
            guard due.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?/) != nil else { throw Invalid(field: "dueBefore", message: "must be a date (2026-12-01) or a time (2026-12-01T09:00:00Z)") }
            dueBefore = due
        }
        if let priority = text("priority") {
            guard let parsed = Int(priority), (0...100).contains(parsed) else { throw Invalid(field: "priority", message: "must be 0 to 100 (the least priority to list)") }
            minimumPriority = parsed
        }
        if let search = text("q") {
            guard search.count <= 100 else { throw Invalid(field: "q", message: "must be at most 100 characters") }
            self.text = search
        }
        if let after = text("after") {
            guard let cursor = Cursor(after), cursor.sort == sort else { throw Invalid(field: "after", message: "is not a cursor this listing gave") }
            self.after = cursor
        }
    }

    /// Whether only the view and the page are asked for: the listing every inbox opens with,
    /// read from `task_audience`.
    var isPlain: Bool { processId == nil && elementId == nil && dueBefore == nil && minimumPriority == nil && text == nil && sort == .age }

    /// The cursor after `task`.
    func cursor(after task: Inbox.Task) -> Cursor {
        switch sort {
        case .age: Cursor(sort: .age, value: task.createdAt, id: task.id)
        case .due: Cursor(sort: .due, value: task.dueDate ?? "", id: task.id)
        case .priority: Cursor(sort: .priority, value: String(task.priority), id: task.id)
        }
    }
}

extension Collection where Element == (key: Substring, value: Substring) {
    /// Query parameters as text; of a name given twice, the last.
    var strings: [String: String] {
        var all: [String: String] = [:]
        for (key, value) in self { all[String(key)] = String(value) }
        return all
    }
}
