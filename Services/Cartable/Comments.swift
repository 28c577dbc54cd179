import Foundation
import Postgres

/// Comments on a task, oldest first: who wrote what, when.
enum Comments {
    struct Comment: Encodable {
        var author: String
        var text: String
        var at: String
    }

    static func add(_ text: String, to task: String, by employee: Employee, on db: PostgresConnection) async throws {
        try await db.query("INSERT INTO task_comments (task_id, author, text) VALUES ($1, $2, $3)", [task, employee.username, text])
    }

    static func of(_ task: String, on db: PostgresConnection) async throws -> [Comment] {
        try await db.query(
            """
            SELECT author, text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM task_comments
            WHERE task_id = $1 ORDER BY seq
            """, [task]
        ).map { Comment(author: try $0.decode(String.self, 0), text: try $0.decode(String.self, 1), at: try $0.decode(String.self, 2)) }
    }
}
