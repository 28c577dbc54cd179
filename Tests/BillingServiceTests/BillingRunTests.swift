import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// Runs that are repeated or lose a Billing process half-way, readings that validation holds
/// back for review, and input that is wrong.
extension BillingServiceTests {
    /// `count` subscriptions as an import brings them, on 30 September.
    func importSubscriptions(_ billing: RunningBilling, count: Int) async throws -> [String] {
        try await billing.publish(event: TariffCreated(tariff: tariff, version: residential(), actor: "user:tariff.manager", reason: "test"))
        let numbers = (0..<count).map { "S-8\(String(format: "%07d", $0))-0" }
        let entries = numbers.enumerated().map { index, number in
            CustomersImported.Entry(
                reference: "LEGACY-\(index)", customerNumber: "C-8\(String(format: "%07d", index))-0",
                subscriptions: [
                    CustomersImported.Entry.Subscription(
                        subscriptionNumber: number, servicePointNumber: "SP-8\(String(format: "%07d", index))-0", premisesNumber: "P-8\(String(format: "%07d", index))-0",
                        utility: .electricity, region: "TEHRAN", useType: .residential, tariffCode: tariff.code, billingCycle: "T1", startDate: "2019-04-01",
                        manufacturer: "Afzar Azma", serialNumber: "RUN-\(index)", dials: 6, multiplier: 1, readings: [RegisterReading(register: "total", index: 1_000)])
                ], problems: [])
        }
        try await billing.publish(event: CustomersImported(entries: entries), at: ISO8601DateFormatter().date(from: Self.installedAt)!)
        try await billing.drained()
        try await billing.send(RecordReadings(readings: (0..<count).map { reading("R-\($0)", "RUN-\($0)", Double(1_050 + $0 % 40), at: "2026-10-31T09:00:00Z") }))
        #expect(try await billing.next(ReadingsChecked.self).stored == count)
        return numbers
    }

    func storedBills(_ billing: RunningBilling) async throws -> (bills: Int, subscriptions: Int, charges: Int) {
        let db = PostgresConnection(configuration: billing.database, logger: TestEnvironment.logger)
        defer { Task { await db.close() } }
        let row = try await db.query("SELECT count(*), count(DISTINCT subscription_number), coalesce(sum(charges), 0) FROM bills WHERE status = 'issued'")[0]
        return (try row.decode(Int.self, 0), try row.decode(Int.self, 1), try row.decode(Int.self, 2))
    }

    @Test func aRunThatLosesABillingProcessOrIsStartedAgainBillsEachSubscriptionOnce() async throws {
        try await withBilling(replicas: 2, chunk: 12) { billing in
            // Light enough not to starve the other suites running beside it in CI.
            let numbers = try await importSubscriptions(billing, count: 240)
            try await billing.send(StartBillingRun(runId: "T1-2026-10", cycle: "T1", periodEnd: "2026-10-31", issueDate: "2026-11-01"))
            // One replica is killed as the run gets under way; another takes its place.
            try await eventually("the run is under way", timeout: .seconds(60)) { ((try? await billing.ask(GetRun(runId: "T1-2026-10")))?.chunksDone ?? 0) >= 2 }
            billing.billing[0].signal(SIGKILL)
            _ = await billing.billing[0].wait(timeout: .seconds(10))
            try await billing.startBilling()
            let completed = try await billing.next(RunCompleted.self, timeout: .seconds(180))
            #expect((completed.subscriptions, completed.billed, completed.skipped, completed.exceptions) == (240, 240, 0, 0))
            let status = try await billing.ask(GetRun(runId: "T1-2026-10"))
            #expect((status.chunks, status.chunksDone) == (20, 20))
            #expect(status.completedAt != nil)

            // The same run again does nothing; another run of the same period skips every subscription.
            try await billing.send(StartBillingRun(runId: "T1-2026-10", cycle: "T1", periodEnd: "2026-10-31", issueDate: "2026-11-01"))
            try await billing.send(StartBillingRun(runId: "T1-2026-10-again", cycle: "T1", periodEnd: "2026-10-31", issueDate: "2026-11-01"))
            let again = try await billing.next(RunCompleted.self)
            #expect((again.runId, again.billed, again.skipped) == ("T1-2026-10-again", 0, 240))
            try await billing.drained()
            let stored = try await storedBills(billing)
            #expect((stored.bills, stored.subscriptions) == (240, 240))
            #expect(stored.charges == completed.charges.first?.amount)
            let balances = try await billing.ask(GetBalances(subscriptionNumbers: numbers))
            #expect(balances.subscriptions.count == 240)
            #expect(balances.totals.first?.due == stored.charges, "each bill charged once in the ledger")
            #expect(try await billing.ask(CheckLedger()).sound)
        }
    }

    @Test func aReadingFarFromTheAverageWaitsForTheBillingOfficersReview() async throws {
        try await withBilling { billing in
            try await setUp(billing, [("S-90000701-1", "FL-1", 1_000, 6)])
            try await billing.send(RecordReadings(readings: [reading("MDM-1", "FL-1", 1_093, at: "2026-10-31T09:00:00Z")]))
            _ = try await run(billing, "T1-2026-10", to: "2026-10-31", issued: "2026-11-01")
            // 3 kWh a day in October; 900 in November is thirty times that.
            try await billing.send(RecordReadings(readings: [reading("MDM-2", "FL-1", 1_993, at: "2026-11-30T09:00:00Z")]))
            let checked = try await billing.next(ReadingsChecked.self)
            #expect(checked.flagged == [ReadingsChecked.Flagged(readingId: "MDM-2", flags: [.high])])
            let review = try await billing.next(StartProcess.self, on: billing.orchestrator)
            #expect((review.processId, review.businessKey) == ("reading-review", "MDM-2"))
            #expect(review.variables?["previousIndex"] == .number(1_093))
            #expect(review.variables?["flags"] == .string("high"))

            // Until it is decided, the period is estimated.
            _ = try await run(billing, "T1-2026-11", to: "2026-11-30", issued: "2026-12-01")
            #expect(try await bills(billing, of: "S-90000701-1").last?.estimated == true)

            // The officer accepts it, through the process's job.
            try await billing.publish(WorkerJob(
                jobId: "job-1", type: ReadingReview.jobType, instanceId: "instance-1", processId: "reading-review", version: 1, elementId: "apply", businessKey: "MDM-2",
                retries: 3, headers: [:], variables: ["readingId": .string("MDM-2"), "decision": .string("accept"), "note": .string("new heater, customer confirms")]))
            let done = try await billing.next(CompleteJob.self, on: billing.orchestrator)
            #expect(done.jobId == "job-1")
            #expect(done.variables?["readingStatus"] == .string("valid"))
            let readings = try await billing.ask(GetReadings(manufacturer: "Afzar Azma", serialNumber: "FL-1"))
            #expect(readings.readings.first { $0.reading.readingId == "MDM-2" }?.status == .valid)
            // A decision on a reading that is not there goes back to the process as a BPMN error.
            try await billing.publish(WorkerJob(
                jobId: "job-2", type: ReadingReview.jobType, instanceId: "instance-2", processId: "reading-review", version: 1, elementId: "apply", businessKey: nil,
                retries: 3, headers: [:], variables: ["readingId": .string("MDM-404"), "decision": .string("reject")]))
            let refused = try await billing.next(ThrowError.self, on: billing.orchestrator)
            #expect((refused.jobId, refused.code) == ("job-2", "BILLING_REFUSED"))
            #expect(refused.message?.contains("MDM-404") == true)
        }
    }

    @Test func wrongReadingsAreRefusedFieldByFieldAndAMalformedMessageIsDeadLettered() async throws {
        try await withBilling { billing in
            try await setUp(billing, [("S-90000801-1", "BAD-1", 1_000, 4)])
            try await billing.send(RecordReadings(readings: [
                reading("MDM-1", "BAD-1", 1_020, at: "2026-10-31T09:00:00Z"),
                reading("MDM-2", "NO-SUCH", 10, at: "2026-10-31T09:00:00Z"),
                reading("MDM-3", "BAD-1", 12_345, at: "2026-10-31T09:00:00Z"),
                reading("MDM-4", "BAD-1", 1_030, at: "yesterday"),
                reading("MDM-5", "BAD-1", 1_020, at: "2026-10-31T09:00:00Z"),
            ]))
            let checked = try await billing.next(ReadingsChecked.self)
            #expect(checked.stored == 1)
            #expect(checked.duplicates == ["MDM-5"])
            #expect(checked.refused.map(\.field) == ["readings[3].readAt", "readings[1].serialNumber", "readings[2].index"])
            #expect(checked.refused[2].message == "12345.0 does not fit the meter's 4 dials")
            try await billing.send(RecordReadings(readings: [reading("MDM-1", "BAD-1", 1_021, at: "2026-10-31T09:00:00Z")]))
            #expect(try await billing.next(ReadingsChecked.self).refused == [FieldProblem("readings[0].readingId", "MDM-1 is already another reading")])

            try await billing.sendRaw(#"{"readings": "not a list"}"#, type: RecordReadings.type, routingKey: RecordReadings.routingKey)
            try await eventually("the malformed message is dead-lettered", timeout: .seconds(30)) {
                try await billing.broker.queueStatus("billing.commands.dead").messages == 1
            }
            try await billing.send(StartBillingRun(runId: "T1-X", cycle: "T1", periodEnd: "2026-10-31", issueDate: "2026-10-30"))
            let refused = try await billing.next(BillingCommandRefused.self)
            #expect(refused.problems.map(\.field) == ["issueDate"])
            try await billing.send(CancelBill(billId: "B2026-9999999", reason: "test", approvedBy: "user:sara", rebill: false))
            #expect(try await billing.next(BillingCommandRefused.self).problems == [FieldProblem("billId", "there is no bill B2026-9999999")])
        }
    }
}
