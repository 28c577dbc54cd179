import BlockingIO
import CRabbitMQ
import Foundation
import Logging

/// One AMQP 0-9-1 connection with one channel, over rabbitmq-c.
///
/// The actor runs on a thread of its own (rabbitmq-c blocks while it waits on the socket), so each
/// process that publishes and consumes heavily opens one connection per role: a publisher, each
/// consumer, a request client.
///
/// The connection remembers what it was asked to set up (topology, publisher confirms, a
/// consumer) and replays it after a reconnect; `generation` counts the connections made, so that
/// an acknowledgement for a delivery of a connection that has since died is dropped instead of
/// acknowledging an unrelated message of the new one.
public actor AMQPConnection {
    public nonisolated let configuration: AMQPConfiguration
    public nonisolated let name: String
    private let executor: ThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    var logger: Logger
    // Used only on the actor's thread, and in deinit when nothing else holds the actor; marked
    // so because an `isolated deinit` crashes the release compiler (Swift 6.3, cross-module).
    nonisolated(unsafe) var state: amqp_connection_state_t?
    let channel: amqp_channel_t = 1
    /// How many connections have been made; deliveries carry it.
    public private(set) var generation = 0

    // What to set up again after a reconnect.
    var topology = AMQPTopology()
    var confirmsWanted = false
    var consumerSetup: (queue: String, prefetch: UInt16, noAck: Bool)?

    // Publisher confirms: tag -> index of the message in the batch being published.
    var nextPublishTag: UInt64 = 1
    var unconfirmed: [UInt64: Int] = [:]
    var pendingReturn: AMQPPublishOutcome?
    var settled: [(index: Int, outcome: AMQPPublishOutcome?)] = []
    var bufferedDeliveries: [AMQPDelivery] = []
    private var keepAlive: Task<Void, Never>?

    /// Creates the connection object; nothing is dialled until `connect()` or the first operation.
    public init(configuration: AMQPConfiguration, name: String, logger: Logger = Logger(label: "amqp")) {
        self.configuration = configuration
        self.name = name
        self.executor = ThreadExecutor(name: "amqp-\(name)")
        var logger = logger
        logger[metadataKey: "amqp.connection"] = .string(name)
        self.logger = logger
    }

    deinit {
        keepAlive?.cancel()
        if let state {
            amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
            amqp_destroy_connection(state)
        }
        executor.shutdown()
    }

    /// Whether a connection is open right now.
    public var isConnected: Bool { state != nil }

    /// Opens the connection and channel, unless open, and replays the remembered set-up.
    public func connect() throws(AMQPError) {
        guard state == nil else { return }
        guard let conn = amqp_new_connection() else { throw .connectionLost("out of memory") }
        do {
            try open(conn)
        } catch {
            amqp_destroy_connection(conn)
            throw error
        }
        // From here the connection is `state`'s: a failing check destroys it through `disconnect()`,
        // which is idempotent; destroying `conn` again here would free it twice.
        state = conn
        generation += 1
        nextPublishTag = 1
        unconfirmed.removeAll()
        pendingReturn = nil
        bufferedDeliveries.removeAll()
        do {
            try applySetup()
        } catch {
            disconnect()
            throw error
        }
        startKeepAlive()
        logger.debug("connected", metadata: ["generation": "\(generation)", "broker": "\(configuration.redacted)"])
    }

    private func open(_ conn: amqp_connection_state_t) throws(AMQPError) {
        guard let socket = amqp_tcp_socket_new(conn) else { throw .connectionLost("cannot create a socket") }
        let (seconds, attoseconds) = configuration.connectTimeout.components
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        let status = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &timeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            let reason = status == AMQP_STATUS_SOCKET_ERROR.rawValue
                ? TCPDiagnosis.reason(host: configuration.host, port: configuration.port)
                : String(cString: amqp_error_string2(status))
            throw .connectionRefused(host: configuration.host, port: configuration.port, reason: reason)
        }
        let login = utilis_amqp_login_plain(
            conn, configuration.virtualHost, 0, 131_072, Int32(configuration.heartbeat),
            configuration.user, configuration.password)
        if login.reply_type != AMQP_RESPONSE_NORMAL {
            let reason = Self.describe(login)
            throw .accessRefused(user: configuration.user, virtualHost: configuration.virtualHost, reason: reason)
        }
        amqp_channel_open(conn, channel)
        try Self.check(amqp_get_rpc_reply(conn), "opening the channel", on: conn)
    }

    private func applySetup() throws(AMQPError) {
        try declareNow(topology)
        if confirmsWanted {
            amqp_confirm_select(state, channel)
            try check("enabling publisher confirms")
        }
        if let setup = consumerSetup { try startConsumerNow(setup) }
    }

    /// Declares exchanges, queues and bindings, and remembers them for reconnects.
    /// A declare that fails is forgotten, so that a refused one is not replayed on every reconnect.
    public func declare(_ topology: AMQPTopology) throws(AMQPError) {
        let before = self.topology
        self.topology = self.topology.merged(with: topology)
        do {
            if state == nil { try connect() } else { try declareNow(topology) }
        } catch {
            self.topology = before
            throw error
        }
    }

    private func declareNow(_ topology: AMQPTopology) throws(AMQPError) {
        for exchange in topology.exchanges {
            let arena = CArena()
            amqp_exchange_declare(
                state, channel, arena.bytes(exchange.name), arena.bytes(exchange.kind.rawValue), 0, 1, 0, 0,
                amqp_empty_table)
            try check("declaring exchange \(exchange.name)")
        }
        for queue in topology.queues {
            if queue.replaceable {
                try declareReplacing(queue)
                continue
            }
            let arena = CArena()
            amqp_queue_declare(
                state, channel, arena.bytes(queue.name), 0, queue.durable ? 1 : 0, 0, 0, arena.table(queue.arguments))
            try check("declaring queue \(queue.name)")
        }
        for binding in topology.bindings {
            let arena = CArena()
            amqp_queue_bind(
                state, channel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
                arena.bytes(binding.routingKey), amqp_empty_table)
            try check("binding \(binding.queue) to \(binding.exchange) with \(binding.routingKey)")
        }
    }

    /// Deletes a queue (used by tests and benchmarks to clean up). Returns how many messages it held.
    @discardableResult
    public func deleteQueue(_ name: String) throws(AMQPError) -> UInt32 {
        try connect()
        let arena = CArena()
        let ok = amqp_queue_delete(state, channel, arena.bytes(name), 0, 0)
        try check("deleting queue \(name)")
        topology.queues.removeAll { $0.name == name }
        topology.bindings.removeAll { $0.queue == name }
        return ok?.pointee.message_count ?? 0
    }

    /// Removes every message from a queue. Returns how many there were.
    @discardableResult
    public func purgeQueue(_ name: String) throws(AMQPError) -> UInt32 {
        try connect()
        let arena = CArena()
        let ok = amqp_queue_purge(state, channel, arena.bytes(name))
        try check("purging queue \(name)")
        return ok?.pointee.message_count ?? 0
    }

    /// How many ready messages and consumers a queue has (a passive declare).
    public func queueStatus(_ name: String) throws(AMQPError) -> (messages: UInt32, consumers: UInt32) {
        try connect()
        let arena = CArena()
        let ok = amqp_queue_declare(state, channel, arena.bytes(name), 1, 0, 0, 0, amqp_empty_table)
        try check("inspecting queue \(name)")
        return (ok?.pointee.message_count ?? 0, ok?.pointee.consumer_count ?? 0)
    }

    /// Closes the connection politely; later operations reconnect.
    public func close() {
        keepAlive?.cancel()
        keepAlive = nil
        guard let state else { return }
        amqp_channel_close(state, channel, Int32(AMQP_REPLY_SUCCESS))
        amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
        amqp_destroy_connection(state)
        self.state = nil
        consumerSetup = nil
    }

    /// Drops a broken connection without the closing handshake.
    func disconnect() {
        guard let state else { return }
        amqp_destroy_connection(state)
        self.state = nil
        unconfirmed.removeAll()
        bufferedDeliveries.removeAll()
    }

    // rabbitmq-c answers heartbeats only while it is inside one of its read calls, so an idle
    // connection is serviced now and then.
    private func startKeepAlive() {
        guard keepAlive == nil, configuration.heartbeat > 0 else { return }
        let interval = Duration.seconds(max(1, configuration.heartbeat / 3))
        keepAlive = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                await self.serviceIdleConnection()
            }
        }
    }

    private func serviceIdleConnection() {
        guard state != nil else { return }
        do {
            if consumerSetup != nil {
                bufferedDeliveries += try readDeliveries(max: 1024, timeout: .zero)
            } else {
                try readFrames(until: .now)
            }
        } catch {
            logger.warning("connection lost while idle: \(error)")
            disconnect()
        }
    }

    // MARK: - Errors

    func check(_ context: @autoclosure () -> String) throws(AMQPError) {
        guard let state else { throw .closed }
        do {
            try Self.check(amqp_get_rpc_reply(state), context(), on: state)
        } catch {
            disconnect()
            throw error
        }
    }

    static func check(_ reply: amqp_rpc_reply_t, _ context: String, on conn: amqp_connection_state_t) throws(AMQPError) {
        if reply.reply_type == AMQP_RESPONSE_NORMAL { return }
        if reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION {
            if reply.reply.id == UTILIS_AMQP_CHANNEL_CLOSE, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                throw .channelClosed(code: close.reply_code, text: "\(close.reply_text.string) (\(context))")
            }
            if reply.reply.id == UTILIS_AMQP_CONNECTION_CLOSE, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                throw .connectionClosed(code: close.reply_code, text: "\(close.reply_text.string) (\(context))")
            }
        }
        throw .connectionLost("\(context): \(describe(reply))")
    }

    static func describe(_ reply: amqp_rpc_reply_t) -> String {
        if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION {
            return String(cString: amqp_error_string2(reply.library_error))
        }
        if reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION, let decoded = reply.reply.decoded {
            if reply.reply.id == UTILIS_AMQP_CONNECTION_CLOSE {
                let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                return "\(close.reply_code) \(close.reply_text.string)"
            }
            if reply.reply.id == UTILIS_AMQP_CHANNEL_CLOSE {
                let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                return "\(close.reply_code) \(close.reply_text.string)"
            }
        }
        return "no reply from the broker"
    }

    func libraryError(_ status: Int32, _ context: String) -> AMQPError {
        disconnect()
        return .connectionLost("\(context): \(String(cString: amqp_error_string2(status)))")
    }
}
