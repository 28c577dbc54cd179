import Contracts

/// The reports the system comes with: the dashboard's, each one a definition like any other.
public struct ShippedReport: Sendable {
    public var key: String
    public var title: String
    public var report: ReportDefinition
}

public enum ShippedReports {
    public static let all: [ShippedReport] = [
        ShippedReport(
            key: "customers-by-region", title: "Customers by region and use type",
            report: ReportDefinition(
                subject: "subscriptions", dimensions: ["region", "useType"], measures: [ReportMeasure(.distinct, "customer"), ReportMeasure(.count)],
                filters: [ReportFilter("status", .notEquals, ["terminated"])])),
        ShippedReport(
            key: "billed-by-month", title: "Consumption and billed amount by month and tariff",
            report: ReportDefinition(
                subject: "bills", dimensions: ["issued.month", "tariff"],
                measures: [ReportMeasure(.sum, "consumption"), ReportMeasure(.sum, "charges"), ReportMeasure(.count)],
                filters: [ReportFilter("status", .equals, ["issued"])])),
        ShippedReport(
            key: "debt-ageing", title: "Debt ageing by region",
            report: ReportDefinition(
                subject: "bills", dimensions: ["region", "ageBand"], measures: [ReportMeasure(.sum, "open"), ReportMeasure(.count)],
                filters: [ReportFilter("status", .equals, ["issued"]), ReportFilter("ageBand", .notEquals, ["settled"])])),
        ShippedReport(
            key: "payments-by-channel", title: "Payments by channel and day",
            report: ReportDefinition(
                subject: "payments", dimensions: ["valueDate.day", "channel"], measures: [ReportMeasure(.sum, "amount"), ReportMeasure(.count)],
                sort: [ReportSort("valueDate.day", descending: true), ReportSort("channel")])),
        ShippedReport(
            key: "open-tasks", title: "Open tasks per step",
            report: ReportDefinition(
                subject: "tasks", dimensions: ["process", "step"], measures: [ReportMeasure(.count), ReportMeasure(.maximum, "hours")],
                filters: [ReportFilter("status", .equals, ["open"])])),
        ShippedReport(
            key: "time-per-step", title: "Time in each step (completed tasks)",
            report: ReportDefinition(
                subject: "tasks", dimensions: ["process", "step"],
                measures: [ReportMeasure(.average, "hours"), ReportMeasure(.p95, "hours"), ReportMeasure(.count)],
                filters: [ReportFilter("status", .equals, ["completed"])])),
        ShippedReport(
            key: "overdue-tasks", title: "Overdue tasks per employee",
            report: ReportDefinition(
                subject: "tasks", dimensions: ["employee"], measures: [ReportMeasure(.count), ReportMeasure(.maximum, "hours")],
                filters: [ReportFilter("overdue", .equals, ["true"])], sort: [ReportSort("count", descending: true)])),
        ShippedReport(
            key: "meter-inventory", title: "Meter inventory",
            report: ReportDefinition(
                subject: "meters", dimensions: ["utility", "status"], measures: [ReportMeasure(.count), ReportMeasure(.average, "age")])),
        ShippedReport(
            key: "meter-tests-due", title: "Meter tests due",
            report: ReportDefinition(
                subject: "meters", dimensions: ["testDue", "utility"], measures: [ReportMeasure(.count), ReportMeasure(.minimum, "nextTestDue")],
                filters: [ReportFilter("status", .notEquals, ["scrapped"])])),
    ]

    public static func report(_ key: String) -> ShippedReport? { all.first { $0.key == key } }
}
