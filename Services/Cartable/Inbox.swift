import Contracts
import Forms
import Foundation
import Postgres

/// The tasks an employee may see and what they may do with them. Every rule is part of the
/// query that reads or changes the task, so there is no moment between checking and acting.
enum Inbox {
    /// `$1` the employee's username, `$2` their groups: the assignee, a candidate user, in a
    /// candidate group, or the one who ended it. For one task; lists read `task_audience`.
    static let visible = "(t.assignee = $1 OR t.candidate_users @> ARRAY[$1]::text[] OR t.candidate_groups && $2::text[] OR t.ended_by = $1)"

    static let columns = """
        t.id, t.instance_id::text, t.process_id, t.process_name, t.version, t.element_id, t.name, t.business_key, t.assignee,
        t.candidate_users, t.candidate_groups,
        to_char(t.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), to_char(t.follow_up_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        t.priority, t.form_key, t.variables::text, t.status, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        """

    struct Task {
        /// The task as JSON, for one task.
        var json: JSONValue {
            func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
            return .object([
                "id": .string(id), "instanceId": .string(instanceId), "processId": .string(processId), "processName": text(processName),
                "version": .number(Double(version)), "elementId": .string(elementId), "name": text(name), "businessKey": text(businessKey),
                "assignee": text(assignee), "candidateUsers": .array(candidateUsers.map(JSONValue.string)),
                "candidateGroups": .array(candidateGroups.map(JSONValue.string)), "dueDate": text(dueDate), "followUpDate": text(followUpDate),
                "priority": .number(Double(priority)), "formKey": text(formKey), "variables": variables, "status": .string(status),
                "createdAt": .string(createdAt),
            ])
        }

        /// The same object written straight into `bytes`, keys in the same sorted order, the
        /// variables as the database gave them: a page of fifty built as values first took
        /// longer than finding them.
        func write(to bytes: inout [UInt8]) {
            var first = true
            func key(_ name: StaticString) {
                bytes.append(UInt8(ascii: first ? "{" : ","))
                first = false
                bytes.append(UInt8(ascii: "\""))
                bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
                bytes.append(contentsOf: "\":".utf8)
            }
            func text(_ value: String?) {
                if let value { JSONValue.write(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
            }
            func texts(_ values: [String]) {
                bytes.append(UInt8(ascii: "["))
                for (index, value) in values.enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    JSONValue.write(value, to: &bytes)
                }
                bytes.append(UInt8(ascii: "]"))
            }
            key("assignee"); text(assignee)
            key("businessKey"); text(businessKey)
            key("candidateGroups"); texts(candidateGroups)
            key("candidateUsers"); texts(candidateUsers)
            key("createdAt"); text(createdAt)
            key("dueDate"); text(dueDate)
            key("elementId"); text(elementId)
            key("followUpDate"); text(followUpDate)
            key("formKey"); text(formKey)
            key("id"); text(id)
            key("instanceId"); text(instanceId)
            key("name"); text(name)
            key("priority"); bytes.append(contentsOf: String(priority).utf8)
            key("processId"); text(processId)
            key("processName"); text(processName)
            key("status"); text(status)
            key("variables"); bytes.append(contentsOf: variablesText.utf8)
            key("version"); bytes.append(contentsOf: String(version).utf8)
            bytes.append(UInt8(ascii: "}"))
        }

        /// The variables, read from their text when asked for.
        var variables: JSONValue { (try? JSONValue.parse(Array(variablesText.utf8))) ?? .object([:]) }

        /// The variables as an object's entries.
        var variableEntries: [String: JSONValue] {
            if case .object(let entries) = variables { return entries }
            return [:]
        }

        var id: String
        var instanceId: String
        var processId: String
        var processName: String?
        var version: Int
        var elementId: String
        var name: String?
        var businessKey: String?
        var assignee: String?
        var candidateUsers: [String]
        var candidateGroups: [String]
        var dueDate: String?
        var followUpDate: String?
        var priority: Int
        var formKey: String?
        /// As PostgreSQL wrote the jsonb: valid JSON, passed on as it is.
        var variablesText: String
        var status: String
        var createdAt: String

        init(_ row: PostgresRow) throws {
            id = try row.decode(String.self, 0)
            instanceId = try row.decode(String.self, 1)
            processId = try row.decode(String.self, 2)
            processName = try row.decode(String?.self, 3)
            version = try row.decode(Int.self, 4)
            elementId = try row.decode(String.self, 5)
            name = try row.decode(String?.self, 6)
            businessKey = try row.decode(String?.self, 7)
            assignee = try row.decode(String?.self, 8)
            candidateUsers = try row.decode([String].self, 9)
            candidateGroups = try row.decode([String].self, 10)
            dueDate = try row.decode(String?.self, 11)
            followUpDate = try row.decode(String?.self, 12)
            priority = try row.decode(Int.self, 13)
            formKey = try row.decode(String?.self, 14)
            variablesText = try row.decode(String.self, 15)
            status = try row.decode(String.self, 16)
            createdAt = try row.decode(String.self, 17)
        }
    }

    enum View: String { case all, mine, unassigned }

    /// The listing every inbox opens with, for the session of `token`, in one statement: the
    /// session's check and the page together (two round trips were a third of a request's
    /// time). Nil when the session has ended.
    static func plainList(token: String, _ query: InboxQuery, on db: PostgresConnection) async throws -> [Task]? {
        precondition(query.isPlain)
        let (assigned, candidate, unassignedOnly) =
            switch query.view {
            case .all: (true, true, false)
            case .mine: (true, false, false)
            case .unassigned: (false, true, true)
            }
        let rows = try await db.query(
            """
            WITH me AS (
                SELECT s.username, coalesce(array_agg(m.group_name) FILTER (WHERE m.group_name IS NOT NULL), '{}') AS groups
                \(Sessions.liveSession)),
            principals AS (
                SELECT unnest(CASE WHEN $5 THEN ARRAY['assignee:' || me.username] ELSE '{}' END
                    || CASE WHEN $6 THEN ARRAY['user:' || me.username] || ARRAY(SELECT 'group:' || g FROM unnest(me.groups) g) ELSE '{}' END) AS p
                FROM me),
            page AS (
                SELECT r.task_id, r.created_at FROM principals, LATERAL (
                    SELECT a.task_id, a.created_at FROM task_audience a
                    WHERE a.principal = principals.p AND (NOT $7 OR NOT a.assigned)
                      AND ($3::timestamptz IS NULL OR (a.created_at, a.task_id) > ($3::timestamptz, $4::text))
                    ORDER BY a.created_at, a.task_id LIMIT $2) r
                GROUP BY r.task_id, r.created_at ORDER BY r.created_at, r.task_id LIMIT $2)
            SELECT \(columns), me.username FROM me LEFT JOIN (page JOIN tasks t ON t.id = page.task_id) ON true
            ORDER BY page.created_at, page.task_id
            """, [token, query.limit, query.after?.value, query.after?.id, assigned, candidate, unassignedOnly])
        guard !rows.isEmpty else { return nil }
        // One row with no task when the page is empty.
        return try rows.filter { try $0.decode(String?.self, 0) != nil }.map(Task.init)
    }

    /// With filters or another sort: the open tasks table, the view's rule in the query.
    static func filteredList(for employee: Employee, _ query: InboxQuery, on db: PostgresConnection) async throws -> [Task] {
        let (sortKey, cursorKey): (String, String)
        switch query.sort {
        case .age: (sortKey, cursorKey) = ("t.created_at", "$10::timestamptz")
        case .due: (sortKey, cursorKey) = ("coalesce(t.due_at, 'infinity'::timestamptz)", "coalesce(nullif($10, '')::timestamptz, 'infinity'::timestamptz)")
        case .priority: (sortKey, cursorKey) = ("(-t.priority)", "(-($10::int))")
        }
        let rows = try await db.query(
            """
            SELECT \(columns) FROM tasks t
            WHERE t.status IN ('open', 'completing') AND \(rule(query.view))
              AND ($4::text IS NULL OR t.process_id = $4) AND ($5::text IS NULL OR t.element_id = $5)
              AND ($6::timestamptz IS NULL OR t.due_at < $6::timestamptz) AND ($7::int IS NULL OR t.priority >= $7)
              AND ($8::text IS NULL OR strpos(lower(coalesce(t.name, '') || ' ' || coalesce(t.business_key, '') || ' ' || coalesce(t.process_name, '')), lower($8)) > 0)
              AND ($9::text IS NULL OR (\(sortKey), t.id) > (\(cursorKey), $9::text))
            ORDER BY \(sortKey), t.id LIMIT $3
            """,
            [employee.username, employee.groups, query.limit, query.processId, query.elementId, query.dueBefore, query.minimumPriority, query.text,
                query.after?.id, query.after?.value])
        return try rows.map(Task.init)
    }

    /// The rule of a view over `tasks t`: `$1` the username, `$2` the groups.
    private static func rule(_ view: View) -> String {
        switch view {
        case .all: "(t.assignee = $1 OR t.candidate_users @> ARRAY[$1]::text[] OR t.candidate_groups && $2::text[])"
        case .mine: "t.assignee = $1"
        case .unassigned: "(t.assignee IS NULL AND (t.candidate_users @> ARRAY[$1]::text[] OR t.candidate_groups && $2::text[]))"
        }
    }

    /// How many open tasks each view holds, for the inbox's tabs.
    static func counts(for employee: Employee, on db: PostgresConnection) async throws -> (all: Int, mine: Int, unassigned: Int) {
        let row = try await db.query(
            """
            SELECT count(*)::int, (count(*) FILTER (WHERE t.assignee = $1))::int, (count(*) FILTER (WHERE t.assignee IS NULL))::int FROM tasks t
            WHERE t.status IN ('open', 'completing') AND \(rule(.all))
            """, [employee.username, employee.groups])[0]
        return (try row.decode(Int.self, 0), try row.decode(Int.self, 1), try row.decode(Int.self, 2))
    }

    /// Whether the employee may follow an instance: they started it, may see one of its tasks,
    /// or are an administrator.
    static func mayFollow(_ instance: UUID, _ employee: Employee, on db: PostgresConnection) async throws -> Bool {
        if employee.isAdministrator { return true }
        return try await !db.query(
            """
            SELECT 1 FROM started_instances WHERE instance_id = $3 AND username = $1
            UNION ALL (SELECT 1 FROM tasks t WHERE t.instance_id = $3 AND \(visible) LIMIT 1)
            """, [employee.username, employee.groups, instance]
        ).isEmpty
    }

    static func task(_ id: String, for employee: Employee, on db: PostgresConnection) async throws -> Task? {
        try await db.query("SELECT \(columns) FROM tasks t WHERE t.id = $3 AND \(visible)", [employee.username, employee.groups, id])
            .first.map(Task.init)
    }

    private static func changed(_ row: PostgresRow, on db: PostgresConnection) async throws -> Outcome {
        let task = try Task(row)
        try await Audience.refresh(task.id, on: db)
        return .done(task)
    }

    enum Outcome {
        case done(Task)
        /// The employee may see the task but not do this now (taken, not theirs, ended).
        case conflict(String)
        /// Not a task the employee may see: the same answer as for one that does not exist.
        case notFound
        /// What was sent does not fit the task's form.
        case invalid(Form.Problems)
    }

    /// A task the employee may see with its form, if it has one.
    static func taskWithForm(_ id: String, for employee: Employee, on db: PostgresConnection) async throws -> (Task, Form?)? {
        let rows = try await db.query(
            "SELECT \(columns), t.form::text FROM tasks t WHERE t.id = $3 AND \(visible)", [employee.username, employee.groups, id])
        guard let row = rows.first else { return nil }
        let form = try row.decode(String?.self, 18).map { try Form(text: $0) }
        return (try Task(row), form)
    }

    /// What `variables` become once checked against the task's form: the form's values, or
    /// every field that is wrong. A task without a form takes its variables as they are.
    static func checked(_ variables: [String: JSONValue], against form: Form?, of task: Task) -> Result<[String: JSONValue], Form.Problems> {
        guard let form else { return .success(variables) }
        return form.validate(variables, variables: task.variableEntries)
    }

    /// Claims an open, unassigned task the employee is a candidate for; of two at once, one wins.
    static func claim(_ id: String, by employee: Employee, on db: PostgresConnection) async throws -> Outcome {
        let rows = try await db.query(
            """
            UPDATE tasks t SET assignee = $1
            WHERE t.id = $3 AND t.status = 'open' AND t.assignee IS NULL
              AND (t.candidate_users @> ARRAY[$1]::text[] OR t.candidate_groups && $2::text[])
            RETURNING \(columns)
            """, [employee.username, employee.groups, id])
        if let row = rows.first { return try await changed(row, on: db) }
        guard let task = try await task(id, for: employee, on: db) else { return .notFound }
        if task.status != "open" { return .conflict("the task is \(task.status)") }
        if let assignee = task.assignee { return .conflict(assignee == employee.username ? "you have the task already" : "the task is claimed by \(assignee)") }
        return .conflict("the task cannot be claimed")
    }

    /// Gives the employee's own open task back to its candidates.
    static func unclaim(_ id: String, by employee: Employee, on db: PostgresConnection) async throws -> Outcome {
        let rows = try await db.query(
            "UPDATE tasks t SET assignee = NULL WHERE t.id = $2 AND t.status = 'open' AND t.assignee = $1 RETURNING \(columns)",
            [employee.username, id])
        if let row = rows.first { return try await changed(row, on: db) }
        guard let task = try await task(id, for: employee, on: db) else { return .notFound }
        return .conflict(task.status != "open" ? "the task is \(task.status)" : "the task is not yours")
    }

    /// Marks the employee's own open task as being completed; the orchestrator confirms it.
    static func complete(_ id: String, by employee: Employee, on db: PostgresConnection) async throws -> Outcome {
        let rows = try await db.query(
            """
            UPDATE tasks t SET status = 'completing' WHERE t.id = $2 AND t.status = 'open' AND t.assignee = $1 RETURNING \(columns)
            """, [employee.username, id])
        if let row = rows.first { return try await changed(row, on: db) }
        guard let task = try await task(id, for: employee, on: db) else { return .notFound }
        if task.status != "open" { return .conflict("the task is \(task.status)") }
        return .conflict(task.assignee == nil ? "claim the task before completing it" : "the task is claimed by \(task.assignee!)")
    }

    /// Hands an open task to another employee who may take it (a candidate user, or in a
    /// candidate group): by its assignee, or by a supervisor of one of its groups.
    static func assign(_ id: String, to assignee: String, by employee: Employee, on db: PostgresConnection) async throws -> Outcome {
        let rows = try await db.query(
            """
            UPDATE tasks t SET assignee = $3
            WHERE t.id = $2 AND t.status = 'open' AND (t.assignee = $1 OR t.candidate_groups && $4::text[])
              AND EXISTS (SELECT 1 FROM users u WHERE u.username = $3 AND u.active AND (t.candidate_users @> ARRAY[$3]::text[]
                  OR EXISTS (SELECT 1 FROM memberships m WHERE m.username = $3 AND m.group_name = ANY (t.candidate_groups))))
            RETURNING \(columns)
            """, [employee.username, id, assignee, employee.supervises])
        if let row = rows.first { return try await changed(row, on: db) }
        guard let task = try await task(id, for: employee, on: db) else { return .notFound }
        if task.status != "open" { return .conflict("the task is \(task.status)") }
        if task.assignee != employee.username, Set(task.candidateGroups).isDisjoint(with: employee.supervises) {
            return .conflict("only the task's assignee or a supervisor of its groups may hand it over")
        }
        return .conflict("\(assignee) may not take this task")
    }
}
