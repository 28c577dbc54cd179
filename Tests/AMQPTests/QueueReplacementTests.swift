import AMQP
import Testing
import TestSupport

/// A queue declared before with other arguments: refused with 406 and the process lives on, or,
/// when marked replaceable, replaced while no consumer uses it.
@Suite struct QueueReplacementTests {
    func quorum(_ name: String) -> AMQPTopology {
        AMQPTopology(queues: [.quorum(name, deliveryLimit: 5, deadLetterExchange: "", deadLetterRoutingKey: "\(name).dead")])
    }

    func classic(_ name: String, replaceable: Bool) -> AMQPTopology {
        var queue = AMQPTopology.Queue.classic(name, deadLetterExchange: "", deadLetterRoutingKey: "\(name).dead")
        queue.replaceable = replaceable
        return AMQPTopology(queues: [queue])
    }

    @Test func aRefusedDeclareOnConnectingNamesTheCauseAndTheConnectionServesTheNextCall() async throws {
        let amqp = try TestEnvironment.amqp
        let name = TestEnvironment.uniqueName("refused-declare")
        let setup = AMQPConnection(configuration: amqp, name: "refused-setup")
        try await setup.declare(quorum(name))

        // The declare is the connection's first call, so it fails inside connect(): this freed the
        // rabbitmq-c connection twice and crashed the process.
        let connection = AMQPConnection(configuration: amqp, name: "refused")
        let refused = await #expect(throws: AMQPError.self, "a quorum queue was declared again as a classic one") {
            try await connection.declare(classic(name, replaceable: false))
        }
        guard case .channelClosed(let code, let text) = refused else { throw refused ?? .closed }
        #expect(code == 406)
        #expect(text.contains("x-queue-type"))
        #expect(text.contains(name))
        #expect(try await connection.queueStatus(name).messages == 0)
        try await setup.deleteQueue(name)
        await connection.close()
        await setup.close()
    }

    @Test func aReplaceableQueueOfAnotherTypeIsDeclaredAgainAndKeepsItsBindings() async throws {
        let amqp = try TestEnvironment.amqp
        let name = TestEnvironment.uniqueName("replaceable")
        let setup = AMQPConnection(configuration: amqp, name: "replace-setup")
        try await setup.declare(quorum(name))
        _ = try await setup.publish([AMQPOutgoingMessage(exchange: "", routingKey: name, properties: .init(messageId: "old"), body: [1])])

        let connection = AMQPConnection(configuration: amqp, name: "replacer")
        var topology = classic(name, replaceable: true)
        topology.exchanges = [.init(name: "commands", kind: .direct)]
        topology.bindings = [.init(queue: name, exchange: "commands", routingKey: name)]
        try await connection.declare(topology)

        // It is a classic queue now: declaring it as one, not replaceable, is accepted.
        try await setup.declare(classic(name, replaceable: false))
        #expect(try await setup.queueStatus(name).messages == 0)
        // The binding was declared after the replacement, so routed messages arrive.
        _ = try await setup.publish([AMQPOutgoingMessage(exchange: "commands", routingKey: name, properties: .init(messageId: "new"), body: [2])])
        try await eventually("the routed message arrives") { try await setup.queueStatus(name).messages == 1 }
        #expect(try await connection.get(queue: name)?.properties.messageId == "new")
        // Declared again by the same connection (a reconnect), nothing is replaced.
        try await connection.declare(topology)
        try await setup.deleteQueue(name)
        await connection.close()
        await setup.close()
    }

    @Test func aQueueInUseIsNotReplaced() async throws {
        let amqp = try TestEnvironment.amqp
        let name = TestEnvironment.uniqueName("in-use")
        let older = AMQPConnection(configuration: amqp, name: "older-replica")
        try await older.declare(quorum(name))
        try await older.consume(queue: name, prefetch: 1)

        let newer = AMQPConnection(configuration: amqp, name: "newer-replica")
        let refused = await #expect(throws: AMQPError.self, "a queue with a consumer was deleted") {
            try await newer.declare(classic(name, replaceable: true))
        }
        #expect(refused == .queueInUse(queue: name, consumers: 1))
        // The older replica still consumes from its queue.
        let setup = AMQPConnection(configuration: amqp, name: "in-use-setup")
        _ = try await setup.publish([AMQPOutgoingMessage(exchange: "", routingKey: name, properties: .init(messageId: "still"), body: [3])])
        let delivered = try await older.nextDeliveries(max: 1, timeout: .seconds(5))
        #expect(delivered.map(\.properties.messageId) == ["still"])
        await older.close()
        try await setup.deleteQueue(name)
        await newer.close()
        await setup.close()
    }
}
