import Contracts

/// Days and moments as Billing reckons them: a day is a count of days since 1970-01-01, a
/// moment a count of seconds; both read from the wire's `YYYY-MM-DD` and ISO 8601 UTC texts by
/// arithmetic (a run reads millions of them).
public enum BillingDay {
    /// `YYYY-MM-DD`.
    public static func day(_ text: some StringProtocol) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
            (1...12).contains(month), (1...CivilCalendar.daysIn(year: year, month: month)).contains(day)
        else { return nil }
        return CivilCalendar.days(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff]Z` (or `+00:00`): seconds since 1970.
    public static func moment(_ text: some StringProtocol) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, let day = day(String(decoding: bytes[0..<10], as: UTF8.self)), bytes[10] == UInt8(ascii: "T"),
            let hour = number(bytes[11..<13]), bytes[13] == UInt8(ascii: ":"), let minute = number(bytes[14..<16]), bytes[16] == UInt8(ascii: ":"),
            let second = number(bytes[17..<19]), hour < 24, minute < 60, second < 61
        else { return nil }
        var rest = bytes[19...]
        if rest.first == UInt8(ascii: ".") { rest = rest.drop { $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
        guard Array(rest) == Array("Z".utf8) || Array(rest) == Array("+00:00".utf8) else { return nil }
        return day * 86_400 + hour * 3_600 + minute * 60 + second
    }

    public static func text(day: Int) -> String {
        let (year, month, day) = CivilCalendar.civil(days: day)
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public static func text(moment: Int) -> String {
        let day = moment.floorDiv(86_400), second = moment - day * 86_400
        return "\(text(day: day))T\(padded(second / 3_600, 2)):\(padded(second / 60 % 60, 2)):\(padded(second % 60, 2))Z"
    }

    /// The day a moment falls on (UTC).
    public static func day(of moment: Int) -> Int { moment.floorDiv(86_400) }

    /// The last second of a day.
    public static func endOf(day: Int) -> Int { day * 86_400 + 86_399 }

    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Int {
    func floorDiv(_ divisor: Int) -> Int { self >= 0 ? self / divisor : -((-self + divisor - 1) / divisor) }
}
