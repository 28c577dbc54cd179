import Foundation

/// Where and how to reach the broker.
///
/// Parsed from an `amqp://user:password@host:port/vhost` URL, the form every service reads from
/// `UTILIS_AMQP_URL`.
public struct AMQPConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String
    /// Seconds between heartbeats; the broker closes a connection that misses two.
    public var heartbeat: Int
    /// How long connecting may take before it fails.
    public var connectTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 5672, user: String, password: String,
        virtualHost: String = "/", heartbeat: Int = 30, connectTimeout: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.virtualHost = virtualHost
        self.heartbeat = heartbeat
        self.connectTimeout = connectTimeout
    }

    /// Parses `amqp://user:password@host:port/vhost`; an empty path is the vhost `/`.
    public init(url: String) throws(AMQPError) {
        guard let components = URLComponents(string: url), components.scheme == "amqp" else {
            throw .invalidConfiguration("AMQP URL must look like amqp://user:password@host:port/vhost, got \(url)")
        }
        guard let user = components.user, let password = components.password else {
            throw .invalidConfiguration("AMQP URL \(url) must carry a user and a password")
        }
        let path = components.percentEncodedPath
        let vhost = path.isEmpty || path == "/" ? "/" : String(path.dropFirst()).removingPercentEncoding ?? "/"
        self.init(
            host: components.host ?? "127.0.0.1", port: components.port ?? 5672,
            user: user.removingPercentEncoding ?? user, password: password.removingPercentEncoding ?? password,
            virtualHost: vhost)
    }

    /// The URL without its password, for logs.
    public var redacted: String { "amqp://\(user)@\(host):\(port)/\(virtualHost == "/" ? "" : virtualHost)" }
}
