import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit
import ServiceLifecycle

/// Fires due timers and hands out again jobs whose retry backoff is over: every half second,
/// one at a time, each in its own transaction with its instance's row lock. `SKIP LOCKED` lets
/// every replica take a share without waiting.
struct TimerScheduler: Service {
    let instances: Instances
    let environment: ServiceEnvironment
    var interval: Duration = .milliseconds(500)

    func run() async throws {
        let logger = environment.logger
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    while try await fireOne() + retryOne() > 0 {}
                } catch {
                    logger.warning("timer scheduler: \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Hands out one job whose backoff is over, if any; returns how many (0 or 1).
    private func retryOne() async throws -> Int {
        try await environment.database.transaction { db in
            let due = try await db.query(
                """
                SELECT instance_id, job_key FROM job_retries WHERE due_at <= clock_timestamp()
                ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED
                """)
            guard let row = due.first else { return 0 }
            let id = try row.decode(UUID.self, 0), key = try row.decode(Int.self, 1)
            // The row stays (with its attempt count) until the job completes or is cancelled;
            // it is only pushed out of reach until the next failure reschedules it.
            try await db.query("UPDATE job_retries SET due_at = 'infinity' WHERE instance_id = $1 AND job_key = $2", [id, key])
            let context = MessageContext(database: db)
            do {
                try await instances.advance(id, field: "job", actor: "system:retry", cause: nil, context: context, command: .retryJob(key: key))
            } catch let rejected as MessageRejected {
                try await db.query("DELETE FROM job_retries WHERE instance_id = $1 AND job_key = $2", [id, key])
                environment.logger.info("job not retried: \(rejected)", metadata: ["instance": "\(id)"])
            }
            try await Outbox.insert(context.outgoing, on: db)
            return 1
        }
    }

    /// Fires one due timer, if any; returns how many fired (0 or 1).
    private func fireOne() async throws -> Int {
        try await environment.database.transaction { db in
            let due = try await db.query(
                """
                SELECT instance_id, timer_key FROM timers WHERE due_at <= now()
                ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED
                """)
            guard let row = due.first else { return 0 }
            let id = try row.decode(UUID.self, 0), key = try row.decode(Int.self, 1)
            try await db.query("DELETE FROM timers WHERE instance_id = $1 AND timer_key = $2", [id, key])
            let context = MessageContext(database: db)
            do {
                try await instances.advance(id, field: "timer", actor: "system:timer", cause: nil, context: context, command: .fireTimer(key: key))
            } catch let rejected as MessageRejected {
                // The instance ended or the timer is gone: nothing to fire.
                environment.logger.info("timer not fired: \(rejected)", metadata: ["instance": "\(id)"])
            }
            try await Outbox.insert(context.outgoing, on: db)
            return 1
        }
    }
}
