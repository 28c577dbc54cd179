import AMQP
import Contracts
import Foundation
import Messaging

/// A service running as a real process in a test, on the test broker: what every service's
/// harness does to it (commands and jobs in, queries asked) in one place. A harness gives its
/// broker connection, broker settings and the actor its commands are sent as.
public protocol ServiceUnderTest: Sendable {
    var broker: AMQPConnection { get }
    var amqp: AMQPConfiguration { get }
    /// Who the test's commands come from, unless a call says otherwise.
    var commandActor: String { get }
}

/// The broker did not take a message the test sent.
public struct NotConfirmed: Error, CustomStringConvertible {
    public let outcomes: [AMQPPublishOutcome]
    public var description: String { "the broker did not confirm the message: \(outcomes)" }
}

extension ServiceUnderTest {
    /// Sends a command as a client would, and fails unless the broker confirms it.
    public func send<M: MessageContract>(_ message: M, actor: String? = nil, messageId: UUID = UUID()) async throws {
        try await publish(
            AMQPOutgoingMessage(
                exchange: Exchanges.commands, routingKey: M.routingKey,
                properties: Envelope(messageId: messageId, type: M.type, actor: actor ?? commandActor).properties(), body: try JSONBody.encode(message),
                mandatory: true))
    }

    /// A body that is not the command it says it is.
    public func sendRaw(_ body: String, type: String, routingKey: String) async throws {
        _ = try await broker.publish([
            AMQPOutgoingMessage(
                exchange: Exchanges.commands, routingKey: routingKey, properties: Envelope(type: type, actor: commandActor).properties(),
                body: Array(body.utf8), mandatory: true)
        ])
    }

    /// A job as the orchestrator sends it: to the job type's routing key, typed `<job type>.v1`.
    public func publish(_ job: WorkerJob) async throws {
        try await publish(
            AMQPOutgoingMessage(
                exchange: Exchanges.commands, routingKey: job.type, properties: Envelope(type: "\(job.type).v1", actor: "process:\(job.processId)").properties(),
                body: try JSONBody.encode(job), mandatory: true))
    }

    /// An event of another service, as it publishes it, at a moment of the test's choosing;
    /// marked forged, so that service's own tests skip it.
    public func publish<M: MessageContract>(event: M, at timestamp: Date = Date()) async throws {
        try await publish(
            AMQPOutgoingMessage(
                exchange: Exchanges.events, routingKey: M.routingKey,
                properties: Envelope(type: M.type, timestamp: timestamp, actor: TestEnvironment.forgedEventActor).properties(), body: try JSONBody.encode(event),
                mandatory: false))
    }

    func publish(_ message: AMQPOutgoingMessage) async throws {
        let outcomes = try await broker.publish([message])
        guard outcomes == [.confirmed] else { throw NotConfirmed(outcomes: outcomes) }
    }

    /// The next message of type `M` on a queue of the test's, skipping (and acknowledging) others.
    public func next<M: MessageContract>(_ type: M.Type, on queue: String, timeout: Duration) async throws -> M {
        var found: M?
        try await eventually("a \(M.type)", timeout: timeout) {
            while let delivery = try await broker.get(queue: queue) {
                try await broker.ack(delivery)
                if delivery.properties.type == M.type {
                    found = try JSONDecoder().decode(M.self, from: Data(delivery.body))
                    return true
                }
            }
            return false
        }
        return found!
    }

    public func ask<Q: QueryContract>(_ query: Q) async throws -> Q.Reply {
        try await RequestClient(amqp: amqp, actor: "test", logger: TestEnvironment.logger).ask(query, timeout: .seconds(30))
    }

    /// The error a query is answered with; empty if it is answered.
    public func refusal<Q: QueryContract>(_ query: Q) async -> String {
        do {
            _ = try await ask(query)
            return ""
        } catch { return "\(error)" }
    }
}
