extension FEELValue {
    /// `value.key`: a context entry, a projection over a list, or a property of a date, date and
    /// time or duration (`year`, `month`, `day`, `weekday`, `hour`, `days`, `hours` ...).
    static func member(_ value: FEELValue, _ key: String) -> FEELValue {
        switch value {
        case .context(let entries): return entries[key] ?? .null
        case .list(let items): return .list(items.map { member($0, key) })
        case .date(let days):
            let (year, month, day) = Temporal.civil(days: days)
            switch key {
            case "year": return .number(Double(year))
            case "month": return .number(Double(month))
            case "day": return .number(Double(day))
            case "weekday": return .number(Double(((days % 7) + 7 + 3) % 7 + 1))
            default: return .null
            }
        case .dateTime(let seconds, let offset):
            let local = seconds + Double(offset)
            let days = Int((local / 86_400).rounded(.down))
            let within = local - Double(days) * 86_400
            switch key {
            case "year", "month", "day", "weekday": return FEELValue.member(.date(days), key)
            case "hour": return .number((within / 3600).rounded(.down))
            case "minute": return .number((within.truncatingRemainder(dividingBy: 3600) / 60).rounded(.down))
            case "second": return .number(within.truncatingRemainder(dividingBy: 60))
            case "date": return .date(days)
            default: return .null
            }
        case .dayTimeDuration(let seconds):
            let magnitude = abs(seconds), sign = seconds < 0 ? -1.0 : 1.0
            switch key {
            case "days": return .number(sign * (magnitude / 86_400).rounded(.down))
            case "hours": return .number(sign * (magnitude.truncatingRemainder(dividingBy: 86_400) / 3600).rounded(.down))
            case "minutes": return .number(sign * (magnitude.truncatingRemainder(dividingBy: 3600) / 60).rounded(.down))
            case "seconds": return .number(sign * magnitude.truncatingRemainder(dividingBy: 60))
            default: return .null
            }
        case .yearMonthDuration(let months):
            switch key {
            case "years": return .number(Double(months / 12))
            case "months": return .number(Double(months % 12))
            default: return .null
            }
        default: return .null
        }
    }
}
