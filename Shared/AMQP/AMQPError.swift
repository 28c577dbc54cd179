/// Why a broker operation failed, with the cause named as the broker or the library gave it.
public enum AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The TCP connection could not be made.
    case connectionRefused(host: String, port: Int, reason: String)
    /// The broker refused the user, password or virtual host.
    case accessRefused(user: String, virtualHost: String, reason: String)
    /// The broker closed the channel, e.g. 404 NOT_FOUND for a missing queue, 406 PRECONDITION_FAILED.
    case channelClosed(code: UInt16, text: String)
    /// The broker closed the connection, e.g. 320 CONNECTION_FORCED on shutdown.
    case connectionClosed(code: UInt16, text: String)
    /// The connection failed below AMQP: socket error, heartbeat missed, broken frame.
    case connectionLost(String)
    /// Nothing arrived in time.
    case timeout(String)
    /// The broker refused a published message (`basic.nack`).
    case nacked(messageId: String?)
    /// A configuration value is wrong.
    case invalidConfiguration(String)
    /// The connection was closed by this side.
    case closed
    /// A queue to replace (declared before with other arguments) still has consumers.
    case queueInUse(queue: String, consumers: UInt32)

    public var description: String {
        switch self {
        case .connectionRefused(let host, let port, let reason): "connection to \(host):\(port) refused: \(reason)"
        case .accessRefused(let user, let vhost, let reason):
            "access refused for user '\(user)' on virtual host '\(vhost)': \(reason)"
        case .channelClosed(let code, let text): "channel closed by the broker: \(code) \(text)"
        case .connectionClosed(let code, let text): "connection closed by the broker: \(code) \(text)"
        case .connectionLost(let reason): "connection lost: \(reason)"
        case .timeout(let what): "timed out: \(what)"
        case .nacked(let id): "broker refused message \(id ?? "without id")"
        case .invalidConfiguration(let reason): "invalid AMQP configuration: \(reason)"
        case .closed: "connection closed"
        case .queueInUse(let queue, let consumers):
            "queue \(queue) was declared before with other arguments and cannot be replaced while \(consumers) consumer(s) use it; stop the replicas of the earlier release"
        }
    }

    /// Whether reconnecting may help: true for lost or closed connections, false for a refused
    /// login or a channel error caused by the request itself.
    public var isConnectionFailure: Bool {
        switch self {
        case .connectionRefused, .connectionClosed, .connectionLost, .timeout: true
        case .accessRefused, .channelClosed, .nacked, .invalidConfiguration, .closed, .queueInUse: false
        }
    }
}
