import AMQP
import Contracts
import Foundation
import Logging
import Synchronization

/// Why a query got no answer.
public enum RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No answer within the timeout: no replica is running, or it is too busy.
    case timeout(routingKey: String, after: Duration)
    /// The service answered with an error.
    case failed(String)

    public var description: String {
        switch self {
        case .timeout(let key, let after): "no answer to \(key) within \(after)"
        case .failed(let reason): reason
        }
    }
}

/// Sends queries and waits for their answers over direct reply-to (`amq.rabbitmq.reply-to`),
/// with a timeout. One client per process is enough: requests are matched by correlation id.
public final class RequestClient: Sendable {
    /// The header that carries a service's error answer.
    public static let errorHeader = "x-utilis-error"

    private let connection: AMQPConnection
    private let pending = PendingReplies()
    private let pump = Mutex<Task<Void, Never>?>(nil)
    private let subscribed = Mutex<Task<Void, any Error>?>(nil)
    private let actor: String

    /// - Parameter actor: who asks, recorded on every request.
    public init(amqp: AMQPConfiguration, actor: String, logger: Logger) {
        self.connection = AMQPConnection(configuration: amqp, name: "requests", logger: logger)
        self.actor = actor
    }

    deinit { pump.withLock { $0?.cancel() } }

    /// Asks a contract query of a service and decodes its answer.
    public func ask<Q: QueryContract>(_ query: Q, service: String? = nil, timeout: Duration = .seconds(5)) async throws -> Q.Reply {
        let owner = Q.service == "{service}" ? (service ?? Q.service) : Q.service
        let reply = try await request(
            routingKey: "\(owner).\(Q.name)", type: "\(owner).\(Q.name).v\(Q.version)", body: try JSONBody.encode(query),
            timeout: timeout)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Q.Reply.self, from: Data(reply.body))
    }

    /// Sends a request on the `commands` exchange and returns the answer's delivery.
    public func request(routingKey: String, type: String, body: [UInt8], timeout: Duration) async throws -> AMQPDelivery {
        try await startPump()
        let correlationId = UUID().uuidString.lowercased()
        let envelope = Envelope(correlationId: correlationId, type: type, actor: actor, replyTo: "amq.rabbitmq.reply-to")
        var properties = envelope.properties(persistent: false)
        // A request nobody takes in time is dropped by the broker instead of answered too late.
        properties.expiration = String(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let message = AMQPOutgoingMessage(exchange: Exchanges.commands, routingKey: routingKey, properties: properties, body: body)
        let timer = Task { [pending] in
            try? await Task.sleep(for: timeout)
            pending.take(correlationId)?.resume(
                throwing: RequestError.timeout(routingKey: routingKey, after: timeout))
        }
        defer { timer.cancel() }
        let reply = try await withCheckedThrowingContinuation { continuation in
            pending.add(correlationId, continuation)
            Task {
                do {
                    try await connection.send(message)
                } catch {
                    pending.take(correlationId)?.resume(throwing: error)
                }
            }
        }
        if let failure = reply.properties.headers[Self.errorHeader]?.stringValue { throw RequestError.failed(failure) }
        return reply
    }

    /// Subscribes to the direct reply-to once, however many requests start at the same moment
    /// (a second subscription on the channel is a channel error), then reads the answers.
    private func startPump() async throws {
        let starting = subscribed.withLock { current -> Task<Void, any Error> in
            if let current { return current }
            let task = Task { [connection, pending] in
                try await connection.consume(queue: "amq.rabbitmq.reply-to", prefetch: 0, noAck: true)
                self.pump.withLock { $0 = Task { await Self.readAnswers(connection, pending) } }
            }
            current = task
            return task
        }
        do {
            try await starting.value
        } catch {
            subscribed.withLock { if $0 == starting { $0 = nil } }
            throw error
        }
    }

    private static func readAnswers(_ connection: AMQPConnection, _ pending: PendingReplies) async {
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                pending.tick()
            }
        }
        defer { heartbeat.cancel() }
        var wakes = pending.wakes.makeAsyncIterator()
        while !Task.isCancelled {
            // A request is sent on the connection's one thread: a long wait here for answers
            // would hold each request back by as long. So: short reads while answers are due;
            // while none is, asleep until a request starts or the second's heartbeat read.
            if !pending.isWaiting, await wakes.next() == nil { return }
            do {
                for delivery in try await connection.nextDeliveries(max: 64, timeout: .milliseconds(1)) {
                    guard let id = delivery.properties.correlationId else { continue }
                    pending.take(id)?.resume(returning: delivery)
                }
            } catch {
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Stops waiting for answers and closes the connection.
    public func close() async {
        pump.withLock { $0?.cancel() }
        await connection.close()
    }
}

/// Requests waiting for their answers, by correlation id.
final class PendingReplies: Sendable {
    private let waiting = Mutex<[String: CheckedContinuation<AMQPDelivery, any Error>]>([:])
    /// Wakes the reader when a request starts (and once a second, for heartbeats): an idle
    /// client sleeps instead of polling, which cost a service more than its work.
    let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init() { (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1)) }

    func add(_ id: String, _ continuation: CheckedContinuation<AMQPDelivery, any Error>) {
        waiting.withLock { $0[id] = continuation }
        wake.yield()
    }

    func tick() { wake.yield() }

    var isWaiting: Bool { waiting.withLock { !$0.isEmpty } }

    func take(_ id: String) -> CheckedContinuation<AMQPDelivery, any Error>? {
        waiting.withLock { $0.removeValue(forKey: id) }
    }
}
