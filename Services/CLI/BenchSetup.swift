import Logging
import Postgres
import ServiceKit

/// What every benchmark does first: a quiet logger, and a database of its own.
enum BenchSetup {
    static func logger() -> Logger {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        Observability.bootstrap(level: .warning)
        return logger
    }

    /// The benchmark's database `name` on the server of `admin`: made anew, or, with `keep`,
    /// kept when it is there.
    static func database(_ name: String, admin: PostgresConfiguration, keep: Bool = false, logger: Logger) async throws -> PostgresConfiguration {
        let setup = PostgresConnection(configuration: admin, logger: logger)
        let exists = try await setup.query("SELECT count(*) FROM pg_database WHERE datname = $1", [name]).scalar(Int.self) == 1
        if !keep || !exists {
            // CREATE DATABASE takes no parameters; the names are the benchmarks' own.
            try await setup.run(script: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            // Text compared as bytes, as the service databases are (deploy/infra.sh).
            try await setup.run(script: "CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'")
        }
        await setup.close()
        return admin.with(database: name)
    }
}
