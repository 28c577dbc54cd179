import AMQP
import Foundation
import Testing
import TestSupport

/// A quorum queue with a delivery limit that dead-letters into `<queue>.dead` through the `dead` exchange.
func declareWithDeadQueue(_ queue: String, deliveryLimit: Int, on connection: AMQPConnection) async throws {
    try await connection.declare(
        AMQPTopology(
            exchanges: [.init(name: "dead", kind: .direct)],
            queues: [
                .quorum(queue, deliveryLimit: deliveryLimit, deadLetterExchange: "dead", deadLetterRoutingKey: queue),
                .init(name: "\(queue).dead", arguments: ["x-queue-type": .string("quorum")]),
            ], bindings: [.init(queue: "\(queue).dead", exchange: "dead", routingKey: queue)]))
}

@Suite struct AMQPConnectionTests {
    func scratchQueue(_ connection: AMQPConnection, _ name: String) async throws {
        try await connection.declare(
            AMQPTopology(queues: [.quorum(name, deliveryLimit: 2, deadLetterExchange: "", deadLetterRoutingKey: "\(name).dead")]))
    }

    @Test func publishedMessagesAreConfirmedAndArriveWithTheirProperties() async throws {
        let amqp = try TestEnvironment.amqp
        let queue = TestEnvironment.uniqueName("amqp-roundtrip")
        let publisher = AMQPConnection(configuration: amqp, name: "publisher")
        let consumer = AMQPConnection(configuration: amqp, name: "consumer")
        try await scratchQueue(publisher, queue)
        let messages = (0..<2000).map { index in
            AMQPOutgoingMessage(
                exchange: "", routingKey: queue,
                properties: AMQPProperties(
                    messageId: "m-\(index)", correlationId: "c-\(index)", type: "test.thing.v1", timestamp: 1_764_000_000,
                    contentType: "application/json",
                    headers: ["actor": .string("clerk-7"), "attempt": .int(Int64(index)), "flags": .array([.bool(true), .string("x")])]),
                body: Array("{\"n\":\(index)}".utf8))
        }
        let outcomes = try await publisher.publish(messages)
        #expect(outcomes.count == 2000)
        #expect(outcomes.allSatisfy { $0 == .confirmed })
        #expect(try await publisher.queueStatus(queue).messages == 2000)

        try await consumer.consume(queue: queue, prefetch: 300)
        var received: [AMQPDelivery] = []
        while received.count < 2000 {
            let batch = try await consumer.nextDeliveries(max: 256, timeout: .seconds(5))
            try #require(!batch.isEmpty, "deliveries stopped after \(received.count)")
            try await consumer.ack(batch.last!, multiple: true)
            received += batch
        }
        #expect(received.map(\.properties.messageId) == messages.map(\.properties.messageId))
        let sample = received[1234]
        #expect(sample.body == Array("{\"n\":1234}".utf8))
        #expect(sample.properties.correlationId == "c-1234")
        #expect(sample.properties.type == "test.thing.v1")
        #expect(sample.properties.timestamp == 1_764_000_000)
        #expect(sample.properties.persistent)
        #expect(sample.properties.headers["actor"] == .string("clerk-7"))
        #expect(sample.properties.headers["attempt"]?.intValue == 1234)
        #expect(sample.properties.headers["flags"] == .array([.bool(true), .string("x")]))
        try await eventually("acks reach the broker") { try await publisher.queueStatus(queue).messages == 0 }
        try await publisher.deleteQueue(queue)
    }

    @Test func aMandatoryMessageWithNoQueueComesBackAsReturned() async throws {
        let publisher = AMQPConnection(configuration: try TestEnvironment.amqp, name: "returns")
        try await publisher.declare(AMQPTopology(exchanges: [.init(name: "commands", kind: .direct)]))
        let queue = TestEnvironment.uniqueName("bound")
        try await scratchQueue(publisher, queue)
        try await publisher.declare(AMQPTopology(bindings: [.init(queue: queue, exchange: "commands", routingKey: queue)]))
        let outcomes = try await publisher.publish([
            AMQPOutgoingMessage(exchange: "commands", routingKey: "nobody.listens-here", properties: .init(), body: [1], mandatory: true),
            AMQPOutgoingMessage(exchange: "commands", routingKey: queue, properties: .init(), body: [2], mandatory: true),
            AMQPOutgoingMessage(exchange: "commands", routingKey: "nobody.either", properties: .init(), body: [3], mandatory: false),
        ])
        #expect(outcomes[0] == .returned(code: 312, text: "NO_ROUTE"))
        #expect(outcomes[1] == .confirmed)
        #expect(outcomes[2] == .confirmed)
        try await publisher.deleteQueue(queue)
    }

    @Test func errorsNameTheirCause() async throws {
        var wrongPassword = try TestEnvironment.amqp
        wrongPassword.password = "not-the-password"
        do {
            try await AMQPConnection(configuration: wrongPassword, name: "bad").connect()
            Issue.record("a wrong password was accepted")
        } catch {
            guard case .accessRefused(let user, let vhost, _) = error else { throw error }
            #expect(user == "utilis")
            #expect(vhost == "utilis")
        }

        var closedPort = try TestEnvironment.amqp
        closedPort.port = 1
        do {
            try await AMQPConnection(configuration: closedPort, name: "refused").connect()
            Issue.record("connecting to a closed port succeeded")
        } catch {
            guard case .connectionRefused(_, 1, let reason) = error else { throw error }
            #expect(reason.lowercased().contains("refused"))
        }

        let connection = AMQPConnection(configuration: try TestEnvironment.amqp, name: "missing-queue")
        do {
            _ = try await connection.queueStatus("no-such-queue-\(UUID())")
            Issue.record("a missing queue was found")
        } catch {
            guard case .channelClosed(let code, let text) = error else { throw error }
            #expect(code == 404)
            #expect(text.contains("NOT_FOUND"))
        }
        // A close that comes while confirms are awaited: its text is read before the connection is freed.
        let exchange = TestEnvironment.uniqueName("no-such-exchange")
        do {
            _ = try await connection.publish([AMQPOutgoingMessage(exchange: exchange, routingKey: "x", properties: .init(), body: [1])])
            Issue.record("publishing to a missing exchange was confirmed")
        } catch {
            guard case .channelClosed(let code, let text) = error else { throw error }
            #expect(code == 404)
            #expect(text.contains("no exchange '\(exchange)'"))
        }
        // The connection recovers for the next operation.
        let queue = TestEnvironment.uniqueName("after-error")
        try await scratchQueue(connection, queue)
        #expect(try await connection.queueStatus(queue).messages == 0)
        try await connection.deleteQueue(queue)
    }

    @Test func aMessageThatAlwaysFailsIsDeadLetteredAtTheDeliveryLimit() async throws {
        let connection = AMQPConnection(configuration: try TestEnvironment.amqp, name: "limit")
        let queue = TestEnvironment.uniqueName("limited")
        try await declareWithDeadQueue(queue, deliveryLimit: 2, on: connection)
        _ = try await connection.publish([
            AMQPOutgoingMessage(exchange: "", routingKey: queue, properties: .init(messageId: "poison"), body: Array("x".utf8))
        ])
        let consumer = AMQPConnection(configuration: try TestEnvironment.amqp, name: "limit-consumer")
        try await consumer.consume(queue: queue, prefetch: 10)
        var deliveries = 0
        while deliveries < 10 {
            let batch = try await consumer.nextDeliveries(max: 1, timeout: .seconds(1))
            guard let delivery = batch.first else { break }
            deliveries += 1
            try await consumer.nack(delivery, requeue: true)
        }
        #expect(deliveries == 3)
        try await eventually("the message reaches the dead queue") { try await connection.queueStatus("\(queue).dead").messages == 1 }
        let dead = try #require(try await connection.get(queue: "\(queue).dead"))
        #expect(dead.properties.messageId == "poison")
        guard case .array(let deaths) = dead.properties.headers["x-death"], case .table(let death) = deaths.first else {
            Issue.record("no x-death header")
            return
        }
        #expect(death["reason"] == .string("delivery_limit"))
        try await connection.ack(dead)
        await consumer.close()
        try await connection.deleteQueue(queue)
        try await connection.deleteQueue("\(queue).dead")
    }
}

@Suite struct AMQPDeliveriesTests {
    @Test func aQueueReadsAsAnAsyncSequenceAndRejectedMessagesAreDeadLettered() async throws {
        let amqp = try TestEnvironment.amqp
        let setup = AMQPConnection(configuration: amqp, name: "sequence-setup")
        let queue = TestEnvironment.uniqueName("sequence")
        try await declareWithDeadQueue(queue, deliveryLimit: 5, on: setup)
        _ = try await setup.publish((0..<10).map {
            AMQPOutgoingMessage(exchange: "", routingKey: queue, properties: .init(messageId: "m-\($0)"), body: [UInt8($0)])
        })
        let consumer = AMQPConnection(configuration: amqp, name: "sequence")
        var seen: [String] = []
        for try await delivery in consumer.deliveries(queue: queue, prefetch: 4) {
            seen.append(delivery.properties.messageId ?? "")
            if delivery.body == [3] { try await consumer.reject(delivery, requeue: false) } else { try await consumer.ack(delivery) }
            if seen.count == 10 { break }
        }
        #expect(seen == (0..<10).map { "m-\($0)" })
        try await eventually("the rejected message is dead-lettered") { try await setup.queueStatus("\(queue).dead").messages == 1 }
        #expect(try await setup.get(queue: "\(queue).dead")?.properties.messageId == "m-3")
        await consumer.close()
        try await setup.deleteQueue(queue)
        try await setup.deleteQueue("\(queue).dead")
    }
}
