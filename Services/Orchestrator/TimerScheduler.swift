import BPMN
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit
import ServiceLifecycle

/// Fires due timers and hands out again jobs whose timeout or retry backoff is over: every half
/// second, one at a time, each in its own transaction with its instance's row lock. `SKIP
/// LOCKED` lets every replica take a share without waiting.
struct TimerScheduler: Service {
    let cache: ModelCache
    let environment: ServiceEnvironment
    var interval: Duration = .milliseconds(500)

    /// A kind of due row: where it is, how it is put out of reach once taken, what it does.
    struct Due: Sendable {
        var table: String
        var key: String
        /// Run before the step: a timer row is used up; a job row stays (with its attempt count)
        /// until the job completes, and the step it causes schedules it again.
        var take: String
        var actor: String
        var command: @Sendable (Int) -> Command
    }

    static let timers = Due(
        table: "timers", key: "timer_key", take: "DELETE FROM timers WHERE instance_id = $1 AND timer_key = $2",
        actor: "system:timer", command: { .fireTimer(key: $0) })
    static let jobs = Due(
        table: "job_retries", key: "job_key",
        take: "UPDATE job_retries SET due_at = 'infinity' WHERE instance_id = $1 AND job_key = $2",
        actor: "system:retry", command: { .retryJob(key: $0) })

    func run() async throws {
        let logger = environment.logger
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    while try await takeOne(Self.timers) + takeOne(Self.jobs) > 0 {}
                } catch {
                    logger.warning("timer scheduler: \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Takes one due row of a kind, if any, and applies its step; returns how many (0 or 1).
    private func takeOne(_ due: Due) async throws -> Int {
        try await environment.database.transaction { db in
            let rows = try await db.query(
                """
                SELECT instance_id, \(due.key) FROM \(due.table) WHERE due_at <= clock_timestamp()
                ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED
                """)
            guard let row = rows.first else { return 0 }
            let id = try row.decode(UUID.self, 0), key = try row.decode(Int.self, 1)
            try await db.query(due.take, [id, key])
            try await db.query("SAVEPOINT step")
            var context = MessageContext(database: db)
            var instances = Instances(cache: cache)
            do {
                try await instances.advance(id, field: due.key, actor: due.actor, cause: nil, context: context, command: due.command(key))
            } catch let rejected as MessageRejected {
                // The instance ended, or the timer or job is gone: nothing to do any more, and
                // nothing of the step is kept.
                try await db.query("ROLLBACK TO SAVEPOINT step")
                (context, instances) = (MessageContext(database: db), Instances(cache: cache))
                try await db.query("DELETE FROM \(due.table) WHERE instance_id = $1 AND \(due.key) = $2", [id, key])
                environment.logger.info("\(due.table): not applied: \(rejected)", metadata: ["instance": "\(id)"])
            }
            try await instances.finish(on: db)
            try await Outbox.insert(context.outgoing, on: db)
            return 1
        }
    }
}
