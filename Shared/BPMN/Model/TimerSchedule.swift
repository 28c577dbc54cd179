/// A timer's schedule once its expression is evaluated: a date, a duration from now, or a cycle
/// (`R3/PT1H`, `R/PT10M`, `R2/2026-12-01T08:00:00Z/P1D`).
public enum TimerSchedule: Sendable, Equatable {
    case at(Double)
    case after(Double)
    case cycle(repetitions: Int?, start: Double?, interval: Double)

    /// Reads the evaluated value of a timer expression of `kind`.
    public static func parse(_ value: FEELValue, kind: TimerDefinition.Kind) -> Result<TimerSchedule, TimerError> {
        switch (kind, value) {
        case (.date, .dateTime(let seconds, _)): return .success(.at(seconds))
        case (.date, .date(let days)): return .success(.at(Double(days) * 86_400))
        case (.duration, .dayTimeDuration(let seconds)), (.cycle, .dayTimeDuration(let seconds)):
            return seconds > 0 || kind == .duration
                ? .success(kind == .duration ? .after(seconds) : .cycle(repetitions: nil, start: nil, interval: seconds))
                : .failure(TimerError("a cycle needs a positive interval"))
        case (_, .string(let text)): return parse(text, kind: kind)
        default: return .failure(TimerError("\(value.typeName) is not a \(kind.rawValue) for a timer"))
        }
    }

    public static func parse(_ text: String, kind: TimerDefinition.Kind) -> Result<TimerSchedule, TimerError> {
        let text = text.trimmingWhitespace
        switch kind {
        case .date:
            guard case .dateTime(let seconds, _)? = Temporal.parseDateTime(text) else {
                return .failure(TimerError("\"\(text)\" is not an ISO 8601 date and time"))
            }
            return .success(.at(seconds))
        case .duration:
            guard case .dayTimeDuration(let seconds)? = Temporal.parseDuration(text) else {
                if case .yearMonthDuration? = Temporal.parseDuration(text) {
                    return .failure(TimerError("\"\(text)\": timer durations are days and time (P1D, PT1H), not months"))
                }
                return .failure(TimerError("\"\(text)\" is not an ISO 8601 duration such as PT1H"))
            }
            guard seconds >= 0 else { return .failure(TimerError("\"\(text)\" is negative")) }
            return .success(.after(seconds))
        case .cycle:
            let parts = text.split(separator: "/").map(String.init)
            guard parts.count == 2 || parts.count == 3, parts[0].hasPrefix("R") else {
                return .failure(TimerError("\"\(text)\" is not a cycle such as R3/PT1H or R/2026-12-01T08:00:00Z/P1D"))
            }
            let count = parts[0].dropFirst()
            let repetitions: Int? = count.isEmpty || count == "-1" ? nil : Int(count)
            guard count.isEmpty || count == "-1" || (repetitions ?? 0) > 0 else {
                return .failure(TimerError("\"\(parts[0])\" is not a repetition count"))
            }
            var start: Double?
            if parts.count == 3 {
                guard case .dateTime(let seconds, _)? = Temporal.parseDateTime(parts[1]) else {
                    return .failure(TimerError("\"\(parts[1])\" is not the start date and time of the cycle"))
                }
                start = seconds
            }
            guard case .dayTimeDuration(let interval)? = Temporal.parseDuration(parts[parts.count - 1]), interval > 0 else {
                return .failure(TimerError("\"\(parts[parts.count - 1])\" is not a positive interval"))
            }
            return .success(.cycle(repetitions: repetitions, start: start, interval: interval))
        }
    }

    /// When the timer first fires after `now`.
    public func firstDue(now: Double) -> Double {
        switch self {
        case .at(let seconds): return seconds
        case .after(let seconds): return now + seconds
        case .cycle(_, let start, let interval): return start.map { max($0, now) } ?? now + interval
        }
    }
}

public struct TimerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
