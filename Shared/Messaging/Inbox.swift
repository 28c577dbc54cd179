import Foundation
import Postgres

/// The record of handled messages, kept in the consumer's own transaction.
public enum Inbox {
    /// Records the ids for a consumer and returns those not seen before; duplicates are skipped.
    /// Runs inside the handler's transaction, so a rollback forgets the ids again.
    public static func record(consumer: String, messageIds: [UUID], on db: PostgresConnection) async throws -> Set<UUID> {
        guard !messageIds.isEmpty else { return [] }
        let rows = try await db.query(
            """
            INSERT INTO inbox (consumer, message_id) SELECT $1, unnest($2::uuid[])
            ON CONFLICT DO NOTHING RETURNING message_id
            """, [consumer, messageIds])
        return Set(try rows.column(UUID.self))
    }
}

/// Writes outgoing messages as outbox rows, in one statement per batch.
public enum Outbox {
    public static func insert(_ messages: [OutgoingMessage], on db: PostgresConnection) async throws {
        guard !messages.isEmpty else { return }
        try await db.query(
            """
            INSERT INTO outbox (message_id, exchange, routing_key, type, correlation_id, causation_id, actor, traceparent, mandatory, body)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                 $8::text[], $9::bool[], $10::text[])
            """,
            [
                messages.map(\.envelope.messageId), messages.map(\.exchange), messages.map(\.routingKey),
                messages.map(\.envelope.type), messages.map(\.envelope.correlationId), messages.map(\.envelope.causationId),
                messages.map(\.envelope.actor), messages.map(\.envelope.traceparent), messages.map(\.mandatory),
                messages.map { String(decoding: $0.body, as: UTF8.self) },
            ])
    }
}
