import Contracts

/// Calendar arithmetic on the proleptic Gregorian calendar in UTC, without Foundation's
/// `Calendar`, so that evaluation is pure, fast and the same on every machine.
public enum Temporal {
    /// Days since 1970-01-01 of a civil date.
    public static func days(year: Int, month: Int, day: Int) -> Int { CivilCalendar.days(year: year, month: month, day: day) }

    public static func civil(days: Int) -> (year: Int, month: Int, day: Int) { CivilCalendar.civil(days: days) }

    static func daysInMonth(year: Int, month: Int) -> Int { CivilCalendar.daysIn(year: year, month: month) }

    /// Adds months the way FEEL and ISO 8601 do: the day is kept, or clamped to the month's end.
    static func addMonths(_ months: Int, toDays value: Int) -> Int {
        let (year, month, day) = civil(days: value)
        let total = year * 12 + (month - 1) + months
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        return days(year: newYear, month: newMonth, day: min(day, daysInMonth(year: newYear, month: newMonth)))
    }

    static func addMonths(_ months: Int, toSeconds seconds: Double) -> Double {
        let dayCount = Int((seconds / 86_400).rounded(.down))
        let within = seconds - Double(dayCount) * 86_400
        return Double(addMonths(months, toDays: dayCount)) * 86_400 + within
    }

    // MARK: Parsing

    /// `2026-12-01`.
    public static func parseDate(_ text: Substring) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        return days(year: year, month: month, day: day)
    }

    /// `2026-12-01T10:00:00`, with optional fraction and `Z` or `±hh:mm`; no zone means UTC.
    /// A bare date is midnight UTC.
    public static func parseDateTime(_ text: String) -> FEELValue? {
        let separator = text.firstIndex { $0 == "T" || $0 == "t" }
        guard let separator else {
            return parseDate(Substring(text)).map { .dateTime(Double($0) * 86_400, offset: 0) }
        }
        guard let day = parseDate(text[..<separator]) else { return nil }
        var clock = text[text.index(after: separator)...]
        var offset = 0
        if clock.hasSuffix("Z") || clock.hasSuffix("z") {
            clock = clock.dropLast()
        } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = clock[clock.index(after: sign)...].split(separator: ":")
            guard zone.count == 2, let hours = Int(zone[0]), let minutes = Int(zone[1]), hours < 24, minutes < 60 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (clock[sign] == "-" ? -1 : 1)
            clock = clock[..<sign]
        } else if clock.contains("@") || clock.contains("[") {
            return nil  // named time zones are not supported
        }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0].count == 2, fields[1].count == 2, let hour = Int(fields[0]), let minute = Int(fields[1]),
            let second = Double(fields[2]), hour < 24, minute < 60, second >= 0, second < 61
        else { return nil }
        let local = Double(day) * 86_400 + Double(hour * 3600 + minute * 60) + second
        return .dateTime(local - Double(offset), offset: offset)
    }

    /// `P1Y2M` (years and months) or `P3DT4H5M6.5S` (days and time), optionally negative.
    public static func parseDuration(_ text: String) -> FEELValue? {
        var rest = Substring(text)
        var sign = 1.0
        if rest.hasPrefix("-") { sign = -1; rest = rest.dropFirst() }
        guard rest.hasPrefix("P"), rest.count > 1 else { return nil }
        rest = rest.dropFirst()
        var months = 0, seconds = 0.0, inTime = false, number = "", sawYearMonth = false, sawDayTime = false
        for character in rest {
            if character == "T" { guard !inTime else { return nil }; inTime = true; continue }
            if character.isNumber || character == "." { number.append(character); continue }
            guard let value = Double(number) else { return nil }
            number = ""
            switch (character, inTime) {
            case ("Y", false): months += Int(value) * 12; sawYearMonth = true
            case ("M", false): months += Int(value); sawYearMonth = true
            case ("W", false): seconds += value * 604_800; sawDayTime = true
            case ("D", false): seconds += value * 86_400; sawDayTime = true
            case ("H", true): seconds += value * 3600; sawDayTime = true
            case ("M", true): seconds += value * 60; sawDayTime = true
            case ("S", true): seconds += value; sawDayTime = true
            default: return nil
            }
        }
        guard number.isEmpty, sawYearMonth || sawDayTime, !(sawYearMonth && sawDayTime) else { return nil }
        return sawYearMonth ? .yearMonthDuration(Int(sign) * months) : .dayTimeDuration(sign * seconds)
    }

    // MARK: Formatting

    public static func format(_ value: FEELValue) -> String {
        switch value {
        case .date(let days): return formatDate(days)
        case .dateTime(let seconds, let offset): return formatDateTime(seconds, offset: offset)
        case .dayTimeDuration(let seconds): return formatDayTime(seconds)
        case .yearMonthDuration(let months):
            let sign = months < 0 ? "-" : ""
            let years = abs(months) / 12, rest = abs(months) % 12
            if years == 0 { return "\(sign)P\(rest)M" }
            return rest == 0 ? "\(sign)P\(years)Y" : "\(sign)P\(years)Y\(rest)M"
        default: return ""
        }
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    public static func formatDate(_ days: Int) -> String {
        let (year, month, day) = civil(days: days)
        let yearText = String(year)
        return "\(String(repeating: "0", count: max(0, 4 - yearText.count)))\(yearText)-\(two(month))-\(two(day))"
    }

    /// ISO 8601 in the value's own offset, `Z` for UTC; fractions of a second to milliseconds.
    public static func formatDateTime(_ seconds: Double, offset: Int = 0) -> String {
        let local = seconds + Double(offset)
        let day = Int((local / 86_400).rounded(.down))
        var within = local - Double(day) * 86_400
        let millis = Int(((within - within.rounded(.down)) * 1000).rounded())
        within = within.rounded(.down)
        let hour = Int(within) / 3600, minute = Int(within) % 3600 / 60, second = Int(within) % 60
        var text = "\(formatDate(day))T\(two(hour)):\(two(minute)):\(two(second))"
        if millis > 0 { text += "." + String(String(millis + 1000).dropFirst()) }
        if offset == 0 { return text + "Z" }
        let sign = offset < 0 ? "-" : "+"
        return text + "\(sign)\(two(abs(offset) / 3600)):\(two(abs(offset) % 3600 / 60))"
    }

    public static func formatDayTime(_ seconds: Double) -> String {
        let sign = seconds < 0 ? "-" : ""
        var rest = abs(seconds)
        let days = Int(rest / 86_400); rest -= Double(days) * 86_400
        let hours = Int(rest / 3600); rest -= Double(hours) * 3600
        let minutes = Int(rest / 60); rest -= Double(minutes) * 60
        var text = "\(sign)P"
        if days > 0 { text += "\(days)D" }
        if hours > 0 || minutes > 0 || rest > 0 || days == 0 {
            text += "T"
            if hours > 0 { text += "\(hours)H" }
            if minutes > 0 { text += "\(minutes)M" }
            if rest > 0 || (hours == 0 && minutes == 0) {
                text += rest == rest.rounded() ? "\(Int(rest))S" : "\(rest)S"
            }
        }
        return text
    }
}
