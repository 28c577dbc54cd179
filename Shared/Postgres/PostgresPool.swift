import Logging

/// Transaction isolation levels.
public enum PostgresIsolation: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

/// A bounded pool of connections to one database.
///
/// Connections are opened on demand up to `maximumConnections`; a caller beyond that waits.
/// A connection that broke, or was left inside a transaction, is closed instead of reused.
public actor PostgresPool {
    public nonisolated let configuration: PostgresConfiguration
    public nonisolated let maximumConnections: Int
    private let logger: Logger
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var waiters: [CheckedContinuation<PostgresConnection, any Error>] = []
    private var closed = false

    public init(configuration: PostgresConfiguration, maximumConnections: Int = 8, logger: Logger = Logger(label: "postgres")) {
        self.configuration = configuration
        self.maximumConnections = maximumConnections
        self.logger = logger
    }

    /// Takes a connection (connected), waiting if all are busy.
    public func acquire() async throws -> PostgresConnection {
        if closed { throw PostgresError(.connection, "the pool is closed") }
        if let connection = idle.popLast() { return connection }
        if open < maximumConnections {
            open += 1
            let connection = PostgresConnection(configuration: configuration, logger: logger)
            do {
                try await connection.connect()
            } catch {
                open -= 1
                throw error
            }
            return connection
        }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    /// Gives a connection back; a broken one is dropped.
    public func release(_ connection: PostgresConnection) async {
        let reusable = await connection.isReusable
        if !reusable || closed {
            await connection.close()
            open -= 1
            if !waiters.isEmpty, !closed {
                // Someone waits: open a fresh connection for them.
                let waiter = waiters.removeFirst()
                open += 1
                let fresh = PostgresConnection(configuration: configuration, logger: logger)
                do {
                    try await fresh.connect()
                    waiter.resume(returning: fresh)
                } catch {
                    open -= 1
                    waiter.resume(throwing: error)
                }
            }
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// Closes idle connections and refuses new work.
    public func close() async {
        closed = true
        for connection in idle { await connection.close() }
        open -= idle.count
        idle.removeAll()
        for waiter in waiters { waiter.resume(throwing: PostgresError(.connection, "the pool is closed")) }
        waiters.removeAll()
    }

    /// Runs `body` with a connection of the pool.
    @discardableResult
    public nonisolated func withConnection<T: Sendable>(
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            await release(connection)
            return value
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// A serialization failure or deadlock runs the whole body again, up to `attempts` times,
    /// so `body` must not have effects outside the database.
    @discardableResult
    public nonisolated func transaction<T: Sendable>(
        isolation: PostgresIsolation = .readCommitted, attempts: Int = 5,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try await connection.transaction(isolation: isolation, body)
                }
            } catch let error as PostgresError where error.isRetryable && attempt < attempts {
                attempt += 1
                logger.debug("transaction retried", metadata: ["reason": "\(error)", "attempt": "\(attempt)"])
            }
        }
    }
}

extension PostgresConnection {
    /// Runs `body` in one transaction on this connection.
    @discardableResult
    public nonisolated func transaction<T: Sendable>(
        isolation: PostgresIsolation = .readCommitted, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await query(isolation == .readCommitted ? "BEGIN" : "BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        do {
            let value = try await body(self)
            try await query("COMMIT")
            return value
        } catch {
            _ = try? await query("ROLLBACK")
            throw error
        }
    }
}
