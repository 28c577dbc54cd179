import Foundation
import Logging

/// One numbered SQL script of a component's schema, e.g. `0002_outbox.sql`.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// FNV-1a of the script: an applied migration whose file later changed is refused.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// The migrations of one component (a service, or a shared library such as Messaging).
public struct MigrationSet: Sendable {
    public var component: String
    public var migrations: [Migration]

    public init(component: String, migrations: [Migration]) {
        self.component = component
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Reads `NNNN_name.sql` files from a folder (a target's resources).
    public static func load(component: String, from directory: URL) throws -> MigrationSet {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        let migrations = try files.map { file -> Migration in
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw PostgresError(.configuration, "migration file \(file) must be named NNNN_name.sql")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            return Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql)
        }
        let versions = migrations.map(\.version)
        guard Set(versions).count == versions.count else {
            throw PostgresError(.configuration, "\(component) has two migrations with the same number")
        }
        return MigrationSet(component: component, migrations: migrations)
    }
}

/// Applies migrations once each, in order, recording them in `schema_migrations`.
///
/// Replicas of a service start together: a session-level advisory lock makes the second wait
/// until the first has finished, after which it finds nothing left to do. Each migration runs in
/// its own transaction with its record, so a failing script leaves no half-applied schema.
public enum Migrator {
    static let lockKey: Int64 = 0x7574_696C_6973  // "utilis"

    /// Applies what is missing and returns the names applied, as `component/NNNN_name`.
    @discardableResult
    public static func apply(
        _ sets: [MigrationSet], to configuration: PostgresConfiguration, logger: Logger = Logger(label: "migrations")
    ) async throws -> [String] {
        let connection = PostgresConnection(configuration: configuration, logger: logger)
        defer { Task { await connection.close() } }
        try await connection.query("SELECT pg_advisory_lock($1)", [lockKey])
        do {
            let applied = try await applyLocked(sets, on: connection, logger: logger)
            try await connection.query("SELECT pg_advisory_unlock($1)", [lockKey])
            return applied
        } catch {
            _ = try? await connection.query("ROLLBACK")
            _ = try? await connection.query("SELECT pg_advisory_unlock($1)", [lockKey])
            throw error
        }
    }

    private static func applyLocked(
        _ sets: [MigrationSet], on connection: PostgresConnection, logger: Logger
    ) async throws -> [String] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                component text NOT NULL, version int NOT NULL, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))
            """)
        var appliedNow: [String] = []
        for set in sets {
            let rows = try await connection.query(
                "SELECT version, checksum FROM schema_migrations WHERE component = $1", [set.component])
            var known: [Int: String] = [:]
            for row in rows { known[try row.decode(Int.self, 0)] = try row.decode(String.self, 1) }
            for migration in set.migrations {
                let label = "\(set.component)/\(String(format: "%04d", migration.version))_\(migration.name)"
                if let checksum = known[migration.version] {
                    guard checksum == migration.checksum else {
                        throw PostgresError(.configuration, "migration \(label) was changed after it was applied")
                    }
                    continue
                }
                try await connection.transaction { connection in
                    try await connection.run(script: migration.sql)
                    try await connection.query(
                        "INSERT INTO schema_migrations (component, version, name, checksum) VALUES ($1, $2, $3, $4)",
                        [set.component, migration.version, migration.name, migration.checksum])
                }
                logger.info("applied migration \(label)")
                appliedNow.append(label)
            }
        }
        return appliedNow
    }
}
