import AMQP
import Contracts
import Foundation
import Logging
import Postgres
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

/// Sends queries and waits for their answers, with a timeout. One client per process is
/// enough: answers are matched to requests by correlation id.
///
/// Requests go out on one connection and answers come back on another, to a reply queue of the
/// client's own. Direct reply-to (`amq.rabbitmq.reply-to`) would need both on one channel, and
/// rabbitmq-c cannot send while it waits for a frame: the reader then had to poll in short reads
/// that every request waited behind, and that spun two cores while answers were due.
public final class RequestClient: Sendable {
    /// The header that carries a service's error answer.
    public static let errorHeader = "x-utilis-error"
    /// How long the broker keeps the reply queue of a client that has gone away.
    static let replyQueueExpiry: Int64 = 60_000

    private let requests: AMQPConnection
    private let replies: AMQPConnection
    /// Where this client's answers arrive.
    private let replyQueue: String
    private let pending = PendingReplies()
    private let reader = Mutex<Task<Void, Never>?>(nil)
    private let subscribed = Mutex<Task<Void, any Error>?>(nil)
    private let actor: String

    /// - Parameter actor: who asks, recorded on every request.
    public init(amqp: AMQPConfiguration, actor: String, logger: Logger) {
        self.requests = AMQPConnection(configuration: amqp, name: "requests", logger: logger)
        self.replies = AMQPConnection(configuration: amqp, name: "replies", logger: logger)
        self.replyQueue = "replies.\(UUID().lowercasedText)"
        self.actor = actor
    }

    deinit { reader.withLock { $0?.cancel() } }

    /// Asks a contract query of a service and decodes its answer.
    public func ask<Q: QueryContract>(_ query: Q, service: String? = nil, timeout: Duration = .seconds(5)) async throws -> Q.Reply {
        let owner = Q.service == "{service}" ? (service ?? Q.service) : Q.service
        let reply = try await request(
            routingKey: "\(owner).\(Q.name)", type: "\(owner).\(Q.name).v\(Q.version)", body: try JSONBody.encode(query),
            timeout: timeout)
        return try JSONBody.decode(Q.Reply.self, from: reply.body)
    }

    /// Sends a request on the `commands` exchange and returns the answer's delivery.
    public func request(routingKey: String, type: String, body: [UInt8], timeout: Duration) async throws -> AMQPDelivery {
        try await startReader()
        let correlationId = UUID().lowercasedText
        let envelope = Envelope(correlationId: correlationId, type: type, actor: actor, replyTo: replyQueue)
        var properties = envelope.properties(persistent: false)
        // A request nobody takes in time is dropped by the broker instead of answered too late.
        properties.expiration = String(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let message = AMQPOutgoingMessage(exchange: Exchanges.commands, routingKey: routingKey, properties: properties, body: body)
        // Expected before it is sent: the answer may come back before this task waits for it.
        pending.expect(correlationId)
        let timer = Task { [pending] in
            try? await Task.sleep(for: timeout)
            pending.fail(correlationId, RequestError.timeout(routingKey: routingKey, after: timeout))
        }
        defer { timer.cancel() }
        do {
            try await requests.send(message)
        } catch {
            pending.forget(correlationId)
            throw error
        }
        let reply = try await pending.wait(correlationId)
        if let failure = reply.properties.headers[Self.errorHeader]?.stringValue { throw RequestError.failed(failure) }
        return reply
    }

    /// Declares the reply queue and subscribes to it once, however many requests start at the
    /// same moment, then reads the answers.
    private func startReader() async throws {
        let starting = subscribed.withLock { current -> Task<Void, any Error> in
            if let current { return current }
            let task = Task { [replies, replyQueue, pending] in
                // Not durable, and removed by the broker a minute after its client is gone.
                try await replies.declare(AMQPTopology(queues: [
                    .init(name: replyQueue, arguments: ["x-expires": .int(Self.replyQueueExpiry)], durable: false)
                ]))
                try await replies.consume(queue: replyQueue, prefetch: 0, noAck: true)
                self.reader.withLock { $0 = Task { await Self.readAnswers(replies, pending) } }
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
        while !Task.isCancelled {
            // The connection only reads, so a long wait holds nothing back: an answer ends it at once.
            do {
                for delivery in try await connection.nextDeliveries(max: 64, timeout: .seconds(1)) {
                    guard let id = delivery.properties.correlationId else { continue }
                    pending.deliver(id, delivery)
                }
            } catch {
                // The next read reconnects, with the reply queue declared and consumed again.
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Stops waiting for answers and closes the connections.
    public func close() async {
        reader.withLock { $0?.cancel() }
        await requests.close()
        await replies.close()
    }
}

/// Requests waiting for their answers, by correlation id. A request is expected before it is
/// sent, so an answer that arrives before its request waits is kept for it; an answer nobody
/// expects (its request timed out) is dropped.
final class PendingReplies: Sendable {
    private enum Slot {
        case expected
        case waiting(CheckedContinuation<AMQPDelivery, any Error>)
        case arrived(AMQPDelivery)
        case failed(any Error)
    }

    private let slots = Mutex<[String: Slot]>([:])

    func expect(_ id: String) { slots.withLock { $0[id] = .expected } }

    func forget(_ id: String) { _ = slots.withLock { $0.removeValue(forKey: id) } }

    /// The answer, once it is there, or the failure recorded for the request.
    func wait(_ id: String) async throws -> AMQPDelivery {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<AMQPDelivery, any Error>? = slots.withLock { slots in
                switch slots[id] {
                case .expected:
                    slots[id] = .waiting(continuation)
                    return nil
                case .arrived(let delivery):
                    slots[id] = nil
                    return .success(delivery)
                case .failed(let error):
                    slots[id] = nil
                    return .failure(error)
                case .waiting, nil:
                    return .failure(RequestError.failed("request \(id) is not pending"))
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    func deliver(_ id: String, _ delivery: AMQPDelivery) {
        settle(id, with: .success(delivery))
    }

    func fail(_ id: String, _ error: any Error) {
        settle(id, with: .failure(error))
    }

    /// The first outcome of a request wins; a later one finds it gone and is dropped.
    private func settle(_ id: String, with outcome: Result<AMQPDelivery, any Error>) {
        let waiter: CheckedContinuation<AMQPDelivery, any Error>? = slots.withLock { slots in
            switch slots[id] {
            case .expected:
                switch outcome {
                case .success(let delivery): slots[id] = .arrived(delivery)
                case .failure(let error): slots[id] = .failed(error)
                }
                return nil
            case .waiting(let continuation):
                slots[id] = nil
                return continuation
            case .arrived, .failed, nil:
                return nil
            }
        }
        waiter?.resume(with: outcome)
    }
}
