import AMQP
import Contracts
import Foundation
import Postgres

/// A message a handler sends: it becomes an outbox row in the handler's transaction and is
/// published after commit.
public struct OutgoingMessage: Sendable {
    public var envelope: Envelope
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    /// Commands must reach a queue: the broker returns them when none is bound.
    public var mandatory: Bool

    public init(envelope: Envelope, exchange: String, routingKey: String, body: [UInt8], mandatory: Bool) {
        self.envelope = envelope
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.mandatory = mandatory
    }

    /// A contract message, routed by its kind: commands and queries to `commands`, events to `events`.
    /// - Parameters:
    ///   - service: for contracts shared by every service (`{service}`), the one meant.
    ///   - body: the message already encoded, by a hand-written encoder of a hot path.
    public static func contract<M: MessageContract>(
        _ message: M, service: String? = nil, causedBy cause: InboundMessage? = nil, actor: String? = nil,
        correlationId: String? = nil, messageId: UUID = .timeOrdered(), body: [UInt8]? = nil
    ) throws -> OutgoingMessage {
        let owner = M.service == "{service}" ? (service ?? M.service) : M.service
        let envelope = Envelope(
            messageId: messageId, correlationId: correlationId ?? cause?.envelope.correlationId, type: "\(owner).\(M.name).v\(M.version)",
            causationId: cause?.envelope.messageId.lowercasedText, actor: actor ?? cause?.envelope.actor,
            traceparent: cause?.envelope.traceparent)
        let exchange = M.kind == .event ? Exchanges.events : Exchanges.commands
        return OutgoingMessage(
            envelope: envelope, exchange: exchange, routingKey: "\(owner).\(M.name)", body: try body ?? JSONBody.encode(message),
            mandatory: M.kind == .command)
    }

    var amqpMessage: AMQPOutgoingMessage {
        AMQPOutgoingMessage(
            exchange: exchange, routingKey: routingKey, properties: envelope.properties(), body: body, mandatory: mandatory)
    }
}
