/// The AsyncAPI 3.0 document of the system's queues and messages, generated from `Catalog`.
public enum AsyncAPI {
    /// The envelope headers every message carries (besides the AMQP properties).
    static let envelopeHeaders = JSONSchema.object(
        properties: [
            "causation-id": .string(format: .uuid), "actor": .string(minLength: 1), "traceparent": .string(pattern: "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"),
        ], required: ["actor"], additionalProperties: true)

    static let envelopeDescription = """
        Every message is a JSON body (content type application/json) with AMQP properties \
        message_id (a UUID, the idempotency key: a consumer handles each message_id once), correlation_id, \
        type (<service>.<name>.v<N>), timestamp and persistent delivery, and the headers causation-id, \
        actor (the employee or system that caused it) and traceparent (W3C trace context). \
        Commands go to the direct exchange `commands` with routing key <service>.<command>, into the quorum \
        queue <service>.commands; events to the topic exchange `events` as <service>.<event>, into each \
        subscriber's <service>.events; queries to the classic queue <service>.queries with reply_to the asking \
        client's reply queue, not persistent, expiring with the client's timeout. \
        Each queue dead-letters into the exchange `dead`, queue <queue>.dead, with the reason in the header \
        x-utilis-reason; the quorum queues after a delivery limit.
        """

    /// The document, as canonical JSON value.
    public static func document(version: String = "1.0.0") -> JSONValue {
        var channels: [String: JSONValue] = [:]
        var operations: [String: JSONValue] = [:]
        var messages: [String: JSONValue] = [:]
        for contract in Catalog.messages {
            let type = contract.type
            let exchange: (name: String, kind: String) =
                switch contract.kind {
                case .command: ("commands", "direct")
                case .event: ("events", "topic")
                case .query: ("commands", "direct")
                }
            let key = contract.routingKey
            let queue =
                switch contract.kind {
                case .command: "\(contract.service).commands"
                case .query: "\(contract.service).queries"
                case .event: "(each subscriber's <service>.events)"
                }
            messages[type] = .object([
                "name": .string(type),
                "title": .string(contract.name),
                "summary": .string(contract.summary),
                "contentType": .string("application/json"),
                "headers": envelopeHeaders.document,
                "payload": contract.schema.document,
                "examples": .array([.object(["payload": (try? JSONValue.of(contract.example)) ?? .null])]),
                "bindings": .object(["amqp": .object(["messageType": .string(type), "bindingVersion": .string("0.3.0")])]),
            ])
            var channel: [String: JSONValue] = [
                "address": .string(key),
                "description": .string("\(contract.kind.rawValue) \(key), consumed from \(queue)"),
                "messages": .object([type: .object(["$ref": .string("#/components/messages/\(type)")])]),
                "bindings": .object([
                    "amqp": .object([
                        "is": .string("routingKey"),
                        "exchange": .object([
                            "name": .string(exchange.name), "type": .string(exchange.kind), "durable": .bool(true),
                            "autoDelete": .bool(false), "vhost": .string("utilis"),
                        ]),
                        "bindingVersion": .string("0.3.0"),
                    ])
                ]),
            ]
            if key.contains("{service}") {
                channel["parameters"] = .object([
                    "service": .object([
                        "description": .string("The service asked; every service answers."),
                        "enum": .array(Catalog.services.map { .string($0) }),
                    ])
                ])
            }
            channels[key] = .object(channel)
            let action = contract.kind == .event ? "receive" : "send"
            operations["\(action)-\(type)"] = .object([
                "action": .string(action),
                "channel": .object(["$ref": .string("#/channels/\(key)")]),
                "messages": .array([.object(["$ref": .string("#/channels/\(key)/messages/\(type)")])]),
            ])
        }
        return .object([
            "asyncapi": .string("3.0.0"),
            "info": .object([
                "title": .string("Utilis messaging"), "version": .string(version),
                "description": .string(envelopeDescription),
            ]),
            "defaultContentType": .string("application/json"),
            "servers": .object([
                "local": .object([
                    "host": .string("127.0.0.1:5672"), "protocol": .string("amqp"),
                    "protocolVersion": .string("0.9.1"), "pathname": .string("/utilis"),
                ])
            ]),
            "channels": .object(channels),
            "operations": .object(operations),
            "components": .object(["messages": .object(messages)]),
        ])
    }
}
