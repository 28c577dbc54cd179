import AMQP
import Contracts
import Foundation
import Messaging
import Testing
import TestSupport

/// The Ledger as a process's worker: a dispute's hold and decision done as jobs, answered with
/// `complete-job`, and a job it refuses (or whose variables do not make its command) answered
/// with the BPMN error `LEDGER_REFUSED` and the reason, so the process sends it back to a person.
/// In the service tests' suite: every test's service takes `ledger.commands`, one at a time.
extension LedgerServiceTests {
    func job(_ type: String, _ variables: [String: JSONValue], instance: String) -> WorkerJob {
        WorkerJob(
            jobId: UUID().uuidString, type: type, instanceId: instance, processId: "bill-dispute", version: 1, elementId: "hold", businessKey: nil,
            retries: 3, headers: [:], variables: variables)
    }

    @Test func aDisputeIsHeldAndDecidedAsJobsAndARefusalIsABPMNError() async throws {
        try await withLedger { ledger in
            let answers = TestEnvironment.uniqueName("ledger-job-answers")
            try await ledger.broker.declare(AMQPTopology(
                exchanges: [.init(name: Exchanges.commands, kind: .direct)],
                queues: [.init(name: answers, arguments: ["x-queue-type": .string("quorum")])],
                bindings: [
                    .init(queue: answers, exchange: Exchanges.commands, routingKey: CompleteJob.routingKey),
                    .init(queue: answers, exchange: Exchanges.commands, routingKey: ThrowError.routingKey),
                ]))
            func answer() async throws -> AMQPDelivery {
                var delivery: AMQPDelivery?
                try await eventually("the job's answer") {
                    delivery = try await ledger.broker.get(queue: answers)
                    return delivery != nil
                }
                try await ledger.broker.ack(delivery!)
                return delivery!
            }
            try await ledger.send(OpenAccount(code: "revenue:electricity:E-RES-1", currency: "IRR", name: "Revenue"))
            try await ledger.send(OpenSubscriptionAccounts(subscriptionNumber: s1, customerNumber: "C-90000001-1", currency: "IRR"))
            try await eventually("the accounts are open") { (try? await ledger.ask(GetBalance(subscriptionNumber: s1))) != nil }
            try await ledger.send(PostBillCharges(charges: [charge("B1", s1, 1_000)]))
            let instance = UUID().uuidString.lowercased()
            let hold: [String: JSONValue] = [
                "subscriptionNumber": .string(s1), "billId": .string("B1"), "amount": .object(["amount": .number(400), "currency": .string("IRR")]),
                "valueDate": .string("2026-10-05"), "reason": .string("read twice"), "customerName": .string("Rezaei"),
            ]
            // Variables that do not make the command: an error for the process, not a dead letter.
            var broken = hold
            broken["amount"] = .string("four hundred")
            try await ledger.publish(job(OpenDispute.routingKey, broken, instance: instance))
            var delivery = try await answer()
            #expect(delivery.properties.type == ThrowError.type)
            let malformed = try JSONDecoder().decode(ThrowError.self, from: Data(delivery.body))
            #expect(malformed.code == "LEDGER_REFUSED" && (malformed.message ?? "").contains("variables.amount"))
            // More than is open: refused by the rules, with the reason.
            var tooMuch = hold
            tooMuch["amount"] = .object(["amount": .number(5_000), "currency": .string("IRR")])
            try await ledger.publish(job(OpenDispute.routingKey, tooMuch, instance: instance))
            delivery = try await answer()
            #expect(delivery.properties.type == ThrowError.type)
            #expect((try JSONDecoder().decode(ThrowError.self, from: Data(delivery.body)).message ?? "").contains("less than 5000"))
            // The hold, under the instance's id, and the decision.
            try await ledger.publish(job(OpenDispute.routingKey, hold, instance: instance))
            delivery = try await answer()
            #expect(delivery.properties.type == CompleteJob.type)
            #expect(try await ledger.ask(GetDispute(disputeId: "DSP-\(instance)")).amount.amount == 400)
            try await ledger.publish(job(ResolveDispute.routingKey, [
                "decision": .string("rejected"), "valueDate": .string("2026-10-12"), "reason": .string("readings confirmed"), "approvedBy": .string("user:omid"),
            ], instance: instance))
            delivery = try await answer()
            #expect(delivery.properties.type == CompleteJob.type)
            #expect(try await ledger.ask(GetDispute(disputeId: "DSP-\(instance)")).status == "rejected")
            #expect(try await ledger.ask(GetBalance(subscriptionNumber: s1)).totals[0].held == 0)
        }
    }
}
