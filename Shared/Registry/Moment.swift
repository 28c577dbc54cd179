import Foundation
import Contracts

/// When something happened on site, as a command gives it: an ISO date (the day; noon UTC so
/// that no time zone moves it to another day) or an ISO date-time with its offset.
public enum Moment {
    /// The moment as UTC `2026-12-01T09:00:00Z`, nil when `text` is neither form.
    public static func normalized(_ text: String) -> String? {
        guard let date = parse(text) else { return nil }
        return dateTime(date)
    }

    public static func parse(_ text: String) -> Date? {
        if let day = date(text) { return day.addingTimeInterval(12 * 3600) }
        let withFractions = ISO8601DateFormatter()
        withFractions.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return ISO8601DateFormatter().date(from: text) ?? withFractions.date(from: text)
    }

    /// An ISO date `2034-06-30` as its midnight UTC.
    public static func date(_ text: String) -> Date? {
        guard text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
        return date
    }

    public static func dateTime(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    public static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

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
