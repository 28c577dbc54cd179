import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import Reporting

/// `reports.rebuild`: the read model emptied and every kept event applied again, in the order
/// received, in one transaction. Reports answer from the old model until it commits; new
/// events wait for it (the log is locked against writers), then apply on the new one.
struct Rebuild: MessageHandler {
    let logger: Logger
    static let page = 2000

    func handle(_ messages: [InboundMessage], context: MessageContext) async throws {
        for message in messages {
            guard message.envelope.type == RebuildReports.type else { throw MessageRejected(field: "type", "\(message.envelope.type) is not a command of reports") }
            let command = try message.decode(RebuildReports.self)
            let started = ContinuousClock.now
            let events = try await Self.replay(on: context.database)
            let took = started.duration(to: .now)
            let milliseconds = Int(took.components.seconds * 1000 + took.components.attoseconds / 1_000_000_000_000_000)
            logger.info("read model rebuilt", metadata: ["events": "\(events)", "milliseconds": "\(milliseconds)", "reason": "\(command.reason)"])
            context.send(try .contract(ReportsRebuilt(events: events, milliseconds: milliseconds, reason: command.reason), causedBy: message))
        }
    }

    /// Empties the facts and applies the log again; the number of events applied.
    static func replay(on db: PostgresConnection) async throws -> Int {
        try await db.query("LOCK TABLE event_log IN EXCLUSIVE MODE")
        // DELETE, not TRUNCATE: readers keep seeing the old model until this commits.
        for table in FactStore.factTables { try await db.query("DELETE FROM \(table)") }
        var last: Int64 = 0, applied = 0
        while true {
            let page = try await EventLog.read(after: last, limit: Self.page, on: db)
            guard let end = page.last?.0 else { return applied }
            try await FactStore.write(try ReadModel.changes(page.map(\.1)), on: db)
            (last, applied) = (end, applied + page.count)
        }
    }
}
