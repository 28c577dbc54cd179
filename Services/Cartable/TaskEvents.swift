import Contracts
import Forms
import Foundation
import Messaging
import Postgres

/// The orchestrator's task events, kept as rows: a created task opens, an assignment changes
/// its assignee, a completion or cancellation ends it. Each applies once (the inbox), and an
/// event that comes after its task ended changes nothing.
struct TaskEvents: MessageHandler {
    func handle(_ messages: [InboundMessage], context: MessageContext) async throws {
        let db = context.database
        for message in messages {
            switch message.envelope.type {
            case TaskCreated.type:
                let task = try message.decode(TaskCreated.self)
                try await db.query(
                    """
                    INSERT INTO tasks (id, instance_id, process_id, process_name, version, element_id, name, business_key, assignee,
                        candidate_users, candidate_groups, due_at, follow_up_at, priority, form_key, variables, status, form)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::timestamptz, $13::timestamptz, $14, $15, $16::jsonb, 'open', $17::jsonb)
                    ON CONFLICT (id) DO NOTHING
                    """,
                    [task.taskId, try Self.uuid(task.instanceId, "instanceId"), task.processId, task.processName, task.version, task.elementId,
                        task.name, task.businessKey, task.assignee, task.candidateUsers, task.candidateGroups, task.dueDate, task.followUpDate,
                        task.priority, task.formKey, JSONValue.object(task.variables).canonicalJSON, try Self.form(task.form)])
                try await Audience.refresh(task.taskId, on: db)
            case TaskAssigned.type:
                let assigned = try message.decode(TaskAssigned.self)
                // An echo of the cartable's own claim or hand-over: already applied, and maybe
                // undone since by a later one.
                if let cause = message.envelope.causationId.flatMap(UUID.init(uuidString:)),
                    try await !db.query("DELETE FROM sent_commands WHERE message_id = $1 RETURNING 1", [cause]).isEmpty
                {
                    continue
                }
                try await db.query(
                    "UPDATE tasks SET assignee = $2 WHERE id = $1 AND status IN ('open', 'completing')", [assigned.taskId, assigned.assignee])
                try await Audience.refresh(assigned.taskId, on: db)
            case TaskCompleted.type:
                let completed = try message.decode(TaskCompleted.self)
                try await db.query(
                    """
                    UPDATE tasks SET status = 'completed', ended_at = $2::timestamptz, ended_by = $3,
                        variables = variables || $4::jsonb
                    WHERE id = $1 AND status IN ('open', 'completing')
                    """, [completed.taskId, completed.at, Self.username(completed.actor), JSONValue.object(completed.variables).canonicalJSON])
                try await Audience.refresh(completed.taskId, on: db)
            case TaskCancelled.type:
                let cancelled = try message.decode(TaskCancelled.self)
                try await db.query(
                    "UPDATE tasks SET status = 'cancelled', ended_at = $2::timestamptz, ended_by = $3 WHERE id = $1 AND status IN ('open', 'completing')",
                    [cancelled.taskId, cancelled.at, Self.username(cancelled.actor)])
                try await Audience.refresh(cancelled.taskId, on: db)
            default:
                break  // another event of the orchestrator's: not the cartable's
            }
        }
    }

    /// The form as the cartable keeps it: read once here, so a form it cannot draw is refused
    /// with the event rather than found broken on the task page.
    static func form(_ json: JSONValue?) throws -> String? {
        guard let json, json != .null else { return nil }
        do {
            return try Form(json: json).json.canonicalJSON
        } catch {
            throw MessageRejected(field: "form.\(error.path)", error.reason)
        }
    }

    static func uuid(_ text: String, _ field: String) throws -> UUID {
        guard let id = UUID(text: text) else { throw MessageRejected(field: field, "\"\(text)\" is not a UUID") }
        return id
    }

    /// `user:ali` → `ali`; a system actor stays as it is.
    static func username(_ actor: String) -> String { actor.hasPrefix("user:") ? String(actor.dropFirst(5)) : actor }
}
