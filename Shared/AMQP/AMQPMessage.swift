import Foundation

/// The AMQP basic properties that the project uses.
public struct AMQPProperties: Sendable, Equatable {
    public var messageId: String?
    public var correlationId: String?
    public var type: String?
    /// Seconds since 1970, as AMQP carries it.
    public var timestamp: UInt64?
    public var contentType: String?
    public var replyTo: String?
    public var appId: String?
    public var expiration: String?
    public var persistent: Bool
    public var headers: AMQPTable

    public init(
        messageId: String? = nil, correlationId: String? = nil, type: String? = nil, timestamp: UInt64? = nil,
        contentType: String? = nil, replyTo: String? = nil, appId: String? = nil, expiration: String? = nil,
        persistent: Bool = true, headers: AMQPTable = [:]
    ) {
        self.messageId = messageId
        self.correlationId = correlationId
        self.type = type
        self.timestamp = timestamp
        self.contentType = contentType
        self.replyTo = replyTo
        self.appId = appId
        self.expiration = expiration
        self.persistent = persistent
        self.headers = headers
    }
}

/// A message to publish.
public struct AMQPOutgoingMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var properties: AMQPProperties
    public var body: [UInt8]
    /// Ask the broker to return the message when no queue is bound for its routing key.
    public var mandatory: Bool

    public init(exchange: String, routingKey: String, properties: AMQPProperties, body: [UInt8], mandatory: Bool = false) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.properties = properties
        self.body = body
        self.mandatory = mandatory
    }
}

/// What became of a published message once the broker confirmed it.
public enum AMQPPublishOutcome: Sendable, Equatable {
    /// Stored by the broker (on every queue it was routed to).
    case confirmed
    /// Confirmed, but no queue was bound for it: the broker returned it (only for `mandatory`).
    case returned(code: UInt16, text: String)
}

/// A message received from a queue.
public struct AMQPDelivery: Sendable {
    public var deliveryTag: UInt64
    public var redelivered: Bool
    public var exchange: String
    public var routingKey: String
    public var properties: AMQPProperties
    public var body: [UInt8]
    /// Which connection the tag belongs to: after a reconnect, old tags are void.
    public var connectionGeneration: Int

    public init(
        deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String, properties: AMQPProperties,
        body: [UInt8], connectionGeneration: Int
    ) {
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.exchange = exchange
        self.routingKey = routingKey
        self.properties = properties
        self.body = body
        self.connectionGeneration = connectionGeneration
    }

    /// How often the broker delivered this message before (quorum queues count it in `x-delivery-count`).
    public var previousDeliveries: Int { Int(properties.headers["x-delivery-count"]?.intValue ?? (redelivered ? 1 : 0)) }
}
