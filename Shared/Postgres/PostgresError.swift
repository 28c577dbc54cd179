/// A database failure with what PostgreSQL said about it.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Could not connect, or the connection broke.
        case connection
        /// The server refused a statement; `sqlState` says why.
        case server
        /// A value could not be turned into the Swift type asked for.
        case decoding
        /// A configuration value is wrong.
        case configuration
    }

    public var kind: Kind
    public var message: String
    /// The five-character SQLSTATE, e.g. 23505 for a unique violation.
    public var sqlState: String?
    public var detail: String?
    public var constraint: String?

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil, detail: String? = nil, constraint: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.constraint = constraint
    }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += ": \(detail)" }
        return text
    }

    /// Serialization failure or deadlock: running the transaction again may succeed.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }
    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isConnectionFailure: Bool { kind == .connection || sqlState?.hasPrefix("08") == true || sqlState == "57P01" }
}
