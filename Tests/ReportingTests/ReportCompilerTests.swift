import Contracts
import Reporting
import Testing

/// Reports compiled from the catalog: names looked up, values bound, summaries used when they
/// hold everything a report needs.
@Suite struct ReportCompilerTests {
    func compiled(_ report: ReportDefinition) throws -> CompiledReport { try ReportCompiler.compile(report).get() }

    func problems(_ report: ReportDefinition) -> [FieldProblem] {
        guard case .failure(let refused) = ReportCompiler.compile(report) else { return [] }
        return refused.problems
    }

    @Test func everyShippedReportCompiles() throws {
        for shipped in ShippedReports.all {
            let report = try compiled(shipped.report)
            #expect(!report.columns.isEmpty, "\(shipped.key)")
            #expect(ReportCatalog.subject(shipped.report.subject) != nil, "\(shipped.key)")
        }
    }

    @Test func billedAmountByRegionAndMonthIsReadFromTheMonthlySummary() throws {
        let report = try compiled(ReportDefinition(subject: "bills", dimensions: ["region", "issued.month"], measures: [ReportMeasure(.sum, "charges"), ReportMeasure(.count)]))
        #expect(report.source == "bills by month")
        #expect(report.sql.contains("FROM bill_months b"))
        // Money is summed per currency: the currency joins the dimensions.
        #expect(report.columns.map(\.name) == ["region", "issued.month", "currency", "sum:charges", "count"])
        #expect(report.columns.map(\.title) == ["Region", "Issued (month)", "Currency", "Total billed amount", "Bills"])
    }

    @Test func whatTheSummaryLacksIsReadFromTheFacts() throws {
        let byDay = try compiled(ReportDefinition(subject: "bills", dimensions: ["issued.day"], measures: [ReportMeasure(.count)]))
        #expect(byDay.source == "facts")
        let percentile = try compiled(ReportDefinition(subject: "bills", dimensions: ["region"], measures: [ReportMeasure(.p95, "charges")]))
        #expect(percentile.source == "facts" && percentile.sql.contains("percentile_cont(0.95)"))
        let filtered = try compiled(ReportDefinition(
            subject: "bills", dimensions: ["region"], measures: [ReportMeasure(.count)], filters: [ReportFilter("estimated", .equals, ["true"])]))
        #expect(filtered.source == "facts")
        #expect(filtered.sql.contains("b.issued_on IS NOT NULL"))
    }

    @Test func filterValuesAreParametersNeverText() throws {
        let attack = "North' OR '1'='1"
        let report = try compiled(ReportDefinition(
            subject: "payments", dimensions: ["channel"], measures: [ReportMeasure(.sum, "amount")],
            filters: [ReportFilter("region", .equals, [attack]), ReportFilter("channel", .oneOf, ["bank", "card"]), ReportFilter("valueDate", .between, ["2026-11-01", "2026-11-30"])]))
        #expect(!report.sql.contains("North"))
        #expect(report.parameters == [.text(attack), .list(["bank", "card"]), .text("2026-11-01"), .text("2026-11-30")])
        #expect(report.sql.contains("(p.region) = $1::text AND (p.channel) = ANY($2::text[]) AND (p.value_date) BETWEEN $3::date AND $4::date"))
    }

    @Test func namesOffTheWhitelistAreRefusedFieldByField() {
        #expect(problems(ReportDefinition(subject: "pg_user", dimensions: [], measures: [ReportMeasure(.count)])).map(\.field) == ["subject"])
        let refused = problems(ReportDefinition(
            subject: "bills", dimensions: ["region; DROP TABLE bills", "issued.week"],
            measures: [ReportMeasure(.sum, "region"), ReportMeasure(.average), ReportMeasure(.count, "charges")],
            filters: [ReportFilter("1=1 OR region", .equals, ["x"])], sort: [ReportSort("region")]))
        #expect(refused.map(\.field) == ["dimensions[0]", "dimensions[1]", "measures[0]", "measures[1]", "measures[2]", "filters[0].field"])
        #expect(refused[0].message.contains("is not a field of bills"))
        #expect(refused[2].message == "sum needs a quantity; 'region' is text")
    }

    @Test func filterValuesMustFitTheirField() {
        let refused = problems(ReportDefinition(
            subject: "bills", dimensions: [], measures: [ReportMeasure(.count)],
            filters: [
                ReportFilter("issued.month", .equals, ["2026-13"]), ReportFilter("charges", .atLeast, ["ten"]), ReportFilter("status", .equals, ["paid"]),
                ReportFilter("issued", .between, ["2026-02-30", "2026-03-01"]), ReportFilter("region", .lessThan, ["North"]),
                ReportFilter("kind", .equals, ["regular", "final"]), ReportFilter("estimated", .equals, ["yes"]),
            ]))
        #expect(refused == [
            FieldProblem("filters[0].values[0]", "'2026-13' is not a month such as 2026-10"),
            FieldProblem("filters[1].values[0]", "'ten' is not a whole number of minor units"),
            FieldProblem("filters[2].values[0]", "'paid' is not one of issued, cancelled"),
            FieldProblem("filters[3].values[0]", "'2026-02-30' is not a date such as 2026-10-31"),
            FieldProblem("filters[4].op", "'region' is text: use =, != or in"),
            FieldProblem("filters[5].values", "'=' takes 1 value"),
            FieldProblem("filters[6].values[0]", "must be true or false"),
        ])
    }

    @Test func sortsNameColumnsOfTheReportAndLimitsAreBounded() throws {
        #expect(problems(ReportDefinition(subject: "tasks", dimensions: ["step"], measures: [ReportMeasure(.count)], sort: [ReportSort("employee")])).map(\.field)
            == ["sort[0].column"])
        #expect(problems(ReportDefinition(subject: "tasks", dimensions: [], measures: [ReportMeasure(.count)], limit: 10_001)).map(\.field) == ["limit"])
        let sorted = try compiled(ReportDefinition(
            subject: "tasks", dimensions: ["employee"], measures: [ReportMeasure(.count)], sort: [ReportSort("count", descending: true)], limit: 5))
        #expect(sorted.sql.hasSuffix("GROUP BY 1 ORDER BY 2 DESC NULLS LAST LIMIT 6"))
    }

    @Test func eachSubjectHasItsReaders() throws {
        let bills = try #require(ReportCatalog.subject("bills")), tasks = try #require(ReportCatalog.subject("tasks"))
        #expect(bills.mayRead(groups: ["finance"], isAdministrator: false))
        #expect(!bills.mayRead(groups: ["field-technician"], isAdministrator: false))
        #expect(tasks.mayRead(groups: ["supervisor"], isAdministrator: false))
        #expect(!tasks.mayRead(groups: ["registration-clerk"], isAdministrator: false))
        #expect(tasks.mayRead(groups: [], isAdministrator: true))
    }
}
