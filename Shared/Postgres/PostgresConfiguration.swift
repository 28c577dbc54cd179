import Foundation

/// Where and how to reach a database, parsed from a `postgresql://user:password@host:port/database` URL
/// (the form every service reads from `UTILIS_DATABASE_URL`).
public struct PostgresConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// Shown in `pg_stat_activity`, so an operator sees which service holds a connection.
    public var applicationName: String
    public var connectTimeoutSeconds: Int

    public init(
        host: String = "127.0.0.1", port: Int = 5432, user: String, password: String? = nil, database: String,
        applicationName: String = "utilis", connectTimeoutSeconds: Int = 5
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// Parses `postgresql://user[:password]@host[:port]/database`.
    public init(url: String, applicationName: String = "utilis") throws(PostgresError) {
        guard let components = URLComponents(string: url), ["postgresql", "postgres"].contains(components.scheme),
            let user = components.user
        else {
            throw PostgresError(.configuration, "database URL must look like postgresql://user@host:port/database, got \(url)")
        }
        let database = String(components.path.dropFirst())
        guard !database.isEmpty else { throw PostgresError(.configuration, "database URL \(url) names no database") }
        self.init(
            host: components.host ?? "127.0.0.1", port: components.port ?? 5432, user: user,
            password: components.password, database: database, applicationName: applicationName)
    }

    /// The same server and user, another database.
    public func with(database: String) -> PostgresConfiguration {
        var copy = self
        copy.database = database
        return copy
    }

    /// The libpq keyword/value string. The session runs in UTC with ISO dates, which the
    /// decoders rely on.
    var connectionString: String {
        func quoted(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        var parts = [
            "host=\(quoted(host))", "port=\(port)", "user=\(quoted(user))", "dbname=\(quoted(database))",
            "application_name=\(quoted(applicationName))", "connect_timeout=\(connectTimeoutSeconds)",
            "options='-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=iso_8601'",
        ]
        if let password { parts.append("password=\(quoted(password))") }
        return parts.joined(separator: " ")
    }

    /// The URL without its password, for logs.
    /// As a URL with the password: for the environment of a process started with it.
    public var url: String {
        let secret = password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        return "postgresql://\(user)\(secret)@\(host):\(port)/\(database)"
    }

    public var redacted: String { "postgresql://\(user)@\(host):\(port)/\(database)" }
}
