import Contracts
import Foundation
import Reporting
import Testing

/// What events change in the read model, before any database.
@Suite struct ReadModelTests {
    func event<M: MessageContract>(_ message: M, at: Date = Date(timeIntervalSince1970: 1_790_000_000)) throws -> ReportedEvent {
        ReportedEvent(messageId: UUID().uuidString, type: M.type, body: Array(try JSONEncoder().encode(message)), at: at)
    }

    @Test func aTaskCreatedAssignedAndCompletedInOneBatchIsOneRowAsTheLastEventLeftIt() throws {
        var created = TaskCreated.example
        created.taskId = "T-1"
        created.candidateGroups = ["registration-clerk", "supervisor"]
        let changes = try ReadModel.changes([
            try event(created),
            try event(TaskAssigned(taskId: "T-1", instanceId: created.instanceId, elementId: created.elementId, assignee: "maryam", actor: "user:ali", at: "2026-12-01T09:00:00Z")),
            try event(TaskCompleted(taskId: "T-1", instanceId: created.instanceId, elementId: created.elementId, actor: "user:maryam", at: "2026-12-01T10:00:00Z", variables: [:])),
        ])
        let rows = try #require(changes.rows(of: .tasks))
        #expect(rows.keys == ["T-1"])
        let row = try #require(rows.columns["T-1"])
        #expect(row["status"] == "completed")
        #expect(row["assignee"] == "maryam")
        #expect(row["ended_by"] == "maryam")
        #expect(row["group_name"] == "registration-clerk")
        #expect(row["created_at"] == "2026-09-21T14:13:20.000Z")
    }

    @Test func paymentsSettleTheirBillsAndABillsEntriesAreEachARow() throws {
        var issued = BillIssued.example
        var second = issued.bills[0]
        second.billId = "B2026-0000124"
        issued.bills.append(second)
        let payment = PaymentReceived(
            payment: Payment(paymentId: "P-1", subscriptionNumber: second.subscriptionNumber, channel: .bank, amount: Money(amount: 5_000, currency: "IRR"), valueDate: "2026-11-10", reference: "r"),
            customerNumber: nil, settled: [BillSettlement(billId: "B2026-0000124", amount: 5_000)], credited: 0)
        let changes = try ReadModel.changes([try event(issued), try event(payment)])
        #expect(changes.rows(of: .bills)?.keys == [issued.bills[0].billId, "B2026-0000124"])
        #expect(changes.settlements.map(\.billId) == ["B2026-0000124"])
        #expect(changes.rows(of: .payments)?.columns["P-1"]?["channel"] == "bank")
    }

    @Test func anUnreadableEventNamesItsField() throws {
        let broken = ReportedEvent(messageId: "m", type: BillCancelled.type, body: Array(#"{"subscriptionNumber":"S-1","reason":"x","approvedBy":"omid"}"#.utf8), at: Date())
        #expect(throws: UnreadableEvent.self) { try ReadModel.changes([broken]) }
        do {
            _ = try ReadModel.changes([broken])
        } catch {
            #expect(error.field == "billId")
        }
        #expect(ReadModel.follows(BillIssued.type) && !ReadModel.follows(RunCompleted.type))
    }
}
