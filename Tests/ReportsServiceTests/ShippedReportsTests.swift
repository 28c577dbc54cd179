import AMQP
import Contracts
import Foundation
import Messaging
import Reporting
import Testing
import TestSupport

/// The shipped reports over a small business fed through real events, against what was worked
/// out by hand; the same answers after a rebuild; input off the whitelist refused.
@Suite(.serialized) struct ShippedReportsTests {
    /// Today's day in UTC, moved by some days: the bills' due dates, for the debt's age.
    static func day(_ offset: Int) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    static func moment(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }

    static let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).year!

    /// Four subscriptions of three customers, one terminated.
    func subscriptions(_ reports: RunningReports) async throws {
        let plan: [(String, String, String, UseType, Utility, String)] = [
            ("S-00000001-1", "C-00000001-1", "North", .residential, .electricity, "E-RES"),
            ("S-00000002-2", "C-00000001-1", "North", .commercial, .electricity, "E-COM"),
            ("S-00000003-3", "C-00000002-2", "South", .residential, .water, "W-RES"),
            ("S-00000004-4", "C-00000003-3", "North", .residential, .electricity, "E-RES"),
        ]
        for (number, customer, region, useType, utility, tariff) in plan {
            var event = SubscriptionCreated.example
            (event.subscriptionNumber, event.customerNumber, event.region, event.useType, event.utility, event.tariffCode, event.status) =
                (number, customer, region, useType, utility, tariff, .active)
            try await reports.tell(event)
        }
        try await reports.tell(SubscriptionStatusChanged(
            subscriptionNumber: "S-00000004-4", servicePointNumber: "SP-00000004-4", customerNumber: "C-00000003-3", from: .active, to: .terminated,
            reason: "moved away", readings: nil, at: "2026-11-20T10:00:00Z"))
    }

    func bill(_ id: String, _ subscription: String, _ region: String, _ tariff: String, issued: String, due: String, charges: Int, used: Double, kind: BillKind = .regular)
        -> BillIssued.Entry
    {
        var entry = BillIssued.example.bills[0]
        (entry.billId, entry.kind, entry.subscriptionNumber, entry.region, entry.tariffCode, entry.issueDate, entry.dueDate) =
            (id, kind, subscription, region, tariff, issued, due)
        (entry.charges, entry.amountDue, entry.consumption, entry.currency, entry.estimated) = (charges, charges, ["total": used], "IRR", false)
        return entry
    }

    /// Five bills, one cancelled and billed again; three payments, each settling a bill.
    func bills(_ reports: RunningReports) async throws {
        try await reports.tell(BillIssued(runId: "A-2026-10", bills: [
            bill("B2026-0000001", "S-00000001-1", "North", "E-RES", issued: "2026-10-31", due: Self.day(-26), charges: 100_000, used: 120),
            bill("B2026-0000002", "S-00000002-2", "North", "E-COM", issued: "2026-10-31", due: Self.day(-26), charges: 300_000, used: 400),
        ]))
        try await reports.tell(BillCancelled(billId: "B2026-0000002", subscriptionNumber: "S-00000002-2", reason: "misread", approvedBy: "omid", rebillId: "B2026-0000005"))
        try await reports.tell(BillIssued(runId: nil, bills: [
            bill("B2026-0000005", "S-00000002-2", "North", "E-COM", issued: "2026-11-05", due: Self.day(-35), charges: 250_000, used: 350, kind: .rebill)
        ]))
        try await reports.tell(BillIssued(runId: "A-2026-11", bills: [
            bill("B2026-0000003", "S-00000003-3", "South", "W-RES", issued: "2026-11-30", due: Self.day(10), charges: 50_000, used: 20),
            bill("B2026-0000004", "S-00000001-1", "North", "E-RES", issued: "2026-11-30", due: Self.day(10), charges: 80_000, used: 90),
        ]))
        let payments: [(String, String, PaymentChannel, Int, String, String)] = [
            ("P-1", "S-00000001-1", .bank, 100_000, "2026-11-10", "B2026-0000001"),
            ("P-2", "S-00000002-2", .card, 100_000, "2026-11-10", "B2026-0000005"),
            ("P-3", "S-00000003-3", .cashDesk, 20_000, "2026-12-01", "B2026-0000003"),
        ]
        for (id, subscription, channel, amount, day, bill) in payments {
            try await reports.tell(PaymentReceived(
                payment: Payment(paymentId: id, subscriptionNumber: subscription, channel: channel, amount: Money(amount: amount, currency: "IRR"), valueDate: day, reference: id),
                customerNumber: nil, settled: [BillSettlement(billId: bill, amount: amount)], credited: 0))
        }
    }

    /// One process's tasks: two reviews done (4 and 2 hours), a survey open and overdue for
    /// reza, a review open and not yet due.
    func tasks(_ reports: RunningReports) async throws {
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        func ago(_ hours: Double) -> Date { now.addingTimeInterval(-hours * 3600) }
        var started = ProcessStarted.example
        started.at = Self.moment(ago(10))
        try await reports.tell(started, at: ago(10))
        func task(_ id: String, _ step: String, _ name: String, _ group: String, due: Date) -> TaskCreated {
            var task = TaskCreated.example
            (task.taskId, task.instanceId, task.elementId, task.name, task.candidateGroups, task.dueDate) = (id, started.instanceId, step, name, [group], Self.moment(due))
            return task
        }
        try await reports.tell(task("T-1", "review", "Review the request", "registration-clerk", due: ago(2)), at: ago(10))
        try await reports.tell(TaskAssigned(taskId: "T-1", instanceId: started.instanceId, elementId: "review", assignee: "maryam", actor: "user:maryam", at: Self.moment(ago(9))))
        try await reports.tell(TaskCompleted(taskId: "T-1", instanceId: started.instanceId, elementId: "review", actor: "user:maryam", at: Self.moment(ago(6)), variables: [:]))
        try await reports.tell(task("T-2", "survey", "Site survey", "field-technician", due: ago(1)), at: ago(6))
        try await reports.tell(TaskAssigned(taskId: "T-2", instanceId: started.instanceId, elementId: "survey", assignee: "reza", actor: "user:ali", at: Self.moment(ago(5))))
        try await reports.tell(task("T-3", "review", "Review the request", "registration-clerk", due: ago(-20)), at: ago(5))
        try await reports.tell(TaskCompleted(taskId: "T-3", instanceId: started.instanceId, elementId: "review", actor: "user:sara", at: Self.moment(ago(3)), variables: [:]))
        try await reports.tell(task("T-4", "review", "Review the request", "registration-clerk", due: ago(-24)), at: ago(1))
    }

    /// Four meters: one installed long overdue for its test, one in stock due soon, one
    /// installed and tested, one scrapped.
    func meters(_ reports: RunningReports) async throws {
        let plan: [(String, Utility, Int, String)] = [
            ("M-1", .electricity, 2015, "2025-06-30"), ("M-2", .electricity, 2022, Self.day(30)), ("M-3", .water, 2020, "2030-01-01"), ("M-4", .water, 2010, "2020-01-01"),
        ]
        for (serial, utility, year, due) in plan {
            var meter = MeterReceived.example
            (meter.meter.serialNumber, meter.meter.utility, meter.meter.yearOfManufacture, meter.meter.nextTestDue) = (serial, utility, year, due)
            try await reports.tell(meter)
        }
        let manufacturer = MeterReceived.example.meter.manufacturer
        for (serial, subscription) in [("M-1", "S-00000001-1"), ("M-3", "S-00000003-3")] {
            var installed = MeterInstalled.example
            (installed.installation.manufacturer, installed.installation.serialNumber, installed.installation.subscriptionNumber) = (manufacturer, serial, subscription)
            try await reports.tell(installed)
        }
        var inspection = InspectionRecorded.example
        (inspection.manufacturer, inspection.serialNumber, inspection.passed, inspection.nextTestDue, inspection.at) = (manufacturer, "M-3", true, "2031-01-01", "2026-11-15T09:00:00Z")
        try await reports.tell(inspection)
        try await reports.tell(MeterStatusChanged(manufacturer: manufacturer, serialNumber: "M-4", from: .inStock, to: .scrapped, reason: "worn out", at: "2026-11-01T09:00:00Z"))
    }

    func shipped(_ key: String, _ reports: RunningReports) async throws -> ReportTable {
        try await reports.run(try #require(ShippedReports.report(key)).report)
    }

    @Test func eachShippedReportAnswersWhatWasWorkedOutByHandAndARebuildAnswersTheSame() async throws {
        try await withReports { reports in
            try await subscriptions(reports)
            try await bills(reports)
            try await tasks(reports)
            try await meters(reports)
            try await reports.drained()

            let customers = try await shipped("customers-by-region", reports)
            #expect(customers.columns.map(\.name) == ["region", "useType", "distinct:customer", "count"])
            #expect(customers.rows == [["North", "commercial", "1", "1"], ["North", "residential", "1", "1"], ["South", "residential", "1", "1"]])

            let billed = try await shipped("billed-by-month", reports)
            #expect(billed.source == "bills by month")
            #expect(billed.columns.map(\.name) == ["issued.month", "tariff", "currency", "sum:consumption", "sum:charges", "count"])
            #expect(billed.rows == [
                ["2026-10", "E-RES", "IRR", "120", "100000", "1"], ["2026-11", "E-COM", "IRR", "350", "250000", "1"],
                ["2026-11", "E-RES", "IRR", "90", "80000", "1"], ["2026-11", "W-RES", "IRR", "20", "50000", "1"],
            ])
            // The same report from the bills themselves (the filter on estimates is not in the summary).
            var fromFacts = try #require(ShippedReports.report("billed-by-month")).report
            fromFacts.filters.append(ReportFilter("estimated", .equals, ["false"]))
            let facts = try await reports.run(fromFacts)
            #expect(facts.source == "facts" && facts.rows == billed.rows)

            let ageing = try await shipped("debt-ageing", reports)
            #expect(ageing.rows == [["North", "31-60 days", "IRR", "150000", "1"], ["North", "not yet due", "IRR", "80000", "1"], ["South", "not yet due", "IRR", "30000", "1"]])

            let payments = try await shipped("payments-by-channel", reports)
            #expect(payments.rows == [["2026-12-01", "cash-desk", "IRR", "20000", "1"], ["2026-11-10", "bank", "IRR", "100000", "1"], ["2026-11-10", "card", "IRR", "100000", "1"]])

            let open = try await shipped("open-tasks", reports)
            #expect(open.rows.map { Array($0.prefix(3)) } == [["New connection", "Review the request", "1"], ["New connection", "Site survey", "1"]])
            let longest = try #require(open.rows.last?[3].flatMap(Double.init))
            #expect((6...6.1).contains(longest))

            let steps = try await shipped("time-per-step", reports)
            #expect(steps.rows == [["New connection", "Review the request", "3", "3.9", "2"]])

            let overdue = try await shipped("overdue-tasks", reports)
            #expect(overdue.rows.map { Array($0.prefix(2)) } == [["reza", "1"]])

            let inventory = try await shipped("meter-inventory", reports)
            #expect(inventory.rows == [
                ["electricity", "in-stock", "1", "\(Self.year - 2022)"], ["electricity", "installed", "1", "\(Self.year - 2015)"],
                ["water", "installed", "1", "\(Self.year - 2020)"], ["water", "scrapped", "1", "\(Self.year - 2010)"],
            ])

            let tests = try await shipped("meter-tests-due", reports)
            #expect(tests.rows == [["later", "water", "1", "2031-01-01"], ["overdue", "electricity", "1", "2025-06-30"], ["within 90 days", "electricity", "1", Self.day(30)]])

            // A rebuild from the kept events gives the same answers (but for the open tasks' running hours).
            func stable(_ table: ReportTable) -> [[String?]] {
                let keep = table.columns.indices.filter { table.columns[$0].name != "maximum:hours" }
                return table.rows.map { row in keep.map { row[$0] } }
            }
            var before: [String: [[String?]]] = [:]
            for report in ShippedReports.all { before[report.key] = stable(try await reports.run(report.report)) }
            try await reports.send(RebuildReports(reason: "the test's"))
            let rebuilt = try await reports.next(ReportsRebuilt.self, on: reports.events, timeout: .seconds(60))
            #expect(rebuilt.events == reports.published)
            for report in ShippedReports.all {
                #expect(stable(try await reports.run(report.report)) == before[report.key], "\(report.key)")
            }
        }
    }

    @Test func inputOffTheWhitelistIsRefusedAndABadEventIsDeadLetteredWithoutLosingTheOthers() async throws {
        try await withReports { reports in
            try await subscriptions(reports)
            // A bill-issued without its bills' ids, between two good events of one batch.
            try await reports.tellRaw(#"{"runId":"X","bills":[{"subscriptionNumber":"S-00000001-1"}]}"#, type: BillIssued.type, routingKey: BillIssued.routingKey)
            try await reports.tellRaw("not json", type: PaymentReceived.type, routingKey: PaymentReceived.routingKey)
            try await reports.tell(BillIssued(runId: "A-2026-11", bills: [
                bill("B2026-0000009", "S-00000001-1", "North", "E-RES", issued: "2026-11-30", due: Self.day(10), charges: 80_000, used: 90)
            ]))
            try await reports.drained()
            try await eventually("both bad events are dead-lettered") { try await reports.broker.queueStatus("reports.events.dead").messages == 2 }
            var reasons: [String] = []
            while let dead = try await reports.broker.get(queue: "reports.events.dead") {
                try await reports.broker.ack(dead)
                reasons.append(dead.properties.headers[DeadLetters.Header.reason]?.stringValue ?? "")
            }
            #expect(reasons.contains { $0.contains("bills[0].billId") && $0.contains("is required") })
            #expect(reasons.contains { $0.contains("not valid JSON") || $0.contains("The given data was not valid JSON") })
            let bills = try await reports.run(ReportDefinition(subject: "bills", dimensions: ["useType"], measures: [ReportMeasure(.sum, "charges")]))
            #expect(bills.rows == [["residential", "IRR", "80000"]])

            let refusal = await reports.refusal(RunReport(report: ReportDefinition(
                subject: "bills", dimensions: ["region; DROP TABLE bills"], measures: [ReportMeasure(.sum, "charges")])))
            #expect(refusal.contains("dimensions[0]") && refusal.contains("is not a field of bills"))
            let unknown = await reports.refusal(RunReport(report: ReportDefinition(subject: "pg_catalog.pg_user", dimensions: [], measures: [ReportMeasure(.count)])))
            #expect(unknown.contains("subject") && unknown.contains("there is no subject"))
            // A value is only ever a value: nothing matches it, and the bills are still there.
            let none = try await reports.run(ReportDefinition(
                subject: "bills", dimensions: ["region"], measures: [ReportMeasure(.count)], filters: [ReportFilter("region", .equals, ["North' OR '1'='1"])]))
            #expect(none.rows.isEmpty)
            let all = try await reports.run(ReportDefinition(subject: "bills", dimensions: [], measures: [ReportMeasure(.count)]))
            #expect(all.rows == [["1"]])
        }
    }
}
