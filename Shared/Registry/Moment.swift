import Contracts
import Foundation

/// When something happened on site, as a command gives it: an ISO date (the day; noon UTC so
/// that no time zone moves it to another day) or an ISO date-time with its offset. Parsed with
/// the format styles, not formatters: a formatter built per call cost more than the rest of
/// checking an import.
public enum Moment {
    static let withFractions = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The moment as UTC `2026-12-01T09:00:00Z`, nil when `text` is neither form.
    public static func normalized(_ text: String) -> String? { parse(text).map(dateTime) }

    public static func parse(_ text: String) -> Date? {
        if let day = date(text) { return day.addingTimeInterval(12 * 3600) }
        return (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: withFractions))
    }

    /// An ISO date `2034-06-30` as its midnight UTC; nil for anything else, 2026-02-30 too.
    public static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard ASCII.isDigit(bytes[index]) else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month), day >= 1 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day <= days else { return nil }
        // Days from 1970-01-01 (the civil-from-days algorithm's inverse, proleptic Gregorian).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Date(timeIntervalSince1970: Double(era * 146_097 + dayOfEra - 719_468) * 86_400)
    }

    public static func dateTime(_ date: Date) -> String { date.formatted(.iso8601) }

    public static func day(_ date: Date) -> String { String(dateTime(date).prefix(10)) }

    /// The `at` of a command: when given it must parse and not lie ahead (a date is taken at
    /// noon UTC, so today's date is never refused); when left out it is `now`.
    public static func of(_ text: String?, field: String = "at", now: Date, problems: inout [FieldProblem]) -> Date {
        guard let text else { return now }
        guard let date = parse(text) else {
            problems.append(FieldProblem(field, "must be a date like 2026-12-01 or a date-time like 2026-12-01T09:30:00+03:30"))
            return now
        }
        if date.timeIntervalSince(now) > 13 * 3600 { problems.append(FieldProblem(field, "lies in the future")) }
        return date
    }
}
