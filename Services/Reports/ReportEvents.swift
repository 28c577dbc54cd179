import Contracts
import Foundation
import Messaging
import Postgres
import Reporting

/// Every service's events into the read model: kept in `event_log` as they came, then applied.
/// A batch is one transaction: the log and the facts never disagree.
struct ReportEvents: MessageHandler {
    func handle(_ messages: [InboundMessage], context: MessageContext) async throws {
        let events = messages.filter { ReadModel.follows($0.envelope.type) }.map {
            ReportedEvent(messageId: $0.envelope.messageId.lowercasedText, type: $0.envelope.type, body: $0.body, at: $0.envelope.timestamp)
        }
        guard !events.isEmpty else { return }
        let changes: FactChanges
        do {
            changes = try ReadModel.changes(events)
        } catch {
            // The consumer tries the batch's messages one by one, and dead-letters this one with its reason.
            throw MessageRejected(field: error.field, error.reason)
        }
        try await EventLog.append(events, on: context.database)
        try await FactStore.write(changes, on: context.database)
    }
}

/// The events Reports kept, in the order it received them: what a rebuild replays.
enum EventLog {
    static func append(_ events: [ReportedEvent], on db: PostgresConnection) async throws {
        try await db.query(
            """
            INSERT INTO event_log (message_id, type, sent_at, body)
            SELECT id, type, to_timestamp(at), body FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[]) AS e(id, type, at, body)
            """,
            [events.map(\.messageId), events.map(\.type), events.map { $0.at.timeIntervalSince1970 }, events.map { String(decoding: $0.body, as: UTF8.self) }])
    }

    /// Up to `limit` events after `seq`, oldest first, with their sequence numbers.
    static func read(after seq: Int64, limit: Int, on db: PostgresConnection) async throws -> [(Int64, ReportedEvent)] {
        try await db.query(
            "SELECT seq, message_id, type, extract(epoch FROM sent_at)::float8, body FROM event_log WHERE seq > $1 ORDER BY seq LIMIT $2", [seq, limit]
        ).map { row in
            (try row.decode(Int64.self, 0),
             ReportedEvent(
                messageId: try row.decode(String.self, 1), type: try row.decode(String.self, 2),
                body: Array(try row.decode(String.self, 4).utf8), at: Date(timeIntervalSince1970: try row.decode(Double.self, 3))))
        }
    }
}
