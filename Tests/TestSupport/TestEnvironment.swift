import AMQP
import Foundation
import Logging
import Postgres

/// The real broker and database the tests run against, started by `make test`
/// (`deploy/infra.sh` with the test instance's ports). There are no mocks.
public enum TestEnvironment {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The operators' broker account on the test broker.
    public static var amqp: AMQPConfiguration {
        get throws {
            guard let url = environment["UTILIS_TEST_AMQP_URL"] else {
                throw TestSetupError("UTILIS_TEST_AMQP_URL is not set: run the tests with `make test`")
            }
            return try AMQPConfiguration(url: url)
        }
    }

    /// The superuser of the test database server.
    public static var adminDatabase: PostgresConfiguration {
        get throws {
            guard let url = environment["UTILIS_TEST_DATABASE_URL"] else {
                throw TestSetupError("UTILIS_TEST_DATABASE_URL is not set: run the tests with `make test`")
            }
            return try PostgresConfiguration(url: url, applicationName: "utilis-tests")
        }
    }

    /// A new, empty database for one test.
    public static func freshDatabase(_ label: String = "test") async throws -> PostgresConfiguration {
        let admin = try adminDatabase
        let name = uniqueName(label).replacingOccurrences(of: "-", with: "_")
        let connection = PostgresConnection(configuration: admin, logger: logger)
        // CREATE DATABASE takes no parameters; the name is made here of letters, digits and underscores.
        try await connection.run(script: "CREATE DATABASE \(name)")
        await connection.close()
        return admin.with(database: name)
    }

    /// The variables that point a service process at the test broker and a database.
    public static func serviceVariables(amqp: AMQPConfiguration, database: PostgresConfiguration) -> [String: String] {
        [
            "UTILIS_AMQP_URL": "amqp://\(amqp.user):\(amqp.password)@\(amqp.host):\(amqp.port)/\(amqp.virtualHost)",
            "UTILIS_DATABASE_URL": "postgresql://\(database.user)@\(database.host):\(database.port)/\(database.database)",
        ]
    }

    /// A name no other test uses: `label-<8 hex digits>`.
    /// The actor of events a test publishes in another service's name (the Ledger's tests play
    /// Registration and Tariff): the tests of those services, sharing the broker, skip them.
    public static let forgedEventActor = "test:forged-event"

    /// Whether a delivery is one of those.
    public static func isForged(_ delivery: AMQPDelivery) -> Bool { delivery.properties.headers["actor"]?.stringValue == forgedEventActor }

    public static func uniqueName(_ label: String) -> String {
        "\(label)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// The repository's root folder.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A built executable of the package (the test binaries' folder holds them).
    public static func executable(_ name: String) -> URL {
        if let folder = environment["UTILIS_BIN_DIR"] { return URL(fileURLWithPath: folder).appendingPathComponent(name) }
        return repositoryRoot.appendingPathComponent(".build/debug/\(name)")
    }

    public static let logger: Logger = {
        var logger = Logger(label: "tests")
        logger.logLevel = .warning
        return logger
    }()
}

public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, checking every 50 ms, or fails after `timeout`.
public func eventually(
    _ what: String, timeout: Duration = .seconds(15), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestSetupError("timed out after \(timeout) waiting for: \(what)")
}
