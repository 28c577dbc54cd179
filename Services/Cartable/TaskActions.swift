import Contracts
import Forms
import Messaging
import Postgres

/// What an employee does to a task, the same from the API and from the pages: the change in
/// the cartable's table (the rule in its query) and the command the orchestrator is to get.
/// The caller runs both in one transaction and sends the command with `send`.
enum TaskActions {
    typealias Result = (Inbox.Outcome, AnyContract?)

    static func claim(_ id: String, by employee: Employee, on db: PostgresConnection) async throws -> Result {
        (try await Inbox.claim(id, by: employee, on: db), AnyContract(AssignTask(taskId: id, assignee: employee.username)))
    }

    static func unclaim(_ id: String, by employee: Employee, on db: PostgresConnection) async throws -> Result {
        (try await Inbox.unclaim(id, by: employee, on: db), AnyContract(AssignTask(taskId: id, assignee: nil)))
    }

    /// Hands the task to another expert; the note is kept as a comment of the task.
    static func assign(_ id: String, to assignee: String, note: String?, by employee: Employee, on db: PostgresConnection) async throws -> Result {
        let outcome = try await Inbox.assign(id, to: assignee, by: employee, on: db)
        if case .done = outcome, let note, !note.isEmpty { try await Comments.add(note, to: id, by: employee, on: db) }
        return (outcome, AnyContract(AssignTask(taskId: id, assignee: assignee)))
    }

    static func comment(_ id: String, _ text: String, by employee: Employee, on db: PostgresConnection) async throws -> Result {
        guard let task = try await Inbox.task(id, for: employee, on: db) else { return (.notFound, nil) }
        try await Comments.add(text, to: id, by: employee, on: db)
        return (.done(task), nil)
    }

    /// Checks the values against the task's form first: nothing changes, and nothing is sent,
    /// until they fit.
    static func complete(_ id: String, with values: [String: JSONValue], by employee: Employee, on db: PostgresConnection) async throws -> Result {
        guard let (task, form) = try await Inbox.taskWithForm(id, for: employee, on: db) else { return (.notFound, nil) }
        switch Inbox.checked(values, against: form, of: task) {
        case .failure(let problems): return (.invalid(problems), nil)
        case .success(var variables):
            // Who did the step, as the cartable knows them (never as posted): a service task
            // after it records them as the approver (a dispute's decision, a credit note).
            variables["completedBy"] = .string("user:\(employee.username)")
            return (try await Inbox.complete(id, by: employee, on: db), AnyContract(CompleteTask(taskId: id, variables: variables)))
        }
    }

    /// Puts the command of a change that was made in the outbox. An assignment is remembered, so
    /// the orchestrator's echo of it is recognised (`TaskEvents`).
    static func send(_ command: AnyContract?, after outcome: Inbox.Outcome, by employee: Employee, on db: PostgresConnection) async throws {
        guard case .done = outcome, let command else { return }
        let message = try command.outgoing(actor: "user:\(employee.username)")
        try await Outbox.insert([message], on: db)
        if message.envelope.type == AssignTask.type {
            try await db.query("INSERT INTO sent_commands (message_id) VALUES ($1)", [message.envelope.messageId])
        }
    }
}

/// A command to send, whatever its contract.
struct AnyContract: Sendable {
    let outgoing: @Sendable (String) throws -> OutgoingMessage
    init<M: MessageContract>(_ message: M) { outgoing = { actor in try .contract(message, actor: actor) } }
    func outgoing(actor: String) throws -> OutgoingMessage { try outgoing(actor) }
}
