import Foundation

/// The built-in functions of the subset: conversion, string, list, number, temporal, context and
/// boolean functions of the FEEL specification, plus Camunda's `is defined` and `trim`.
/// A call with arguments of the wrong type is null, as FEEL says.
enum FEELFunctions {
    typealias Body = @Sendable ([FEELValue], Double) -> FEELValue
    struct Function: Sendable {
        var arity: ClosedRange<Int>
        var body: Body
    }

    static func isBuiltin(_ name: String) -> Bool { table[name] != nil }

    static func accepts(_ name: String, arguments: Int) -> Bool { table[name]?.arity.contains(arguments) ?? false }

    static func call(_ name: String, _ arguments: [FEELValue], now: Double) -> FEELValue {
        table[name]?.body(arguments, now) ?? .null
    }

    static func temporalLiteral(_ text: String) -> FEELValue? {
        if let days = Temporal.parseDate(Substring(text)) { return .date(days) }
        if text.contains("T"), let value = Temporal.parseDateTime(text) { return value }
        return Temporal.parseDuration(text)
    }

    // MARK: Helpers

    private static func string(_ value: FEELValue) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    private static func number(_ value: FEELValue) -> Double? {
        if case .number(let number) = value { return number }
        return nil
    }

    private static func list(_ value: FEELValue) -> [FEELValue]? {
        switch value {
        case .list(let items): return items
        case .null: return nil
        default: return [value]
        }
    }

    /// `max(1, 2, 3)` and `max([1, 2, 3])` both take a list.
    private static func spread(_ arguments: [FEELValue]) -> [FEELValue]? {
        arguments.count == 1 ? list(arguments[0]) : arguments
    }

    private static func numbers(_ arguments: [FEELValue]) -> [Double]? {
        guard let items = spread(arguments) else { return nil }
        let values = items.compactMap(number)
        return values.count == items.count ? values : nil
    }

    private static func text(of value: FEELValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number):
            return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): return text
        case .date, .dateTime, .dayTimeDuration, .yearMonthDuration: return Temporal.format(value)
        default: return value.json.canonicalJSON
        }
    }

    private static func rounded(_ value: Double, scale: Double, _ rule: FloatingPointRoundingRule) -> Double {
        let factor = pow(10, scale)
        return (value * factor).rounded(rule) / factor
    }

    private static func regex(_ pattern: String, flags: String = "") -> NSRegularExpression? {
        var options: NSRegularExpression.Options = []
        if flags.contains("i") { options.insert(.caseInsensitive) }
        if flags.contains("s") { options.insert(.dotMatchesLineSeparators) }
        if flags.contains("m") { options.insert(.anchorsMatchLines) }
        return try? NSRegularExpression(pattern: pattern, options: options)
    }

    private static func sortKey(_ a: FEELValue, _ b: FEELValue) -> Bool { (FEELArithmetic.ordering(a, b) ?? 0) < 0 }

    // MARK: The table

    private static let table: [String: Function] = {
        var t: [String: Function] = [:]
        func define(_ name: String, _ arity: ClosedRange<Int>, _ body: @escaping Body) { t[name] = Function(arity: arity, body: body) }

        // Conversion.
        define("string", 1...1) { a, _ in a[0] == .null ? .null : .string(text(of: a[0])) }
        define("number", 1...1) { a, _ in
            if let n = number(a[0]) { return .number(n) }
            return string(a[0]).flatMap { Double($0.trimmingWhitespace) }.map(FEELValue.number) ?? .null
        }
        define("date", 1...3) { a, _ in
            if a.count == 3 {
                guard let y = number(a[0]), let m = number(a[1]), let d = number(a[2]) else { return .null }
                return Temporal.parseDate(Substring("\(String(format: "%04d", Int(y)))-\(Temporal.two(Int(m)))-\(Temporal.two(Int(d)))"))
                    .map(FEELValue.date) ?? .null
            }
            switch a[0] {
            case .date: return a[0]
            case .dateTime(let s, let o): return .date(Int(((s + Double(o)) / 86_400).rounded(.down)))
            case .string(let text):
                if let days = Temporal.parseDate(Substring(text)) { return .date(days) }
                return .null
            default: return .null
            }
        }
        define("date and time", 1...2) { a, _ in
            if a.count == 2 {
                guard case .date(let days) = a[0], let clock = string(a[1]) else { return .null }
                return Temporal.parseDateTime("\(Temporal.formatDate(days))T\(clock)") ?? .null
            }
            switch a[0] {
            case .dateTime: return a[0]
            case .date(let days): return .dateTime(Double(days) * 86_400, offset: 0)
            case .string(let text): return Temporal.parseDateTime(text) ?? .null
            default: return .null
            }
        }
        define("duration", 1...1) { a, _ in string(a[0]).flatMap(Temporal.parseDuration) ?? .null }
        define("years and months duration", 2...2) { a, _ in
            func days(_ value: FEELValue) -> Int? {
                switch value {
                case .date(let d): return d
                case .dateTime(let s, let o): return Int(((s + Double(o)) / 86_400).rounded(.down))
                default: return nil
                }
            }
            guard let from = days(a[0]), let to = days(a[1]) else { return .null }
            let (y1, m1, d1) = Temporal.civil(days: from), (y2, m2, d2) = Temporal.civil(days: to)
            var months = (y2 - y1) * 12 + (m2 - m1)
            if months > 0 && d2 < d1 { months -= 1 } else if months < 0 && d2 > d1 { months += 1 }
            return .yearMonthDuration(months)
        }
        define("now", 0...0) { _, now in .dateTime(now, offset: 0) }
        define("today", 0...0) { _, now in .date(Int((now / 86_400).rounded(.down))) }
        define("day of week", 1...1) { a, _ in
            guard case .number(let n) = FEELValue.member(a[0], "weekday") else { return .null }
            return .string(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][Int(n) - 1])
        }
        define("month of year", 1...1) { a, _ in
            guard case .number(let n) = FEELValue.member(a[0], "month") else { return .null }
            return .string(["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"][Int(n) - 1])
        }
        define("last day of month", 1...1) { a, _ in
            guard case .number(let y) = FEELValue.member(a[0], "year"),
                case .number(let m) = FEELValue.member(a[0], "month") else { return .null }
            return .date(Temporal.days(year: Int(y), month: Int(m), day: Temporal.daysInMonth(year: Int(y), month: Int(m))))
        }

        // Strings.
        define("string length", 1...1) { a, _ in string(a[0]).map { .number(Double($0.count)) } ?? .null }
        define("upper case", 1...1) { a, _ in string(a[0]).map { .string($0.uppercased()) } ?? .null }
        define("lower case", 1...1) { a, _ in string(a[0]).map { .string($0.lowercased()) } ?? .null }
        define("trim", 1...1) { a, _ in string(a[0]).map { .string($0.trimmingWhitespace) } ?? .null }
        define("substring", 2...3) { a, _ in
            guard let s = string(a[0]), let start = number(a[1]) else { return .null }
            let characters = Array(s)
            let from = start > 0 ? Int(start) - 1 : characters.count + Int(start)
            guard from >= 0, from <= characters.count else { return .null }
            let length = a.count == 3 ? (number(a[2]).map(Int.init) ?? -1) : characters.count - from
            guard length >= 0 else { return .null }
            return .string(String(characters[from..<min(characters.count, from + length)]))
        }
        define("substring before", 2...2) { a, _ in
            guard let s = string(a[0]), let m = string(a[1]) else { return .null }
            guard !m.isEmpty, let r = s.range(of: m) else { return .string("") }
            return .string(String(s[..<r.lowerBound]))
        }
        define("substring after", 2...2) { a, _ in
            guard let s = string(a[0]), let m = string(a[1]) else { return .null }
            guard !m.isEmpty else { return .string(s) }
            guard let r = s.range(of: m) else { return .string("") }
            return .string(String(s[r.upperBound...]))
        }
        define("contains", 2...2) { a, _ in
            guard let s = string(a[0]), let m = string(a[1]) else { return .null }
            return .bool(m.isEmpty || s.contains(m))
        }
        define("starts with", 2...2) { a, _ in
            guard let s = string(a[0]), let m = string(a[1]) else { return .null }
            return .bool(s.hasPrefix(m))
        }
        define("ends with", 2...2) { a, _ in
            guard let s = string(a[0]), let m = string(a[1]) else { return .null }
            return .bool(s.hasSuffix(m))
        }
        define("matches", 2...3) { a, _ in
            guard let s = string(a[0]), let p = string(a[1]),
                let expression = regex(p, flags: a.count == 3 ? string(a[2]) ?? "" : "") else { return .null }
            return .bool(expression.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil)
        }
        define("replace", 3...4) { a, _ in
            guard let s = string(a[0]), let p = string(a[1]), let r = string(a[2]),
                let expression = regex(p, flags: a.count == 4 ? string(a[3]) ?? "" : "") else { return .null }
            return .string(expression.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: r))
        }
        define("split", 2...2) { a, _ in
            guard let s = string(a[0]), let p = string(a[1]), let expression = regex(p) else { return .null }
            var parts: [FEELValue] = [], last = s.startIndex
            for match in expression.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
                guard let r = Range(match.range, in: s) else { continue }
                parts.append(.string(String(s[last..<r.lowerBound])))
                last = r.upperBound
            }
            parts.append(.string(String(s[last...])))
            return .list(parts)
        }
        define("string join", 1...2) { a, _ in
            guard let items = list(a[0]) else { return .null }
            let texts = items.compactMap(string)
            guard texts.count == items.filter({ $0 != .null }).count else { return .null }
            return .string(texts.joined(separator: a.count == 2 ? string(a[1]) ?? "" : ""))
        }

        // Lists.
        define("list contains", 2...2) { a, _ in
            guard let items = list(a[0]) else { return .null }
            return .bool(items.contains { FEELArithmetic.equal($0, a[1]) == true })
        }
        define("count", 1...1) { a, _ in list(a[0]).map { .number(Double($0.count)) } ?? .null }
        define("min", 1...Int.max) { a, _ in
            guard let items = spread(a), !items.isEmpty else { return .null }
            return items.dropFirst().reduce(items[0]) { FEELArithmetic.ordering($1, $0).map { $0 < 0 } == true ? $1 : $0 }
        }
        define("max", 1...Int.max) { a, _ in
            guard let items = spread(a), !items.isEmpty else { return .null }
            return items.dropFirst().reduce(items[0]) { FEELArithmetic.ordering($1, $0).map { $0 > 0 } == true ? $1 : $0 }
        }
        define("sum", 1...Int.max) { a, _ in numbers(a).map { .number($0.reduce(0, +)) } ?? .null }
        define("product", 1...Int.max) { a, _ in numbers(a).map { $0.isEmpty ? .null : .number($0.reduce(1, *)) } ?? .null }
        define("mean", 1...Int.max) { a, _ in
            guard let values = numbers(a), !values.isEmpty else { return .null }
            return .number(values.reduce(0, +) / Double(values.count))
        }
        define("median", 1...Int.max) { a, _ in
            guard let values = numbers(a)?.sorted(), !values.isEmpty else { return .null }
            let middle = values.count / 2
            return .number(values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2)
        }
        define("all", 1...Int.max) { a, _ in
            guard let items = spread(a) else { return .null }
            if items.contains(.bool(false)) { return .bool(false) }
            return items.allSatisfy { $0 == .bool(true) } ? .bool(true) : .null
        }
        define("any", 1...Int.max) { a, _ in
            guard let items = spread(a) else { return .null }
            if items.contains(.bool(true)) { return .bool(true) }
            return items.allSatisfy { $0 == .bool(false) } ? .bool(false) : .null
        }
        define("sublist", 2...3) { a, _ in
            guard let items = list(a[0]), let start = number(a[1]) else { return .null }
            let from = start > 0 ? Int(start) - 1 : items.count + Int(start)
            guard from >= 0, from <= items.count else { return .null }
            let length = a.count == 3 ? (number(a[2]).map(Int.init) ?? 0) : items.count - from
            return .list(Array(items[from..<min(items.count, from + max(0, length))]))
        }
        define("append", 1...Int.max) { a, _ in list(a[0]).map { .list($0 + a.dropFirst()) } ?? .null }
        define("concatenate", 1...Int.max) { a, _ in
            var out: [FEELValue] = []
            for value in a { guard let items = list(value) else { return .null }; out += items }
            return .list(out)
        }
        define("insert before", 3...3) { a, _ in
            guard var items = list(a[0]), let position = number(a[1]) else { return .null }
            let at = position > 0 ? Int(position) - 1 : items.count + Int(position)
            guard at >= 0, at <= items.count else { return .null }
            items.insert(a[2], at: at)
            return .list(items)
        }
        define("remove", 2...2) { a, _ in
            guard var items = list(a[0]), let position = number(a[1]) else { return .null }
            let at = position > 0 ? Int(position) - 1 : items.count + Int(position)
            guard at >= 0, at < items.count else { return .null }
            items.remove(at: at)
            return .list(items)
        }
        define("reverse", 1...1) { a, _ in list(a[0]).map { .list($0.reversed()) } ?? .null }
        define("index of", 2...2) { a, _ in
            guard let items = list(a[0]) else { return .null }
            return .list(items.indices.filter { FEELArithmetic.equal(items[$0], a[1]) == true }.map { .number(Double($0 + 1)) })
        }
        define("distinct values", 1...1) { a, _ in
            guard let items = list(a[0]) else { return .null }
            var out: [FEELValue] = []
            for item in items where !out.contains(where: { FEELArithmetic.equal($0, item) == true }) { out.append(item) }
            return .list(out)
        }
        define("union", 1...Int.max) { a, _ in
            var out: [FEELValue] = []
            for value in a {
                guard let items = list(value) else { return .null }
                for item in items where !out.contains(where: { FEELArithmetic.equal($0, item) == true }) { out.append(item) }
            }
            return .list(out)
        }
        define("flatten", 1...1) { a, _ in
            func flat(_ value: FEELValue) -> [FEELValue] {
                if case .list(let items) = value { return items.flatMap(flat) }
                return [value]
            }
            return a[0] == .null ? .null : .list(flat(a[0]))
        }
        define("sort", 1...1) { a, _ in list(a[0]).map { .list($0.sorted(by: sortKey)) } ?? .null }

        // Numbers.
        define("decimal", 2...2) { a, _ in
            guard let n = number(a[0]), let s = number(a[1]) else { return .null }
            return .number(rounded(n, scale: s, .toNearestOrEven))
        }
        define("round half up", 2...2) { a, _ in
            guard let n = number(a[0]), let s = number(a[1]) else { return .null }
            return .number(rounded(n, scale: s, .toNearestOrAwayFromZero))
        }
        define("round half down", 2...2) { a, _ in
            guard let n = number(a[0]), let s = number(a[1]) else { return .null }
            let factor = pow(10, s), scaled = n * factor
            let floor = scaled.rounded(.towardZero)
            return .number((abs(scaled - floor) > 0.5 ? floor + (scaled < 0 ? -1 : 1) : floor) / factor)
        }
        define("round up", 2...2) { a, _ in
            guard let n = number(a[0]), let s = number(a[1]) else { return .null }
            return .number(rounded(n, scale: s, .awayFromZero))
        }
        define("round down", 2...2) { a, _ in
            guard let n = number(a[0]), let s = number(a[1]) else { return .null }
            return .number(rounded(n, scale: s, .towardZero))
        }
        define("floor", 1...2) { a, _ in
            guard let n = number(a[0]) else { return .null }
            return .number(rounded(n, scale: a.count == 2 ? number(a[1]) ?? 0 : 0, .down))
        }
        define("ceiling", 1...2) { a, _ in
            guard let n = number(a[0]) else { return .null }
            return .number(rounded(n, scale: a.count == 2 ? number(a[1]) ?? 0 : 0, .up))
        }
        define("abs", 1...1) { a, _ in
            switch a[0] {
            case .number(let n): return .number(abs(n))
            case .dayTimeDuration(let d): return .dayTimeDuration(abs(d))
            case .yearMonthDuration(let m): return .yearMonthDuration(abs(m))
            default: return .null
            }
        }
        define("modulo", 2...2) { a, _ in
            guard let n = number(a[0]), let d = number(a[1]), d != 0 else { return .null }
            return .number(n - d * (n / d).rounded(.down))
        }
        define("sqrt", 1...1) { a, _ in number(a[0]).flatMap { $0 < 0 ? nil : .number($0.squareRoot()) } ?? .null }
        define("log", 1...1) { a, _ in number(a[0]).flatMap { $0 <= 0 ? nil : .number(Foundation.log($0)) } ?? .null }
        define("exp", 1...1) { a, _ in number(a[0]).map { .number(Foundation.exp($0)) } ?? .null }
        define("odd", 1...1) { a, _ in number(a[0]).map { .bool($0 == $0.rounded() && Int($0) % 2 != 0) } ?? .null }
        define("even", 1...1) { a, _ in number(a[0]).map { .bool($0 == $0.rounded() && Int($0) % 2 == 0) } ?? .null }

        // Contexts and booleans.
        define("get value", 2...2) { a, _ in
            guard case .context(let entries) = a[0], let key = string(a[1]) else { return .null }
            return entries[key] ?? .null
        }
        define("get entries", 1...1) { a, _ in
            guard case .context(let entries) = a[0] else { return .null }
            return .list(entries.keys.sorted().map { .context(["key": .string($0), "value": entries[$0]!]) })
        }
        define("context put", 3...3) { a, _ in
            guard case .context(var entries) = a[0], let key = string(a[1]) else { return .null }
            entries[key] = a[2]
            return .context(entries)
        }
        define("not", 1...1) { a, _ in
            if case .bool(let flag) = a[0] { return .bool(!flag) }
            return .null
        }
        define("is defined", 1...1) { a, _ in .bool(a[0] != .null) }
        return t
    }()
}
