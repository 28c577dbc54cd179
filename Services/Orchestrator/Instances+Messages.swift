import BPMN
import Contracts
import Foundation
import Messaging
import Postgres

/// Messages and signals: from other systems, from other instances (a throw event publishes
/// through the outbox), or from other services' events bound to message names.
extension Instances {
    /// The oldest subscription waiting for the message takes it; when none waits, it starts
    /// the processes whose latest version has a message start event of its name (at most one
    /// active instance per process and correlation key, as Camunda 8 does); when nothing takes
    /// it, it is kept for its time to live.
    func correlate(_ command: CorrelateMessage, message: InboundMessage, context: MessageContext) async throws {
        var timeToLive = 0.0
        if let text = command.timeToLive {
            guard case .dayTimeDuration(let seconds)? = Temporal.parseDuration(text), seconds >= 0 else {
                throw MessageRejected(field: "timeToLive", "\"\(text)\" is not a duration such as PT1H")
            }
            timeToLive = seconds
        }
        let actor = message.envelope.actor ?? "unknown"
        // The oldest subscription waiting for this message; its row lock keeps two correlations apart.
        let waiting = try await context.database.query(
            """
            SELECT instance_id FROM subscriptions
            WHERE kind = 'message' AND name = $1 AND ($2::text IS NULL OR correlation_key IS NULL OR correlation_key = $2)
            ORDER BY opened_at LIMIT 1 FOR UPDATE
            """, [command.name, command.correlationKey])
        if let row = waiting.first {
            try await advance(try row.decode(UUID.self, 0), field: "name", actor: actor, cause: message, context: context,
                command: .correlateMessage(name: command.name, correlationKey: command.correlationKey, variables: command.variables ?? [:]))
            return
        }
        var started = false
        for start in try await cache.starts(on: .message, named: command.name, db: context.database) {
            if let key = command.correlationKey {
                // One start at a time per process and key, so two such messages start one instance.
                try await context.database.query("SELECT pg_advisory_xact_lock(hashtext('message-start:' || $1 || ':' || $2))", [start.processId, key])
                let active = try await context.database.query(
                    "SELECT 1 FROM instances WHERE process_id = $1 AND business_key = $2 AND status = 'active' LIMIT 1", [start.processId, key])
                let startedHere = pending.instances.values.contains {
                    $0.row.processId == start.processId && $0.row.businessKey == key && $0.state.status == .active
                }
                if !active.isEmpty || startedHere { continue }
            }
            try await startInstance(
                UUID(), processId: start.processId, version: start.version, startEvent: start.startEvent, businessKey: command.correlationKey,
                variables: command.variables ?? [:], actor: actor, cause: message, context: context)
            started = true
        }
        if !started, timeToLive > 0 {
            try await context.database.query(
                """
                INSERT INTO buffered_messages (message_id, name, correlation_key, variables, expires_at)
                VALUES ($1, $2, $3, $4, clock_timestamp() + make_interval(secs => $5)) ON CONFLICT DO NOTHING
                """, [message.envelope.messageId, command.name, command.correlationKey,
                    JSONValue.object(command.variables ?? [:]).canonicalJSON, timeToLive])
        }
    }

    /// Every instance waiting for the signal takes it, and it starts the processes whose latest
    /// version has a signal start event of its name.
    func broadcast(_ command: BroadcastSignal, message: InboundMessage, context: MessageContext) async throws {
        let actor = message.envelope.actor ?? "unknown"
        let waiting = try await context.database.query(
            "SELECT DISTINCT instance_id FROM subscriptions WHERE kind = 'signal' AND name = $1 ORDER BY instance_id", [command.name])
        for row in waiting {
            try await advance(try row.decode(UUID.self, 0), field: "name", actor: actor, cause: message, context: context,
                command: .broadcastSignal(name: command.name, variables: command.variables ?? [:]))
        }
        for start in try await cache.starts(on: .signal, named: command.name, db: context.database) {
            try await startInstance(
                UUID(), processId: start.processId, version: start.version, startEvent: start.startEvent, businessKey: nil,
                variables: command.variables ?? [:], actor: actor, cause: message, context: context)
        }
    }

    /// A subscription just opened may have its message already waiting in the buffer.
    func deliverBuffered(to id: UUID, after effects: [Effect], actor: String, cause: InboundMessage?, context: MessageContext) async throws {
        for effect in effects {
            guard case .subscriptionOpened(_, _, .message, let name, let key) = effect else { continue }
            let buffered = try await context.database.query(
                """
                DELETE FROM buffered_messages WHERE message_id = (
                    SELECT message_id FROM buffered_messages
                    WHERE name = $1 AND ($2::text IS NULL OR correlation_key IS NULL OR correlation_key = $2) AND expires_at > clock_timestamp()
                    ORDER BY received_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING correlation_key, variables
                """, [name, key])
            guard let row = buffered.first else { continue }
            let variables: [String: JSONValue]
            if case .object(let object) = try JSONValue.parse(Array(try row.decode(String.self, 1).utf8)) { variables = object } else { variables = [:] }
            try await advance(id, field: "name", actor: actor, cause: cause, context: context,
                command: .correlateMessage(name: name, correlationKey: try row.decode(String?.self, 0), variables: variables))
            return  // the step it caused has looked at the buffer again for what it opened
        }
    }
}
