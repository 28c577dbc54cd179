import AMQP
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

@Suite struct ConsumerTests {
    @Test func eachCommandHasOneEffectAndOneEventEvenWhenSentTwice() async throws {
        let harness = try await Harness.make("once")
        let running = Running()
        running.start(harness.consumer())
        running.start(harness.relay())
        defer { Task { await running.stopAll() } }

        let commands = (0..<300).map { harness.command(#"{"meter":"EM-\#($0)","value":\#($0)}"#, correlationId: "case-\($0)") }
        // 50 of them arrive a second time, as an at-least-once sender may do.
        let outcomes = try await harness.broker.publish(commands + commands.prefix(50))
        #expect(outcomes.allSatisfy { $0 == .confirmed })

        let events = try await harness.takeEvents(300)
        #expect(events.count == 300)
        #expect(try await harness.count("SELECT count(*) FROM readings") == 300)
        #expect(try await harness.count("SELECT count(*) FROM inbox") == 300)
        #expect(try await harness.count("SELECT count(*) FROM outbox") == 0)

        let first = try #require(events.first { $0.properties.correlationId == "case-7" })
        #expect(first.properties.type == "\(harness.service).reading-recorded.v1")
        #expect(first.properties.headers["causation-id"]?.stringValue == commands[7].properties.messageId?.lowercased())
        #expect(first.properties.headers["actor"]?.stringValue == "mdm-system")
        #expect(first.properties.persistent)
        #expect(String(decoding: first.body, as: UTF8.self) == #"{"meter":"EM-7","value":7}"#)
        try await eventually("the command queue is empty") { try await harness.broker.queueStatus(harness.topology.commandQueue).messages == 0 }
    }

    @Test func poisonMessagesAreDeadLetteredWithTheirReasonWhileGoodOnesFlow() async throws {
        let harness = try await Harness.make("poison")
        let running = Running()
        running.start(harness.consumer())
        running.start(harness.relay())
        defer { Task { await running.stopAll() } }

        var messages = (0..<100).map { harness.command(#"{"meter":"EM-\#($0)","value":1}"#) }
        messages.insert(harness.command(#"{"meter":"EM-x","value":1}"#, messageId: nil), at: 10)
        messages.insert(harness.command(#"{"meter":"EM-y","value":1}"#, messageId: "not-a-uuid"), at: 20)
        messages.insert(harness.command(#"{"meter":"EM-z","value":"#), at: 30)
        messages.insert(harness.command(#"{"meter":"EM-w"}"#), at: 40)
        messages.insert(harness.command(#"{"meter":"EM-v","value":-5}"#), at: 50)
        messages.insert(harness.command(#"{"meter":"EM-u","value":2}"#, type: "garbage"), at: 60)
        _ = try await harness.broker.publish(messages)

        _ = try await harness.takeEvents(100)
        #expect(try await harness.count("SELECT count(*) FROM readings") == 100)
        let deadQueue = "\(harness.topology.commandQueue).dead"
        try await eventually("six dead letters") { try await harness.broker.queueStatus(deadQueue).messages == 6 }
        let letters = try await DeadLetters.list(deadQueue: deadQueue, connection: harness.broker)
        let reasons = letters.map(\.reason).sorted()
        #expect(reasons == [
            "envelope: message_id: 'not-a-uuid' is not a UUID",
            "envelope: message_id: is missing",
            "envelope: type: 'garbage' is not of the form <service>.<name>.v<N>",
            "rejected: body: is not valid JSON at byte 24: unexpected end",
            "rejected: value: is required",
            "rejected: value: must not be negative",
        ])
        #expect(letters.allSatisfy { $0.queue == harness.topology.commandQueue && $0.routingKey == "\(harness.service).record-reading" })
        // Listing does not remove them.
        try await eventually("the listed letters are back") { try await harness.broker.queueStatus(deadQueue).messages == 6 }
    }

    @Test func aHandlerThatKeepsFailingDeadLettersAfterTheLimitAndReplayRecovers() async throws {
        let harness = try await Harness.make("failing", deliveryLimit: 3)
        try await harness.pool.withConnection { try await $0.query("INSERT INTO broken_meters VALUES ('EM-BAD')") }
        let running = Running()
        running.start(harness.consumer())
        running.start(harness.relay())
        defer { Task { await running.stopAll() } }

        let bad = harness.command(#"{"meter":"EM-BAD","value":9}"#)
        _ = try await harness.broker.publish([bad] + (0..<20).map { harness.command(#"{"meter":"EM-\#($0)","value":1}"#) })
        _ = try await harness.takeEvents(20)
        let deadQueue = "\(harness.topology.commandQueue).dead"
        try await eventually("the failing message is dead") { try await harness.broker.queueStatus(deadQueue).messages == 1 }
        let letter = try #require(try await DeadLetters.list(deadQueue: deadQueue, connection: harness.broker).first)
        #expect(letter.messageId == bad.properties.messageId)
        #expect(letter.reason == "failed 3 times, last: meter EM-BAD is out of order")

        // The meter is repaired; the operator replays the dead letter and it is handled.
        try await harness.pool.withConnection { try await $0.query("DELETE FROM broken_meters") }
        let publisher = AMQPConnection(configuration: harness.amqp, name: "replay")
        let replayed = try await DeadLetters.replay(
            deadQueue: deadQueue, messageIds: [bad.properties.messageId!], connection: harness.broker, publisher: publisher)
        #expect(replayed.map(\.messageId) == [bad.properties.messageId])
        _ = try await harness.takeEvents(1)
        #expect(try await harness.count("SELECT count(*) FROM readings WHERE meter = 'EM-BAD'") == 1)
        #expect(try await harness.broker.queueStatus(deadQueue).messages == 0)
    }
}
