import Contracts
import Foundation

/// A report's chart, drawn on the server as SVG: the first dimension along the bottom, the
/// second (if any) as series, the first measure as height. Months and days are a line, the rest
/// bars. No script, so it prints and shows in any browser.
public enum ReportChart {
    static let palette = ["#1f6f8b", "#e07a1f", "#3c8d40", "#b8336a", "#6b4fa0", "#8c6d1f", "#2a9d8f", "#7d7d7d"]
    static let width = 720.0, height = 320.0, left = 64.0, right = 16.0, top = 16.0, bottom = 84.0
    public static let maximumCategories = 40, maximumSeries = 8

    public enum Style: String, Sendable { case bar, line }

    /// What the chart shows, taken from the table; nil when there is nothing to draw.
    public struct Plot: Sendable, Equatable {
        public var style: Style
        public var categories: [String]
        public var series: [String]
        /// values[series][category]; nil where the table has no such row.
        public var values: [[Double?]]
        public var measure: String
    }

    public static func plot(_ table: ReportTable) -> Plot? {
        let dimensions = table.columns.indices.filter { !table.columns[$0].isMeasure }
        guard let first = dimensions.first, let measure = table.columns.indices.first(where: { table.columns[$0].isMeasure }), !table.rows.isEmpty else { return nil }
        let second = dimensions.dropFirst().first
        var categories: [String] = [], series: [String] = []
        var cells: [String: [String: Double]] = [:]
        for row in table.rows {
            let category = row[first] ?? "(none)", serie = second.map { row[$0] ?? "(none)" } ?? table.columns[measure].title
            guard let value = row[measure].flatMap(Double.init) else { continue }
            if !categories.contains(category) {
                guard categories.count < maximumCategories else { continue }
                categories.append(category)
            }
            if !series.contains(serie) {
                guard series.count < maximumSeries else { continue }
                series.append(serie)
            }
            cells[serie, default: [:]][category, default: 0] += value
        }
        guard !categories.isEmpty else { return nil }
        let column = table.columns[first]
        let overTime = column.kind == .date || column.kind == .timestamp || [".day", ".month", ".quarter", ".year"].contains { column.name.hasSuffix($0) }
        return Plot(
            style: overTime && categories.count > 1 ? .line : .bar, categories: categories, series: series,
            values: series.map { serie in categories.map { cells[serie]?[$0] } }, measure: table.columns[measure].title)
    }

    public static func svg(_ table: ReportTable, title: String) -> String? { plot(table).map { svg($0, title: title) } }

    public static func svg(_ plot: Plot, title: String) -> String {
        let all = plot.values.flatMap { $0.compactMap { $0 } }
        let low = min(0, all.min() ?? 0), high = max(all.max() ?? 1, low + 1)
        let step = niceStep((high - low) / 4)
        let floor = (low / step).rounded(.down) * step, ceiling = (high / step).rounded(.up) * step
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - floor) / (ceiling - floor)) }
        let slot = plotWidth / Double(plot.categories.count)
        func x(_ index: Int) -> Double { left + slot * (Double(index) + 0.5) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"report-chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escaped(title))\">"
        svg += "<title>\(escaped(title))</title>"
        var tick = floor
        while tick <= ceiling + step / 2 {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\" font-size=\"11\">\(escaped(label(tick)))</text>"
            tick += step
        }
        let slanted = plot.categories.count > 8
        for (index, category) in plot.categories.enumerated() {
            let shown = category.count > 16 ? String(category.prefix(15)) + "…" : category
            svg += slanted
                ? "<text x=\"\(f(x(index)))\" y=\"\(f(height - bottom + 14))\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-40 \(f(x(index))) \(f(height - bottom + 14)))\">\(escaped(shown))</text>"
                : "<text x=\"\(f(x(index)))\" y=\"\(f(height - bottom + 16))\" font-size=\"11\" text-anchor=\"middle\">\(escaped(shown))</text>"
        }
        switch plot.style {
        case .bar:
            let barWidth = slot * 0.8 / Double(plot.series.count)
            for (s, values) in plot.values.enumerated() {
                for (index, value) in values.enumerated() {
                    guard let value else { continue }
                    let x0 = x(index) - slot * 0.4 + barWidth * Double(s), top = min(y(value), y(0)), size = abs(y(value) - y(0))
                    svg += "<rect x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(max(barWidth - 1, 1)))\" height=\"\(f(size))\" fill=\"\(palette[s % palette.count])\">"
                    svg += "<title>\(escaped(plot.categories[index])) · \(escaped(plot.series[s])): \(escaped(label(value)))</title></rect>"
                }
            }
        case .line:
            for (s, values) in plot.values.enumerated() {
                let points = values.enumerated().compactMap { index, value in value.map { "\(f(x(index))),\(f(y($0)))" } }
                svg += "<polyline fill=\"none\" stroke=\"\(palette[s % palette.count])\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
                for (index, value) in values.enumerated() {
                    guard let value else { continue }
                    svg += "<circle cx=\"\(f(x(index)))\" cy=\"\(f(y(value)))\" r=\"3\" fill=\"\(palette[s % palette.count])\"><title>\(escaped(plot.categories[index])) · \(escaped(plot.series[s])): \(escaped(label(value)))</title></circle>"
                }
            }
        }
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(0)))\" y2=\"\(f(y(0)))\" stroke=\"#444\"/>"
        if plot.series.count > 1 {
            for (s, serie) in plot.series.enumerated() {
                let lx = left + Double(s % 4) * 160, ly = height - 16 + Double(s / 4) * 13
                svg += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(palette[s % palette.count])\"/>"
                svg += "<text x=\"\(f(lx + 14))\" y=\"\(f(ly))\" font-size=\"11\">\(escaped(serie.count > 22 ? String(serie.prefix(21)) + "…" : serie))</text>"
            }
        }
        return svg + "</svg>"
    }

    /// 1, 2 or 5 times a power of ten.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / power
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power
    }

    static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1_000_000_000 { return trimmed(value / 1_000_000_000) + "G" }
        if magnitude >= 1_000_000 { return trimmed(value / 1_000_000) + "M" }
        if magnitude >= 10_000 { return trimmed(value / 1_000) + "k" }
        return trimmed(value)
    }

    static func trimmed(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
