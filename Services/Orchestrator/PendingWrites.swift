import BPMN
import Contracts
import Foundation
import Postgres

/// What the steps of one transaction leave to write at its end, in a few statements rather
/// than a round trip each: on a busy machine a round trip to the database costs a millisecond,
/// and a step of a small process writes half a dozen rows.
///
/// - Instances: the state after the transaction's last step of each (new ones inserted, others
///   updated); a later step of the same instance in the transaction starts from it.
/// - History rows, in the order the steps caused them.
/// - Job retry rows (a job's timeout, its backoff after a failure, its end), in order per job.
/// - The latest version of each process started, asked of the database once per transaction.
///
/// The foreign keys to `instances` are checked at commit (migration 0007), so rows of an
/// instance inserted only at the end can be referred to before.
final class PendingWrites {
    struct Instance {
        var row: Instances.Row
        var state: InstanceState
        var isNew: Bool
        var startedBy: String
    }

    enum JobRetry {
        /// Handed out again when no answer came within this many seconds.
        case timeout(Double)
        /// Failed with retries left: handed out again after 1, 2, 4 … seconds (at most five minutes).
        case backoff
        /// Completed or cancelled.
        case done
    }

    private(set) var instances: [UUID: Instance] = [:]
    /// Read and locked at the start of the transaction, for the commands of its batch.
    var locked: [UUID: Instance] = [:]
    private var order: [UUID] = []
    private var history: [(instance: UUID, key: Int, elementId: String, type: String, event: String, actor: String, variables: String?)] = []
    private var jobRetries: [(instance: UUID, key: Int, change: JobRetry)] = []
    var latestVersions: [String: Int] = [:]

    func keep(_ instance: Instance) {
        if instances.updateValue(instance, forKey: instance.row.id) == nil { order.append(instance.row.id) }
    }

    func appendHistory(
        _ instance: UUID, _ key: Int, _ elementId: String, _ type: String, _ event: String, _ actor: String, _ variables: [String: JSONValue]?
    ) {
        history.append((instance, key, elementId, type, event, actor, variables.map { JSONValue.object($0).canonicalJSON }))
    }

    func jobRetry(_ instance: UUID, _ key: Int, _ change: JobRetry) { jobRetries.append((instance, key, change)) }

    /// Writes what is pending.
    func flush(on db: PostgresConnection) async throws {
        try await flushInstances(on: db)
        try await flushHistory(on: db)
        try await flushJobRetries(on: db)
    }

    private func flushInstances(on db: PostgresConnection) async throws {
        let all = order.map { instances[$0]! }
        order.removeAll()
        instances.removeAll()
        let states = try all.map { String(decoding: try $0.state.jsonBytes(), as: UTF8.self) }
        let fresh = all.indices.filter { all[$0].isNew }, known = all.indices.filter { !all[$0].isNew }
        if !fresh.isEmpty {
            try await db.query(
                """
                INSERT INTO instances (id, process_id, version, business_key, status, state, started_by, open_incidents, ended_at)
                SELECT i, p, v, b, s, st, by, oi, CASE WHEN s = 'active' THEN NULL ELSE now() END
                FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[]) AS n(i, p, v, b, s, st, by, oi)
                """,
                [fresh.map { all[$0].row.id }, fresh.map { all[$0].row.processId }, fresh.map { all[$0].row.version },
                    fresh.map { all[$0].row.businessKey }, fresh.map { all[$0].state.status.rawValue }, fresh.map { states[$0] },
                    fresh.map { all[$0].startedBy }, fresh.map { all[$0].state.incidents.count }])
        }
        if !known.isEmpty {
            try await db.query(
                """
                UPDATE instances i SET state = u.st, status = u.s, revision = i.revision + 1, open_incidents = u.oi,
                    ended_at = CASE WHEN u.s = 'active' THEN NULL ELSE coalesce(i.ended_at, now()) END
                FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) AS u(id, s, st, oi)
                WHERE i.id = u.id
                """,
                [known.map { all[$0].row.id }, known.map { all[$0].state.status.rawValue }, known.map { states[$0] },
                    known.map { all[$0].state.incidents.count }])
        }
    }

    private func flushHistory(on db: PostgresConnection) async throws {
        guard !history.isEmpty else { return }
        try await db.query(
            """
            INSERT INTO history (instance_id, element_key, element_id, element_type, event, actor, variables)
            SELECT i, k, e, t, ev, a, v::jsonb
            FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS h(i, k, e, t, ev, a, v, n)
            ORDER BY n
            """,
            [history.map(\.instance), history.map(\.key), history.map(\.elementId), history.map(\.type), history.map(\.event),
                history.map(\.actor), history.map(\.variables)])
        history.removeAll()
    }

    /// A job with one change in the transaction (nearly all) goes into one statement per kind;
    /// a job with several has them applied one by one, in order.
    private func flushJobRetries(on db: PostgresConnection) async throws {
        struct Job: Hashable { var instance: UUID, key: Int }
        var changes: [Job: Int] = [:]
        for change in jobRetries { changes[Job(instance: change.instance, key: change.key), default: 0] += 1 }
        var timeouts: [(UUID, Int, Double)] = [], done: [(UUID, Int)] = []
        for change in jobRetries {
            switch change.change {
            case .timeout(let seconds) where changes[Job(instance: change.instance, key: change.key)] == 1:
                timeouts.append((change.instance, change.key, seconds))
            case .done where changes[Job(instance: change.instance, key: change.key)] == 1:
                done.append((change.instance, change.key))
            default:
                try await Self.apply(change.change, change.instance, change.key, on: db)
            }
        }
        jobRetries.removeAll()
        if !timeouts.isEmpty {
            try await db.query(
                """
                INSERT INTO job_retries (instance_id, job_key, attempt, due_at)
                SELECT i, k, 0, clock_timestamp() + make_interval(secs => s) FROM unnest($1::uuid[], $2::int[], $3::float8[]) AS t(i, k, s)
                ON CONFLICT (instance_id, job_key) DO UPDATE SET due_at = excluded.due_at
                """, [timeouts.map(\.0), timeouts.map(\.1), timeouts.map(\.2)])
        }
        if !done.isEmpty {
            try await db.query(
                "DELETE FROM job_retries WHERE (instance_id, job_key) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))",
                [done.map(\.0), done.map(\.1)])
        }
    }

    private static func apply(_ change: JobRetry, _ instance: UUID, _ key: Int, on db: PostgresConnection) async throws {
        switch change {
        case .timeout(let seconds):
            try await db.query(
                """
                INSERT INTO job_retries (instance_id, job_key, attempt, due_at) VALUES ($1, $2, 0, clock_timestamp() + make_interval(secs => $3))
                ON CONFLICT (instance_id, job_key) DO UPDATE SET due_at = excluded.due_at
                """, [instance, key, seconds])
        case .backoff:
            try await db.query(
                """
                INSERT INTO job_retries (instance_id, job_key, attempt, due_at) VALUES ($1, $2, 1, clock_timestamp() + interval '1 second')
                ON CONFLICT (instance_id, job_key) DO UPDATE SET attempt = job_retries.attempt + 1,
                    due_at = clock_timestamp() + make_interval(secs => least(300, power(2, job_retries.attempt)))
                """, [instance, key])
        case .done:
            try await db.query("DELETE FROM job_retries WHERE instance_id = $1 AND job_key = $2", [instance, key])
        }
    }
}
