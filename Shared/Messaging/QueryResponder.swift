import AMQP
import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// Answers a service's queries (`<service>.queries`). Queries only read, so there is no inbox:
/// each is answered as it comes, on the reply-to address, with its correlation id.
public final class QueryResponder: Service, Sendable {
    /// Returns the JSON body of the answer; a thrown error is answered as an error.
    public typealias Handler = @Sendable (InboundMessage) async throws -> [UInt8]

    private let topology: ServiceTopology
    private let amqp: AMQPConfiguration
    private let handler: Handler
    private let logger: Logger
    private let readiness: Readiness?
    private let stopping = Atomic<Bool>(false)

    public init(
        topology: ServiceTopology, amqp: AMQPConfiguration, logger: Logger, readiness: Readiness? = nil,
        handler: @escaping Handler
    ) {
        self.topology = topology
        self.readiness = readiness
        readiness?.expect(topology.queryQueue)
        self.amqp = amqp
        self.handler = handler
        var logger = logger
        logger[metadataKey: "queue"] = .string(topology.queryQueue)
        self.logger = logger
    }

    public func run() async throws {
        let connection = AMQPConnection(configuration: amqp, name: "queries", logger: logger)
        await withGracefulShutdownHandler {
            await ConsumeLoop.run(
                connection: connection, topology: topology.amqp, queue: topology.queryQueue, prefetch: 64, batchSize: 64,
                stopping: stopping, readiness: readiness, logger: logger
            ) { deliveries in
                for delivery in deliveries { try await answer(delivery, on: connection) }
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
        await connection.close()
    }

    /// Asks the responder to stop, as a graceful shutdown does.
    public func stop() { stopping.store(true, ordering: .relaxed) }

    private func answer(_ delivery: AMQPDelivery, on connection: AMQPConnection) async throws {
        guard let replyTo = delivery.properties.replyTo else {
            logger.warning("query without reply_to dropped", metadata: ["type": "\(delivery.properties.type ?? "-")"])
            try await connection.ack(delivery)
            return
        }
        var properties = AMQPProperties(
            messageId: UUID().lowercasedText, correlationId: delivery.properties.correlationId,
            type: delivery.properties.type.map { $0.replacingOccurrences(of: ".v", with: ".reply.v") },
            timestamp: UInt64(Date().timeIntervalSince1970), contentType: "application/json", persistent: false)
        var body: [UInt8] = []
        do {
            let message = try InboundMessage(delivery: delivery)
            body = try await handler(message)
        } catch {
            properties.headers[RequestClient.errorHeader] = .string("\(error)")
        }
        try await connection.send(AMQPOutgoingMessage(exchange: "", routingKey: replyTo, properties: properties, body: body))
        try await connection.ack(delivery)
    }
}
