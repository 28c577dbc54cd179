import Contracts
import Reporting
import Testing

/// A report's CSV and chart.
@Suite struct ReportOutputTests {
    let table = ReportTable(
        columns: [
            ReportTable.Column(name: "issued.month", title: "Issued (month)", kind: .text, isMeasure: false),
            ReportTable.Column(name: "region", title: "Region, as registered", kind: .text, isMeasure: false),
            ReportTable.Column(name: "sum:charges", title: "Total billed amount", kind: .money, isMeasure: true),
        ],
        rows: [["2026-10", "North", "100000"], ["2026-10", "=HYPERLINK(\"x\")", "-5"], ["2026-11", "North", "80000"], ["2026-11", nil, "-20"]],
        source: "bills by month", truncated: false)

    @Test func csvQuotesWhatNeedsItAndDisarmsFormulas() {
        #expect(ReportCSV.text(table) == """
            Issued (month),"Region, as registered",Total billed amount\r
            2026-10,North,100000\r
            2026-10,"'=HYPERLINK(""x"")",-5\r
            2026-11,North,80000\r
            2026-11,,-20\r

            """)
    }

    @Test func monthsAreALineWithASeriesForEachValueOfTheSecondDimension() throws {
        let plot = try #require(ReportChart.plot(table))
        #expect(plot.style == .line)
        #expect(plot.categories == ["2026-10", "2026-11"])
        #expect(plot.series == ["North", "=HYPERLINK(\"x\")", "(none)"])
        #expect(plot.values == [[100000, 80000], [-5, nil], [nil, -20]])
        let svg = ReportChart.svg(plot, title: "Billed <by> month")
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.contains("Billed &lt;by&gt; month") && !svg.contains("<by>"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 3)
    }

    @Test func otherDimensionsAreBars() throws {
        let byRegion = ReportTable(
            columns: [ReportTable.Column(name: "region", title: "Region", kind: .text, isMeasure: false), ReportTable.Column(name: "count", title: "Bills", kind: .integer, isMeasure: true)],
            rows: [["North", "3"], ["South", "1"]], source: "facts", truncated: false)
        let plot = try #require(ReportChart.plot(byRegion))
        #expect(plot.style == .bar && plot.values == [[3, 1]])
        #expect(ReportChart.svg(plot, title: "Bills").components(separatedBy: "<rect").count - 1 == 2)
        #expect(ReportChart.plot(ReportTable(columns: byRegion.columns, rows: [], source: "facts", truncated: false)) == nil)
    }
}
