import Contracts
import Foundation

/// A report's table as CSV (RFC 4180): the columns' titles, then the rows. A text cell that a
/// spreadsheet would take for a formula is written with a leading apostrophe.
public enum ReportCSV {
    public static func text(_ table: ReportTable) -> String {
        var lines = [table.columns.map { quoted($0.title) }.joined(separator: ",")]
        for row in table.rows {
            lines.append(zip(table.columns, row).map { column, cell in
                guard let cell else { return "" }
                return quoted(column.kind == .text && cell.first.map { "=+-@\t\r".contains($0) } == true ? "'" + cell : cell)
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func quoted(_ cell: String) -> String {
        cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }
}
