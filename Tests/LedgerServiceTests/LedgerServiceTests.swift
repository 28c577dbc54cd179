import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// The Ledger service end to end over the real broker and database: accounts opened from other
/// services' events, bills charged and paid in batches, balances and statements asked for,
/// disputes held and resolved, and the check that proves the books balance.
@Suite(.serialized) struct LedgerServiceTests {
    // Numbers Registration's tests never reach: their subscriptions' events reach this queue too.
    let s1 = "S-90000001-1"
    let s2 = "S-90000002-2"

    @Test func billsArePaidOldestFirstAndTheBooksBalance() async throws {
        try await withLedger { ledger in
            try await ledger.publish(event: tariffCreated())
            try await ledger.publish(event: subscriptionCreated(s1))
            try await ledger.publish(event: subscriptionCreated(s2, customer: "C-90000002-2"))
            try await eventually("the accounts are open") { (try? await ledger.ask(GetBalance(subscriptionNumber: s2))) != nil }
            try await ledger.send(PostBillCharges(charges: [
                charge("B1", s1, 1_000, vat: 100, issued: "2026-08-01", due: "2026-08-15"), charge("B2", s1, 500, issued: "2026-10-01", due: "2026-10-15"),
                charge("B3", s2, 700),
            ]))
            let charged = try await ledger.next(BalanceChanged.self)
            #expect(Set(charged.balances.map(\.subscriptionNumber)) == [s1, s2])
            try await ledger.send(RecordPayments(payments: [payment("P1", s1, 1_300, on: "2026-10-20")]))
            let received = try await ledger.next(PaymentReceived.self)
            #expect(received.settled == [BillSettlement(billId: "B1", amount: 1_100), BillSettlement(billId: "B2", amount: 200)])
            #expect(received.customerNumber == "C-90000001-1")
            #expect(received.credited == 0)

            let balance = try await ledger.ask(GetBalance(subscriptionNumber: s1, asOf: "2026-11-01"))
            #expect(balance.subscriptions.map(\.balance) == [LedgerBalance(currency: "IRR", due: 300, overdue: 300, held: 0, credit: 0, deposit: 0)])
            let items = try await ledger.ask(GetOpenItems(subscriptionNumber: s1))
            #expect(items.items.map(\.billId) == ["B2"])
            #expect(items.items.map(\.open) == [300])

            let statement = try await ledger.ask(GetStatement(subscriptionNumber: s1, from: "2026-09-01", to: "2026-12-31"))
            #expect(statement.opening == 1_100)
            #expect(statement.lines.map(\.entryId) == ["bill:B2", "payment:P1"])
            #expect(statement.lines.map(\.balance) == [1_600, 300])
            #expect(statement.closing == 300)

            let ageing = try await ledger.ask(GetAgeing(asOf: "2026-11-20"))
            #expect(ageing.entries == [AgeingReport.Entry(currency: "IRR", ageing: Ageing(days31to60: 1_000))])
            let debtors = try await ledger.ask(FindDebtors(asOf: "2026-11-20"))
            #expect(debtors.debtors.map(\.customerNumber) == ["C-90000002-2", "C-90000001-1"])
            #expect(debtors.debtors.map(\.overdue) == [700, 300])

            let check = try await ledger.ask(CheckLedger())
            #expect(check.sound, "\(check)")
            #expect(check.entries == 4)
            #expect(check.postings == 3 + 2 + 2 + 2)
        }
    }

    @Test func aDisputeHoldsTheAmountUntilItIsDecided() async throws {
        try await withLedger { ledger in
            try await ledger.publish(event: tariffCreated())
            try await ledger.publish(event: subscriptionCreated(s1))
            try await eventually("the accounts are open") { (try? await ledger.ask(GetBalance(subscriptionNumber: s1))) != nil }
            try await ledger.send(PostBillCharges(charges: [charge("B1", s1, 1_000, vat: 100)]))
            // The bill is charged before it is disputed (two consumers could take them the other way round).
            _ = try await ledger.next(BalanceChanged.self)
            try await ledger.send(OpenDispute(
                disputeId: "D1", subscriptionNumber: s1, billId: "B1", amount: Money(amount: 440, currency: "IRR"), valueDate: "2026-10-05", reason: "read twice"))
            let opened = try await ledger.next(DisputeOpened.self)
            #expect(opened.amount.amount == 440)
            #expect(try await ledger.ask(GetBalance(subscriptionNumber: s1, asOf: "2026-10-06")).totals[0].held == 440)
            #expect(try await ledger.ask(GetAgeing(asOf: "2026-10-20")).entries[0].ageing.total == 660)
            try await ledger.send(ResolveDispute(
                disputeId: "D1", decision: .accepted, acceptedAmount: 220, lines: nil, valueDate: "2026-10-12", reason: "half was a duplicate", approvedBy: "user:maryam"))
            let resolved = try await ledger.next(DisputeResolved.self)
            #expect(resolved.accepted == 220)
            #expect(resolved.released == 220)
            let balance = try await ledger.ask(GetBalance(subscriptionNumber: s1, asOf: "2026-10-13"))
            #expect(balance.totals[0].due == 880)
            #expect(balance.totals[0].held == 0)
            #expect(try await ledger.ask(GetDispute(disputeId: "D1")).status == "accepted")
            let statement = try await ledger.ask(GetStatement(subscriptionNumber: s1, from: "2026-10-01", to: "2026-10-31"))
            #expect(statement.lines.map(\.held) == [0, 440, -440])
            #expect(statement.closing == 880)
            #expect(try await ledger.ask(CheckLedger()).sound)
        }
    }

    @Test func everyCommandSentAgainLeavesOneEffect() async throws {
        try await withLedger { ledger in
            try await ledger.publish(event: tariffCreated())
            try await ledger.publish(event: subscriptionCreated(s1))
            try await eventually("the accounts are open") { (try? await ledger.ask(GetBalance(subscriptionNumber: s1))) != nil }
            let commands: [any MessageContract] = [
                PostBillCharges(charges: [charge("B1", s1, 1_000), charge("B2", s1, 2_000, issued: "2026-11-01", due: "2026-11-15")]),
                RecordPayments(payments: [payment("P1", s1, 1_500)]),
                TakeDeposit(depositId: "DEP1", subscriptionNumber: s1, channel: .cashDesk, amount: Money(amount: 5_000, currency: "IRR"), valueDate: "2026-10-01"),
                OpenDispute(disputeId: "D1", subscriptionNumber: s1, billId: "B2", amount: Money(amount: 100, currency: "IRR"), valueDate: "2026-11-02", reason: "x"),
                ResolveDispute(disputeId: "D1", decision: .rejected, acceptedAmount: nil, lines: nil, valueDate: "2026-11-03", reason: "bill stands", approvedBy: "user:maryam"),
                Adjust(
                    adjustmentId: "A1", subscriptionNumber: s1, note: .credit, currency: "IRR", lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 300)],
                    billId: "B2", valueDate: "2026-11-04", dueDate: nil, reason: "misread", approvedBy: "user:maryam"),
                WriteOff(writeOffId: "W1", subscriptionNumber: s1, billId: "B2", amount: Money(amount: 50, currency: "IRR"), valueDate: "2026-11-05", reason: "small balance", approvedBy: "user:maryam"),
                ReverseEntry(reversalId: "X1", entryId: "payment:P1", valueDate: "2026-11-06", reason: "bounced", approvedBy: "user:maryam"),
            ]
            // Each command delivered twice under one message id (the broker's redelivery) and sent
            // again under a new one (a client's retry).
            for command in commands {
                let id = UUID()
                try await ledger.sendAny(command, messageId: id)
                try await ledger.sendAny(command, messageId: id)
                try await ledger.sendAny(command, messageId: UUID())
                try await ledger.drained()
            }
            let check = try await ledger.ask(CheckLedger())
            #expect(check.sound, "\(check)")
            #expect(check.entries == 9)
            let balance = try await ledger.ask(GetBalance(subscriptionNumber: s1, asOf: "2026-11-10"))
            // 3,000 billed, less the 300 note and the 50 written off; the payment was reversed.
            #expect(balance.totals == [LedgerBalance(currency: "IRR", due: 2_650, overdue: 1_000, held: 0, credit: 0, deposit: 5_000)])
        }
    }

    @Test func badInputIsRefusedWithItsFieldAndChangesNothing() async throws {
        try await withLedger { ledger in
            try await ledger.publish(event: tariffCreated())
            try await ledger.publish(event: subscriptionCreated(s1))
            try await eventually("the accounts are open") { (try? await ledger.ask(GetBalance(subscriptionNumber: s1))) != nil }
            let before = try await ledger.ask(CheckLedger())
            try await ledger.send(RecordPayments(payments: [payment("P1", "S-90000009-9", 100)]))
            #expect(try await ledger.next(LedgerCommandRefused.self).problems.map(\.field) == ["payments[0].subscriptionNumber"])
            try await ledger.send(PostBillCharges(charges: [
                BillCharge(
                    billId: "B1", subscriptionNumber: s1, currency: "IRR", issueDate: "2026-10-01", dueDate: "2026-10-15",
                    lines: [LedgerLine(account: "revenue:electricity:E-RES-1", amount: 100), LedgerLine(account: "tax:vat:IRR", amount: -100)])
            ]))
            #expect(try await ledger.next(LedgerCommandRefused.self).problems.map(\.field) == ["charges[0].lines"])
            try await ledger.send(RecordPayments(payments: [payment("P2", s1, 0), payment("P3", s1, 10, currency: "XYZ")]))
            #expect(try await ledger.next(LedgerCommandRefused.self).problems.map(\.field) == ["payments[0].amount.amount"])
            #expect(try await ledger.next(LedgerCommandRefused.self).problems.map(\.field) == ["payments[1].amount.currency"])
            try await ledger.send(PostBillCharges(charges: [charge("B2", s1, 100), BillCharge(
                billId: "B3", subscriptionNumber: s1, currency: "IRR", issueDate: "2026-10-01", dueDate: "2026-10-15", lines: [LedgerLine(account: "revenue:gas:NONE", amount: 5)])]))
            #expect(try await ledger.next(LedgerCommandRefused.self).problems.map(\.field) == ["charges[1].lines[0].account"])
            // A body that is not a command goes to the dead letters with its field; the service goes on.
            try await ledger.sendRaw(#"{"payments": [{"paymentId": 7}]}"#, type: RecordPayments.type, routingKey: RecordPayments.routingKey)
            try await eventually("the malformed command is dead-lettered") { (try await ledger.broker.queueStatus("ledger.commands.dead").messages) > 0 }
            let dead = try #require(try await ledger.broker.get(queue: "ledger.commands.dead"))
            try await ledger.broker.ack(dead)
            #expect(String(describing: dead.properties.headers).contains("payments[0].paymentId"))
            try await ledger.drained()
            // Only the good bill of the last batch was recorded.
            let after = try await ledger.ask(CheckLedger())
            #expect(after.entries == before.entries + 1)
            #expect(after.sound)
            // The journal cannot be changed, even by hand.
            let db = PostgresConnection(configuration: ledger.database, logger: TestEnvironment.logger)
            await #expect(throws: PostgresError.self) { try await db.query("UPDATE postings SET amount = 1") }
            await #expect(throws: PostgresError.self) { try await db.query("DELETE FROM entries") }
            await db.close()
            #expect(await ledger.refusal(GetBalance(subscriptionNumber: s1, customerNumber: "C-90000001-1")).contains("subscriptionNumber"))
            #expect(await ledger.refusal(GetStatement(subscriptionNumber: s1, from: "2026-13-01", to: "2026-12-01")).contains("from"))
        }
    }

    @Test func manyPaymentsToOneAccountFromSeveralReplicasAreNeitherLostNorDoubled() async throws {
        try await withLedger(replicas: 3) { ledger in
            try await ledger.publish(event: tariffCreated())
            try await ledger.publish(event: subscriptionCreated(s1))
            try await eventually("the accounts are open") { (try? await ledger.ask(GetBalance(subscriptionNumber: s1))) != nil }
            try await ledger.send(PostBillCharges(charges: (1...25).map { charge("B\($0)", s1, 1_000, issued: "2026-01-01", due: "2026-01-\(String(format: "%02d", 1 + $0 % 28))") }))
            // Paid only once charged: a payment a replica takes first would go to credit and be
            // applied to the bills by an entry of its own, and the count below would be one more.
            _ = try await ledger.next(BalanceChanged.self)
            // 300 payments of 100 each, one a message, and every tenth sent twice: enough for the
            // three replicas to race on one account, light enough beside the other suites' tests.
            var payments = (1...300).map { RecordPayments(payments: [payment("P\($0)", s1, 100)]) }
            payments += payments.enumerated().filter { $0.offset % 10 == 0 }.map(\.element)
            try await ledger.sendAll(payments.shuffled())
            try await eventually("every payment is recorded", timeout: .seconds(120)) {
                (try await ledger.ask(GetBalance(subscriptionNumber: s1, asOf: "2026-12-01")).totals.first?.credit ?? 0) == 5_000
            }
            try await ledger.drained()
            let balance = try await ledger.ask(GetBalance(subscriptionNumber: s1, asOf: "2026-12-01"))
            #expect(balance.totals == [LedgerBalance(currency: "IRR", due: 0, overdue: 0, held: 0, credit: 5_000, deposit: 0)])
            let check = try await ledger.ask(CheckLedger())
            #expect(check.sound, "\(check)")
            #expect(check.entries == 25 + 300)
        }
    }
}

extension RunningLedger {
    func sendAny(_ message: any MessageContract, messageId: UUID) async throws {
        func open<M: MessageContract>(_ message: M) async throws { try await send(message, messageId: messageId) }
        try await open(message)
    }
}
