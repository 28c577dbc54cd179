import Contracts
import Foundation

/// The bill's chart of its subscription's last periods, drawn on the server as SVG: a bar a
/// period, the bill's own darker, estimated ones hatched, each labelled with its month and
/// consumption, so it prints as it shows and needs no script.
enum ConsumptionChart {
    static func svg(_ periods: [BillRecord.Period], current billId: String, unit: String) -> String {
        let width = 640.0, height = 220.0, left = 44.0, bottom = 36.0, top = 16.0
        let most = max(periods.map(\.consumption).max() ?? 0, 1)
        let slot = (width - left) / Double(max(periods.count, 1))
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" class="chart" \
            aria-label="Consumption of the last \(periods.count) periods in \(escape(unit))">
            <defs><pattern id="estimated" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
            <rect width="6" height="6" fill="#cfd8e3"/><line x1="0" y1="0" x2="0" y2="6" stroke="#6b7b8f" stroke-width="2"/></pattern></defs>
            <line x1="\(left)" y1="\(height - bottom)" x2="\(width)" y2="\(height - bottom)" stroke="#888"/>
            <text x="4" y="\(top + 4)" font-size="11">\(number(most)) \(escape(unit))</text>

            """
        for (index, period) in periods.enumerated() {
            let barHeight = (height - bottom - top) * period.consumption / most
            let x = left + Double(index) * slot + slot * 0.15, y = height - bottom - barHeight
            let fill = period.estimated ? "url(#estimated)" : period.billId == billId ? "#1f4e79" : "#7a9cc6"
            svg += """
                <g><title>\(escape(period.from)) to \(escape(period.to)): \(number(period.consumption)) \(escape(unit))\(period.estimated ? ", estimated" : "")</title>\
                <rect x="\(format(x))" y="\(format(y))" width="\(format(slot * 0.7))" height="\(format(barHeight))" fill="\(fill)"/>\
                <text x="\(format(x + slot * 0.35))" y="\(format(y - 3))" font-size="10" text-anchor="middle">\(number(period.consumption))</text>\
                <text x="\(format(x + slot * 0.35))" y="\(format(height - bottom + 14))" font-size="10" text-anchor="middle">\(escape(String(period.to.prefix(7))))</text></g>

                """
        }
        return svg + "</svg>"
    }

    static func number(_ value: Double) -> String { value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value) }
    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
