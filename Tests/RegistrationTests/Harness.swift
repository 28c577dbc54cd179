import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// The Registration service as a real process on the test broker and a fresh database, with
/// queues that catch its events and the orchestrator commands its jobs answer with.
struct RunningRegistration: ServiceUnderTest {
    let process: ChildProcess
    let broker: AMQPConnection
    let amqp: AMQPConfiguration
    let database: PostgresConfiguration
    /// Registration's events, and the orchestrator commands its jobs answer with.
    let events: String
    let replies: String
    var commandActor: String { "system:crm" }

    /// The next message on `queue`, with its causation id.
    func next(on queue: String) async throws -> AMQPDelivery {
        var delivery: AMQPDelivery?
        try await eventually("a message on \(queue)") {
            delivery = try await broker.get(queue: queue)
            while let forged = delivery, TestEnvironment.isForged(forged) {
                try await broker.ack(forged)
                delivery = try await broker.get(queue: queue)
            }
            return delivery != nil
        }
        try await broker.ack(delivery!)
        return delivery!
    }

    func next<M: MessageContract>(_ type: M.Type, on queue: String) async throws -> (M, causation: String?) {
        let delivery = try await next(on: queue)
        #expect(delivery.properties.type == M.type, "\(String(decoding: delivery.body, as: UTF8.self))")
        return (try JSONDecoder().decode(M.self, from: Data(delivery.body)), delivery.properties.headers["causation-id"]?.stringValue)
    }

    func stop() async {
        process.signal(SIGTERM)
        _ = await process.wait(timeout: .seconds(30))
        await broker.close()
    }

}

func startRegistration() async throws -> RunningRegistration {
    let amqp = try TestEnvironment.amqp
    let database = try await TestEnvironment.freshDatabase("registration")
    let broker = AMQPConnection(configuration: amqp, name: "registration-test")
    let events = TestEnvironment.uniqueName("registration-events"), replies = TestEnvironment.uniqueName("job-answers")
    try await broker.declare(AMQPTopology(
        exchanges: [.init(name: Exchanges.events, kind: .topic), .init(name: Exchanges.commands, kind: .direct)],
        queues: [.init(name: events, arguments: ["x-queue-type": .string("quorum")]), .init(name: replies, arguments: ["x-queue-type": .string("quorum")])],
        bindings: [
            .init(queue: events, exchange: Exchanges.events, routingKey: "registration.*"),
            .init(queue: replies, exchange: Exchanges.commands, routingKey: CompleteJob.routingKey),
            .init(queue: replies, exchange: Exchanges.commands, routingKey: ThrowError.routingKey),
        ]))
    _ = try? await broker.purgeQueue("registration.commands")
    let port = 19_000 + Int.random(in: 6000..<7000)
    let process = try ChildProcess(
        TestEnvironment.executable("Registration"),
        environment: TestEnvironment.serviceVariables(amqp: amqp, database: database).merging(["UTILIS_HTTP_PORT": "\(port)"]) { $1 })
    try await eventually("registration is ready", timeout: .seconds(60)) { (try? await httpGet(port: port, path: "/health"))?.status == 200 }
    return RunningRegistration(process: process, broker: broker, amqp: amqp, database: database, events: events, replies: replies)
}

