import AMQP
import Foundation
import Logging
import Postgres

/// A service's settings, read once in `main` from the environment.
///
/// - `UTILIS_AMQP_URL`: the broker (`amqp://<service>:<service>@127.0.0.1:5672/utilis`)
/// - `UTILIS_DATABASE_URL`: the service's own database (`postgresql://<service>@127.0.0.1:5433/<service>`)
/// - `UTILIS_HTTP_PORT`: the port of `/health` and `/metrics` (0: none)
/// - `UTILIS_HTTP_HOST`: the address it binds (`127.0.0.1`)
/// - `UTILIS_LOG_LEVEL`: trace, debug, info, notice, warning, error, critical (`info`)
/// - `UTILIS_DB_POOL`: database connections per process (8)
/// - `UTILIS_CONSUMERS`: consumers of the command queue per process, each with its own
///   connection and transactions, so that one waiting for the database does not hold the others (2)
/// - `UTILIS_INSTANCE`: the replica's name in logs and pings (host and process id)
public struct ServiceConfiguration: Sendable {
    public var service: String
    public var amqp: AMQPConfiguration
    public var database: PostgresConfiguration
    public var httpHost: String
    public var httpPort: Int
    public var logLevel: Logger.Level
    public var databasePoolSize: Int
    public var commandConsumers: Int
    public var instance: String

    public init(
        service: String, amqp: AMQPConfiguration, database: PostgresConfiguration, httpHost: String = "127.0.0.1",
        httpPort: Int = 0, logLevel: Logger.Level = .info, databasePoolSize: Int = 8, commandConsumers: Int = 2, instance: String? = nil
    ) {
        self.service = service
        self.amqp = amqp
        self.database = database
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.logLevel = logLevel
        self.databasePoolSize = databasePoolSize
        self.commandConsumers = commandConsumers
        self.instance = instance ?? "\(ProcessInfo.processInfo.hostName):\(getpid())"
    }

    /// Reads the settings of `service` from the environment, with the development defaults.
    public static func fromEnvironment(
        service: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServiceConfiguration {
        func value(_ key: String, _ fallback: String) -> String { environment[key].flatMap { $0.isEmpty ? nil : $0 } ?? fallback }
        let amqp = try AMQPConfiguration(url: value("UTILIS_AMQP_URL", "amqp://\(service):\(service)@127.0.0.1:5672/utilis"))
        let database = try PostgresConfiguration(
            url: value("UTILIS_DATABASE_URL", "postgresql://\(service)@127.0.0.1:5433/\(service)"), applicationName: service)
        guard let port = Int(value("UTILIS_HTTP_PORT", "0")), (0...65535).contains(port) else {
            throw ConfigurationError(key: "UTILIS_HTTP_PORT", "must be a port number")
        }
        guard let level = Logger.Level(rawValue: value("UTILIS_LOG_LEVEL", "info")) else {
            throw ConfigurationError(key: "UTILIS_LOG_LEVEL", "must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard let pool = Int(value("UTILIS_DB_POOL", "8")), pool > 0 else {
            throw ConfigurationError(key: "UTILIS_DB_POOL", "must be a positive number")
        }
        guard let consumers = Int(value("UTILIS_CONSUMERS", "2")), (1...64).contains(consumers) else {
            throw ConfigurationError(key: "UTILIS_CONSUMERS", "must be a number from 1 to 64")
        }
        guard consumers + 2 <= pool else {
            throw ConfigurationError(key: "UTILIS_CONSUMERS", "needs a database pool of at least \(consumers + 2) (UTILIS_DB_POOL is \(pool))")
        }
        return ServiceConfiguration(
            service: service, amqp: amqp, database: database, httpHost: value("UTILIS_HTTP_HOST", "127.0.0.1"), httpPort: port,
            logLevel: level, databasePoolSize: pool, commandConsumers: consumers, instance: environment["UTILIS_INSTANCE"])
    }
}

/// A setting with a wrong value, named by its environment variable.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var key: String
    public var reason: String
    public init(key: String, _ reason: String) {
        self.key = key
        self.reason = reason
    }
    public var description: String { "\(key) \(reason)" }
}
