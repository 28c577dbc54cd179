import AMQP
import Contracts
import Foundation
import Messaging
import Testing
import TestSupport

@Suite struct RequestReplyTests {
    @Test func aQueryIsAnsweredAndAFailureComesBackAsAnError() async throws {
        let harness = try await Harness.make("query")
        try await harness.pool.withConnection { db in
            try await db.query("INSERT INTO readings VALUES (gen_random_uuid(), 'EM-1', 5), (gen_random_uuid(), 'EM-1', 7)")
        }
        let running = Running()
        running.start(
            QueryResponder(topology: harness.topology, amqp: harness.amqp, logger: TestEnvironment.logger) { message in
                let meter = try message.decode([String: String].self)["meter"] ?? ""
                guard meter.hasPrefix("EM-") else { throw MessageRejected(field: "meter", "'\(meter)' is not a meter serial") }
                let total = try await harness.pool.withConnection {
                    try await $0.query("SELECT coalesce(sum(value), 0) FROM readings WHERE meter = $1", [meter]).scalar(Int.self)
                }
                return try JSONBody.encode(["total": total])
            })
        defer { Task { await running.stopAll() } }

        let client = RequestClient(amqp: harness.amqp, actor: "clerk-1", logger: TestEnvironment.logger)
        let key = "\(harness.service).reading-count"
        let type = "\(harness.service).reading-count.v1"
        try await eventually("the responder is consuming") { try await harness.broker.queueStatus(harness.topology.queryQueue).consumers == 1 }
        let reply = try await client.request(routingKey: key, type: type, body: Array(#"{"meter":"EM-1"}"#.utf8), timeout: .seconds(5))
        #expect(String(decoding: reply.body, as: UTF8.self) == #"{"total":12}"#)

        // Many at once, each matched to its own answer.
        let totals = try await withThrowingTaskGroup(of: String.self) { group in
            for meter in ["EM-1", "EM-2", "EM-1", "EM-3"] {
                group.addTask {
                    let reply = try await client.request(routingKey: key, type: type, body: Array(#"{"meter":"\#(meter)"}"#.utf8), timeout: .seconds(5))
                    return meter + "=" + String(decoding: reply.body, as: UTF8.self)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }.sorted()
        }
        #expect(totals == [#"EM-1={"total":12}"#, #"EM-1={"total":12}"#, #"EM-2={"total":0}"#, #"EM-3={"total":0}"#])

        await #expect(throws: RequestError.failed("meter: 'X-9' is not a meter serial")) {
            _ = try await client.request(routingKey: key, type: type, body: Array(#"{"meter":"X-9"}"#.utf8), timeout: .seconds(5))
        }
        await client.close()
    }

    @Test func aQueryNobodyAnswersTimesOut() async throws {
        let harness = try await Harness.make("silent")
        let client = RequestClient(amqp: harness.amqp, actor: "clerk-1", logger: TestEnvironment.logger)
        let started = ContinuousClock.now
        await #expect(throws: RequestError.timeout(routingKey: "\(harness.service).reading-count", after: .milliseconds(300))) {
            _ = try await client.request(
                routingKey: "\(harness.service).reading-count", type: "\(harness.service).reading-count.v1", body: Array("{}".utf8),
                timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - started < .seconds(3))
        // The request expired in the queue instead of waiting there for a responder.
        try await eventually("the expired request is gone") { try await harness.broker.queueStatus(harness.topology.queryQueue).messages == 0 }
        await client.close()
    }
}
