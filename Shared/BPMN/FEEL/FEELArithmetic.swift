import Foundation

/// FEEL's operators on values, temporal arithmetic included: date and time ± duration, the
/// difference of two dates or date-times as a duration, durations scaled by numbers.
enum FEELArithmetic {
    static func apply(_ op: ArithmeticOperator, _ left: FEELValue, _ right: FEELValue) -> FEELValue {
        switch (op, left, right) {
        case (_, .number(let a), .number(let b)):
            switch op {
            case .add: return .number(a + b)
            case .subtract: return .number(a - b)
            case .multiply: return .number(a * b)
            case .divide: return b == 0 ? .null : .number(a / b)
            case .power: return .number(pow(a, b))
            }
        case (.add, .string(let a), .string(let b)): return .string(a + b)
        // Durations.
        case (.add, .dayTimeDuration(let a), .dayTimeDuration(let b)): return .dayTimeDuration(a + b)
        case (.subtract, .dayTimeDuration(let a), .dayTimeDuration(let b)): return .dayTimeDuration(a - b)
        case (.add, .yearMonthDuration(let a), .yearMonthDuration(let b)): return .yearMonthDuration(a + b)
        case (.subtract, .yearMonthDuration(let a), .yearMonthDuration(let b)): return .yearMonthDuration(a - b)
        case (.multiply, .dayTimeDuration(let a), .number(let b)), (.multiply, .number(let b), .dayTimeDuration(let a)):
            return .dayTimeDuration(a * b)
        case (.multiply, .yearMonthDuration(let a), .number(let b)), (.multiply, .number(let b), .yearMonthDuration(let a)):
            return .yearMonthDuration(Int((Double(a) * b).rounded(.towardZero)))
        case (.divide, .dayTimeDuration(let a), .number(let b)): return b == 0 ? .null : .dayTimeDuration(a / b)
        case (.divide, .dayTimeDuration(let a), .dayTimeDuration(let b)): return b == 0 ? .null : .number(a / b)
        // Dates and date-times with durations.
        case (.add, .dateTime(let s, let o), .dayTimeDuration(let d)), (.add, .dayTimeDuration(let d), .dateTime(let s, let o)):
            return .dateTime(s + d, offset: o)
        case (.subtract, .dateTime(let s, let o), .dayTimeDuration(let d)): return .dateTime(s - d, offset: o)
        case (.add, .dateTime(let s, let o), .yearMonthDuration(let m)), (.add, .yearMonthDuration(let m), .dateTime(let s, let o)):
            return .dateTime(Temporal.addMonths(m, toSeconds: s + Double(o)) - Double(o), offset: o)
        case (.subtract, .dateTime(let s, let o), .yearMonthDuration(let m)):
            return .dateTime(Temporal.addMonths(-m, toSeconds: s + Double(o)) - Double(o), offset: o)
        case (.add, .date(let days), .dayTimeDuration(let d)), (.add, .dayTimeDuration(let d), .date(let days)):
            return .date(days + Int((d / 86_400).rounded(.down)))
        case (.subtract, .date(let days), .dayTimeDuration(let d)): return .date(days - Int((d / 86_400).rounded(.up)))
        case (.add, .date(let days), .yearMonthDuration(let m)), (.add, .yearMonthDuration(let m), .date(let days)):
            return .date(Temporal.addMonths(m, toDays: days))
        case (.subtract, .date(let days), .yearMonthDuration(let m)): return .date(Temporal.addMonths(-m, toDays: days))
        case (.subtract, .dateTime(let a, _), .dateTime(let b, _)): return .dayTimeDuration(a - b)
        case (.subtract, .date(let a), .date(let b)): return .dayTimeDuration(Double(a - b) * 86_400)
        case (.subtract, .dateTime(let a, _), .date(let b)): return .dayTimeDuration(a - Double(b) * 86_400)
        case (.subtract, .date(let a), .dateTime(let b, _)): return .dayTimeDuration(Double(a) * 86_400 - b)
        default: return .null
        }
    }

    /// Comparison with FEEL's null semantics: `=` and `!=` are defined for any two values (null
    /// equals only null); ordering is null unless both sides are of one ordered type.
    static func compare(_ op: ComparisonOperator, _ left: FEELValue, _ right: FEELValue) -> FEELValue {
        if op == .equal || op == .notEqual {
            guard let same = equal(left, right) else { return .null }
            return .bool(op == .equal ? same : !same)
        }
        guard let order = ordering(left, right) else { return .null }
        switch op {
        case .less: return .bool(order < 0)
        case .lessOrEqual: return .bool(order <= 0)
        case .greater: return .bool(order > 0)
        case .greaterOrEqual: return .bool(order >= 0)
        default: return .null
        }
    }

    static func equal(_ left: FEELValue, _ right: FEELValue) -> Bool? {
        switch (left, right) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.list(let a), .list(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where equal(x, y) != true { return false }
            return true
        case (.context(let a), .context(let b)):
            guard a.count == b.count else { return false }
            for (key, x) in a { guard let y = b[key], equal(x, y) == true else { return false } }
            return true
        case (.date(let a), .dateTime(let b, _)): return Double(a) * 86_400 == b
        case (.dateTime(let a, _), .date(let b)): return a == Double(b) * 86_400
        default:
            if let order = ordering(left, right) { return order == 0 }
            if case .bool(let a) = left, case .bool(let b) = right { return a == b }
            return left.typeName == right.typeName ? left == right : nil
        }
    }

    static func ordering(_ left: FEELValue, _ right: FEELValue) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }
        switch (left, right) {
        case (.number(let a), .number(let b)): return order(a, b)
        case (.string(let a), .string(let b)): return order(a, b)
        case (.date(let a), .date(let b)): return order(a, b)
        case (.dateTime(let a, _), .dateTime(let b, _)): return order(a, b)
        case (.date(let a), .dateTime(let b, _)): return order(Double(a) * 86_400, b)
        case (.dateTime(let a, _), .date(let b)): return order(a, Double(b) * 86_400)
        case (.dayTimeDuration(let a), .dayTimeDuration(let b)): return order(a, b)
        case (.yearMonthDuration(let a), .yearMonthDuration(let b)): return order(a, b)
        default: return nil
        }
    }

    /// Whether a range contains a value.
    static func contains(_ range: FEELValue, _ value: FEELValue) -> FEELValue {
        guard case .range(let low, let lowClosed, let high, let highClosed) = range else { return .null }
        if let low {
            guard let order = ordering(value, low) else { return .null }
            if order < 0 || (order == 0 && !lowClosed) { return .bool(false) }
        }
        if let high {
            guard let order = ordering(value, high) else { return .null }
            if order > 0 || (order == 0 && !highClosed) { return .bool(false) }
        }
        return .bool(true)
    }
}
