import Contracts
import Foundation
import Reporting
import Testing

/// The builder's query string and the table as the pages show it.
@Suite struct ReportFormTests {
    /// What a browser sends for the query string `text`.
    func fields(_ text: String) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).removingPercentEncoding! }
            values[parts[0], default: []].append(parts.count > 1 ? parts[1] : "")
        }
        return values
    }

    @Test func aReportGoesThroughItsQueryStringUnchanged() throws {
        let report = ReportDefinition(
            subject: "bills", dimensions: ["region", "issued.month"], measures: [ReportMeasure(.sum, "charges"), ReportMeasure(.count)],
            filters: [ReportFilter("status", .equals, ["issued"]), ReportFilter("issued", .between, ["2026-01-01", "2026-06-30"]),
                      ReportFilter("region", .oneOf, ["North & East", "South"])],
            sort: [ReportSort("sum:charges", descending: true)], limit: 50)
        let query = ReportForm.query(report)
        #expect(!query.contains("&East"), "the value's ampersand is encoded")
        #expect(try ReportForm.definition(fields(query)).get() == report)
    }

    @Test func emptyRowsOfTheFormAreLeftOutAndACountIsTheDefaultMeasure() throws {
        let report = try ReportForm.definition(fields("subject=meters&d=status&d=&m=&ff=&fo=%3D&fv=&s=&limit=")).get()
        #expect(report == ReportDefinition(subject: "meters", dimensions: ["status"], measures: [ReportMeasure(.count)]))
    }

    @Test func aRowThatCannotBeReadIsNamed() {
        let refused = ReportForm.definition(fields("subject=bills&m=median:charges&ff=region&fo=like&fv=N&ff=status&fo=%3D&fv=&limit=ten"))
        guard case .failure(let refusal) = refused else { Issue.record("accepted"); return }
        #expect(refusal.problems.map(\.field) == ["m[0]", "fo[0]", "fv[1]", "limit"])
        #expect(ReportForm.definition(fields("d=region")) == .failure(ReportRefused([FieldProblem("subject", "choose a subject")])))
    }

    @Test func theBuilderOffersOnlyWhatTheCompilerTakes() throws {
        let bills = try #require(ReportCatalog.subject("bills"))
        let dimensions = ReportForm.dimensions(of: bills).map(\.name)
        #expect(dimensions.contains("issued.quarter") && dimensions.contains("region") && !dimensions.contains("region.month"))
        let measures = ReportForm.measures(of: bills)
        #expect(measures.contains { $0.column == "p95:charges" } && !measures.contains { $0.column == "sum:region" })
        for subject in ReportCatalog.subjects {
            for measure in ReportForm.measures(of: subject) {
                let report = ReportDefinition(subject: subject.name, dimensions: [], measures: [try #require(ReportForm.measure(measure.column))])
                #expect(throws: Never.self, "\(subject.name) \(measure.column)") { try ReportCompiler.compile(report).get() }
            }
            for dimension in ReportForm.dimensions(of: subject) {
                let report = ReportDefinition(subject: subject.name, dimensions: [dimension.name], measures: [ReportMeasure(.count)])
                #expect(throws: Never.self, "\(subject.name) \(dimension.name)") { try ReportCompiler.compile(report).get() }
            }
        }
    }

    @Test func moneyIsShownInItsCurrencysMajorUnitsAndNumbersGroupedByThousands() {
        let table = ReportTable(
            columns: [
                ReportTable.Column(name: "region", title: "Region", kind: .text, isMeasure: false),
                ReportTable.Column(name: "currency", title: "Currency", kind: .text, isMeasure: false),
                ReportTable.Column(name: "sum:charges", title: "Total billed amount", kind: .money, isMeasure: true),
                ReportTable.Column(name: "count", title: "Bills", kind: .integer, isMeasure: true),
            ],
            rows: [["North", "EUR", "-123456", "1200"], ["North", "IRR", "4290000", "3"], ["South", "XXX", "5", nil]], source: "facts", truncated: false)
        let shown = ReportDisplay.inMajorUnits(table, minorDigits: ["EUR": 2, "IRR": 0])
        #expect(shown.rows.map { $0[2] } == ["-1234.56", "4290000", "5"])
        #expect(shown.columns[2].title == "Total billed amount (minor units where the currency is unknown)")
        #expect(ReportDisplay.text(shown.rows[0][2], .money) == "-1,234.56")
        #expect(ReportDisplay.text(shown.rows[1][2], .money) == "4,290,000")
        #expect(ReportDisplay.text(shown.rows[0][3], .integer) == "1,200")
        #expect(ReportDisplay.text(nil, .integer) == "—")
        #expect(ReportDisplay.text("Tehran-1000", .text) == "Tehran-1000")
        #expect(ReportDisplay.major(5, digits: 3) == "0.005")
    }
}
