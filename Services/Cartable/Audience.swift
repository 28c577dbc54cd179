import Postgres

/// Keeps `task_audience` in step with a task: called in the transaction of every change to
/// its assignee, candidates or status. It also tells open inboxes of those the task concerned
/// before and after (`LiveInbox`), once the transaction commits.
enum Audience {
    static func refresh(_ task: String, on db: PostgresConnection) async throws {
        var concerned = Set(try await db.query("DELETE FROM task_audience WHERE task_id = $1 RETURNING principal", [task]).map { try $0.decode(String.self, 0) })
        concerned.formUnion(try await db.query(
            """
            INSERT INTO task_audience (principal, created_at, task_id, assigned)
            SELECT DISTINCT p, t.created_at, t.id, t.assignee IS NOT NULL FROM tasks t,
                unnest(CASE WHEN t.assignee IS NULL THEN '{}'::text[] ELSE ARRAY['assignee:' || t.assignee] END
                    || ARRAY(SELECT 'user:' || u FROM unnest(t.candidate_users) u)
                    || ARRAY(SELECT 'group:' || g FROM unnest(t.candidate_groups) g)) AS p
            WHERE t.id = $1 AND t.status IN ('open', 'completing')
            RETURNING principal
            """, [task]).map { try $0.decode(String.self, 0) })
        // A notification holds at most 8000 bytes; past that, every open inbox looks again.
        var payload = concerned.sorted().joined(separator: " ")
        if payload.utf8.count > 7000 { payload = LiveInbox.everyone }
        if !payload.isEmpty { try await db.query("SELECT pg_notify($1, $2)", [LiveInbox.channel, payload]) }
    }

    /// Every principal an employee answers to: as assignee, as a candidate user, by group.
    static func principals(of employee: Employee) -> [String] {
        ["assignee:\(employee.username)", "user:\(employee.username)"] + employee.groups.map { "group:\($0)" }
    }
}
