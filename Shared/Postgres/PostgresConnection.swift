import BlockingIO
import CLibPQ
import Foundation
import Logging

/// A notification received on a channel the connection listens to.
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String

    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}

/// One libpq connection, on a thread of its own (libpq blocks while it waits for the server).
///
/// Every statement is parameterized: values never become part of the SQL text. A statement is
/// prepared on its first use on a connection and executed by name after that, so PostgreSQL
/// plans it once rather than on every call (planning was as long as running an inbox query).
/// Notices (warnings the server sends) go to the logger instead of stderr.
public actor PostgresConnection {
    public nonisolated let configuration: PostgresConfiguration
    private let executor: ThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    // Used only on the actor's thread, and in deinit when nothing else holds the actor; marked
    // so because an `isolated deinit` crashes the release compiler (Swift 6.3, cross-module).
    private nonisolated(unsafe) var connection: OpaquePointer?
    private let notices: NoticeSink
    let logger: Logger
    /// The statements prepared on this session, by SQL text; emptied when the session is new.
    private var prepared: [String: String]
    /// At most this many: SQL built with a varying number of terms is not kept for ever.
    static let preparedLimit = 512

    /// Creates the connection object; nothing is dialled until `connect()` or the first statement.
    public init(configuration: PostgresConfiguration, logger: Logger = Logger(label: "postgres")) {
        self.configuration = configuration
        self.executor = ThreadExecutor(name: "pg-\(configuration.database)")
        self.logger = logger
        self.notices = NoticeSink(logger: logger)
        self.prepared = [:]
    }

    deinit {
        if let connection { PQfinish(connection) }
        executor.shutdown()
    }

    /// Connects, unless connected.
    public func connect() throws(PostgresError) {
        if let connection, PQstatus(connection) == CONNECTION_OK { return }
        if let connection { PQfinish(connection) }
        connection = nil
        guard let conn = PQconnectdb(configuration.connectionString) else {
            throw PostgresError(.connection, "out of memory connecting to \(configuration.redacted)")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)
            throw PostgresError(.connection, "cannot connect to \(configuration.redacted): \(message)")
        }
        prepared.removeAll()
        PQsetNoticeProcessor(
            conn,
            { context, message in
                guard let context, let message else { return }
                Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue().receive(String(cString: message))
            }, Unmanaged.passUnretained(notices).toOpaque())
        connection = conn
    }

    /// Whether the connection is open and idle, fit to go back to a pool.
    public var isReusable: Bool {
        guard let connection else { return false }
        return PQstatus(connection) == CONNECTION_OK && PQtransactionStatus(connection) == PQTRANS_IDLE
    }

    /// Closes the connection.
    public func close() {
        if let connection { PQfinish(connection) }
        connection = nil
    }

    /// Runs one statement with `$1`, `$2`... parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresBindable] = []) throws(PostgresError) -> PostgresRows {
        try connect()
        let texts = parameters.map { $0.postgresText }
        let cStrings: [UnsafeMutablePointer<CChar>?] = texts.map { $0.flatMap { strdup($0) } }
        defer { for pointer in cStrings { free(pointer) } }
        let name = try statement(for: sql, parameters: Int32(texts.count))
        let result = cStrings.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: max(buffer.count, 1)) { values in
                if let name {
                    PQexecPrepared(connection, name, Int32(texts.count), buffer.isEmpty ? nil : values, nil, nil, 0)
                } else {
                    PQexecParams(connection, sql, Int32(texts.count), nil, buffer.isEmpty ? nil : values, nil, nil, 0)
                }
            }
        }
        return try rows(of: result, sql: sql)
    }

    /// The name `sql` is prepared under on this session, preparing it now if it is new; nil once
    /// the session holds as many as it keeps (the statement is then sent with its text).
    private func statement(for sql: String, parameters: Int32) throws(PostgresError) -> String? {
        if let name = prepared[sql] { return name }
        guard prepared.count < Self.preparedLimit else { return nil }
        let name = "utilis_\(prepared.count + 1)"
        _ = try rows(of: PQprepare(connection, name, sql, parameters, nil), sql: sql)
        prepared[sql] = name
        return name
    }

    /// Runs one or more statements without parameters: for migration scripts only, whose text
    /// comes from the service's own files.
    public func run(script: String) throws(PostgresError) {
        try connect()
        let result = PQexec(connection, script)
        _ = try rows(of: result, sql: script)
    }

    private func rows(of result: OpaquePointer?, sql: String) throws(PostgresError) -> PostgresRows {
        guard let result else { throw connectionError() }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            throw error(from: result, sql: sql)
        }
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var values = [String?]()
        values.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, row, column)))
                }
            }
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, values: values, affectedRows: affected)
    }

    func error(from result: OpaquePointer, sql: String) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        if let connection, PQstatus(connection) != CONNECTION_OK { return connectionError() }
        let message = field("M") ?? String(cString: PQresultErrorMessage(result))
        return PostgresError(
            .server, message.trimmingCharacters(in: .whitespacesAndNewlines), sqlState: field("C"), detail: field("D"),
            constraint: field("n"))
    }

    func connectionError() -> PostgresError {
        let message = connection.map { String(cString: PQerrorMessage($0)) } ?? "not connected"
        if let connection, PQstatus(connection) != CONNECTION_OK {
            PQfinish(connection)
            self.connection = nil
        }
        return PostgresError(.connection, "connection to \(configuration.redacted) lost: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
    }

    // MARK: - COPY

    /// Bulk-loads rows with `COPY ... FROM STDIN` (text format); far faster than INSERTs for
    /// large loads. Returns the number of rows copied.
    /// - Parameter statement: e.g. `COPY readings (meter, read_at, value) FROM STDIN`.
    @discardableResult
    public func copy(_ statement: String, rows: [[String?]]) throws(PostgresError) -> Int {
        try connect()
        guard let start = PQexec(connection, statement) else { throw connectionError() }
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            defer { PQclear(start) }
            throw error(from: start, sql: statement)
        }
        PQclear(start)
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 16)
        func flush() throws(PostgresError) {
            guard !buffer.isEmpty else { return }
            let sent = buffer.withUnsafeBufferPointer { pointer in
                pointer.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) }
            }
            if sent != 1 { throw connectionError() }
            buffer.removeAll(keepingCapacity: true)
        }
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: "\t")) }
                guard let value else {
                    buffer.append(contentsOf: Array("\\N".utf8))
                    continue
                }
                for byte in value.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): buffer.append(contentsOf: [92, 92])
                    case UInt8(ascii: "\t"): buffer.append(contentsOf: [92, UInt8(ascii: "t")])
                    case UInt8(ascii: "\n"): buffer.append(contentsOf: [92, UInt8(ascii: "n")])
                    case UInt8(ascii: "\r"): buffer.append(contentsOf: [92, UInt8(ascii: "r")])
                    default: buffer.append(byte)
                    }
                }
            }
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count > 1 << 16 { try flush() }
        }
        try flush()
        guard PQputCopyEnd(connection, nil) == 1 else { throw connectionError() }
        var copied = 0
        var failure: PostgresError?
        while let result = PQgetResult(connection) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                copied = Int(String(cString: PQcmdTuples(result))) ?? rows.count
            } else if failure == nil {
                failure = error(from: result, sql: statement)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return copied
    }

    // MARK: - LISTEN / NOTIFY

    /// Starts listening on a channel. Channel names are identifiers chosen in code.
    public func listen(_ channel: String) throws(PostgresError) {
        guard !channel.isEmpty, channel.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw PostgresError(.configuration, "'\(channel)' is not a valid channel name")
        }
        try run(script: "LISTEN \(channel)")
    }

    /// Waits up to `timeout` for notifications and returns those that arrived (maybe none).
    public func notifications(timeout: Duration) throws(PostgresError) -> [PostgresNotification] {
        try connect()
        var received = drainNotifications()
        if !received.isEmpty { return received }
        var poller = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = poll(&poller, 1, milliseconds)
        if ready > 0 {
            guard PQconsumeInput(connection) == 1 else { throw connectionError() }
            received = drainNotifications()
        }
        return received
    }

    private func drainNotifications() -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        while let notification = PQnotifies(connection) {
            received.append(
                PostgresNotification(
                    channel: String(cString: notification.pointee.relname),
                    payload: String(cString: notification.pointee.extra)))
            PQfreemem(notification)
        }
        return received
    }
}

/// Receives libpq notices on the connection's thread and logs them.
final class NoticeSink: Sendable {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }
    func receive(_ message: String) {
        logger.notice("\(message.trimmingCharacters(in: .whitespacesAndNewlines))", metadata: ["source": "postgres"])
    }
}
