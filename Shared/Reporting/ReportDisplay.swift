import Contracts

/// A report's table as people read it. Reports answers money in minor units; a manager reads
/// rials or euros, so money is turned into its currency's major units (the digits are the
/// tariffs' own), and numbers are grouped by thousands.
public enum ReportDisplay {
    /// Money cells as decimal major units (`1234.50`), by the row's currency; the rest as it was.
    /// A money cell whose currency is unknown stays in minor units, and the column says so.
    public static func inMajorUnits(_ table: ReportTable, minorDigits: [String: Int]) -> ReportTable {
        guard let currency = table.columns.firstIndex(where: { $0.name == "currency" && !$0.isMeasure }) else { return table }
        var table = table
        var unknown = false
        for (index, column) in table.columns.enumerated() where column.kind == .money {
            for row in table.rows.indices {
                guard let cell = table.rows[row][index], let minor = Int(cell) else { continue }
                guard let digits = table.rows[row][currency].flatMap({ minorDigits[$0] }) else {
                    unknown = true
                    continue
                }
                table.rows[row][index] = major(minor, digits: digits)
            }
        }
        if unknown {
            for index in table.columns.indices where table.columns[index].kind == .money { table.columns[index].title += " (minor units where the currency is unknown)" }
        }
        return table
    }

    /// `123456` with 2 digits: `1234.56`.
    public static func major(_ minor: Int, digits: Int) -> String {
        guard digits > 0 else { return String(minor) }
        let sign = minor < 0 ? "-" : ""
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let fraction = String(abs(minor) % scale)
        return "\(sign)\(abs(minor) / scale).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }

    /// A cell as shown: `—` for none, whole and money amounts grouped by thousands.
    public static func text(_ cell: String?, _ kind: ReportTable.Kind) -> String {
        guard let cell else { return "—" }
        switch kind {
        case .integer, .money, .number, .hours: return grouped(cell)
        default: return cell
        }
    }

    /// `-1234567.5` as `-1,234,567.5`; what is not a number is left as it is.
    static func grouped(_ number: String) -> String {
        let sign = number.hasPrefix("-") ? "-" : ""
        let unsigned = number.dropFirst(sign.count)
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else { return number }
        var digits = String(whole), result = ""
        while digits.count > 3 {
            result = "," + digits.suffix(3) + result
            digits.removeLast(3)
        }
        return sign + digits + result + (parts.count > 1 ? "." + parts[1] : "")
    }
}
