import AMQP
import Contracts
import Foundation

/// A received message with its envelope.
public struct InboundMessage: Sendable {
    public let envelope: Envelope
    public let routingKey: String
    public let body: [UInt8]
    let delivery: AMQPDelivery

    init(delivery: AMQPDelivery) throws(MessageRejected) {
        self.envelope = try Envelope(properties: delivery.properties)
        self.routingKey = delivery.routingKey
        self.body = delivery.body
        self.delivery = delivery
    }

    /// Decodes the JSON body. A body that does not fit is rejected with the path of the field.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws(MessageRejected) -> T {
        do {
            return try JSONBody.decode(T.self, from: body)
        } catch let error as DecodingError {
            throw MessageRejected(decoding: error)
        } catch {
            throw MessageRejected(field: nil, "body is not valid JSON: \(error)")
        }
    }
}

extension MessageRejected {
    /// The field path and reason of a JSON decoding failure.
    public init(decoding error: DecodingError) {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.isEmpty ? "body" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context): self.init(field: path(context, key), "is required")
        case .typeMismatch(let type, let context): self.init(field: path(context), "must be \(Self.name(of: type))")
        case .valueNotFound(let type, let context): self.init(field: path(context), "must be \(Self.name(of: type)), not null")
        case .dataCorrupted(let context):
            // An empty coding path means the bytes are not JSON at all.
            if let syntax = context.underlyingError as? JSONSyntaxError {
                self.init(field: "body", "is not valid JSON at byte \(syntax.offset): \(syntax.reason)")
            } else {
                self.init(field: path(context), context.codingPath.isEmpty ? "body is not valid JSON" : context.debugDescription)
            }
        @unknown default: self.init("body cannot be decoded")
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Decimal.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)".hasPrefix("Array") ? "a list" : "an object"
        }
    }
}
