import Contracts
import Foundation

/// A calendar day as the ledger keeps value and due dates: days since 1970-01-01, from and to
/// `YYYY-MM-DD`.
public enum LedgerDate {
    /// The day number of `text`, nil unless it is a real date `YYYY-MM-DD`.
    public static func day(_ text: String) -> Int? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in utf8[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month), year >= 1900,
            (1...CivilCalendar.daysIn(year: year, month: month)).contains(day)
        else { return nil }
        return CivilCalendar.days(year: year, month: month, day: day)
    }

    /// Today in UTC: the day overdue amounts are counted on. Arithmetic, not a date formatter:
    /// building one cost more than the balance query it dated.
    public static var today: String { text(Int((Date().timeIntervalSince1970 / 86_400).rounded(.down))) }

    public static func text(_ day: Int) -> String {
        let (year, month, dayOfMonth) = CivilCalendar.civil(days: day)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(dayOfMonth))"
    }
}
