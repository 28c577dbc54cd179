/// A recursive-descent parser for the FEEL subset of process models; see `Expression` for what it
/// covers. Precedence, loosest first: if/for/some/every, or, and, comparison (with between, in,
/// instance of), + -, * /, **, unary minus, then paths, filters and calls.
struct FEELParser {
    private let tokens: [FEELLexer.Located]
    private var index = 0

    static func parse(_ text: String, juel: Bool = false) throws(FEELSyntaxError) -> FEELNode {
        var parser = FEELParser(tokens: try FEELLexer.tokens(text, juel: juel))
        let node = try parser.expression()
        guard parser.current == .end else { throw parser.error("unexpected \(parser.describe(parser.current))") }
        return node
    }

    /// Unary tests, as in a decision table cell or after `in`: `< 5`, `"a", "b"`, `[1..3]`, `-`.
    static func parseUnaryTests(_ text: String) throws(FEELSyntaxError) -> [UnaryTest] {
        var parser = FEELParser(tokens: try FEELLexer.tokens(text, juel: false))
        var tests = [try parser.unaryTest()]
        while parser.take(.symbol(",")) { tests.append(try parser.unaryTest()) }
        guard parser.current == .end else { throw parser.error("unexpected \(parser.describe(parser.current))") }
        return tests
    }

    private init(tokens: [FEELLexer.Located]) { self.tokens = tokens }

    private var current: FEELLexer.Token { tokens[index].token }
    private func peek(_ offset: Int) -> FEELLexer.Token { tokens[min(index + offset, tokens.count - 1)].token }
    private func error(_ reason: String) -> FEELSyntaxError { FEELSyntaxError(position: tokens[index].position, reason: reason) }

    private func describe(_ token: FEELLexer.Token) -> String {
        switch token {
        case .number(let value): "number \(value)"
        case .string(let value): "string \"\(value)\""
        case .temporal(let value): "@\"\(value)\""
        case .name(let value): "\"\(value)\""
        case .symbol(let value): "\"\(value)\""
        case .end: "end of expression"
        }
    }

    private mutating func take(_ token: FEELLexer.Token) -> Bool {
        guard current == token else { return false }
        index += 1
        return true
    }

    private mutating func expect(_ token: FEELLexer.Token) throws(FEELSyntaxError) {
        guard take(token) else { throw error("expected \(describe(token)), found \(describe(current))") }
    }

    private mutating func identifier() throws(FEELSyntaxError) -> String {
        guard case .name(let name) = current else { throw error("expected a name, found \(describe(current))") }
        index += 1
        return name
    }

    private mutating func expression() throws(FEELSyntaxError) -> FEELNode {
        if case .name(let word) = current {
            switch word {
            case "if":
                index += 1
                let condition = try expression()
                try expect(.name("then"))
                let then = try expression()
                try expect(.name("else"))
                return .conditional(condition, then, try expression())
            case "for" where peek(2) == .name("in"):
                index += 1
                let variable = try identifier()
                try expect(.name("in"))
                let list = try expression()
                try expect(.name("return"))
                return .forEach(variable, list, try expression())
            case "some" where peek(2) == .name("in"), "every" where peek(2) == .name("in"):
                index += 1
                let variable = try identifier()
                try expect(.name("in"))
                let list = try expression()
                try expect(.name("satisfies"))
                return .quantified(every: word == "every", variable, list, try expression())
            default: break
            }
        }
        return try disjunction()
    }

    private mutating func disjunction() throws(FEELSyntaxError) -> FEELNode {
        var node = try conjunction()
        while take(.name("or")) { node = .or(node, try conjunction()) }
        return node
    }

    private mutating func conjunction() throws(FEELSyntaxError) -> FEELNode {
        var node = try comparison()
        while take(.name("and")) { node = .and(node, try comparison()) }
        return node
    }

    private static let comparisons: [String: ComparisonOperator] = [
        "=": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    private mutating func comparison() throws(FEELSyntaxError) -> FEELNode {
        let node = try additive()
        if case .symbol(let symbol) = current, let op = Self.comparisons[symbol] {
            index += 1
            return .comparison(op, node, try additive())
        }
        if take(.name("between")) {
            let low = try additive()
            try expect(.name("and"))
            return .between(node, low, try additive())
        }
        if take(.name("in")) {
            return .isIn(node, try testsAfterIn())
        }
        if current == .name("instance"), peek(1) == .name("of") {
            index += 2
            var type = try identifier()
            while case .name(let more) = current, ["and", "time", "duration", "months", "years", "days"].contains(more) {
                type += " " + more
                index += 1
            }
            return .instanceOf(node, type)
        }
        return node
    }

    private mutating func testsAfterIn() throws(FEELSyntaxError) -> [UnaryTest] {
        if current == .symbol("(") {
            let saved = index
            index += 1
            if let tests = try? testList() { return tests }
            index = saved
        }
        return [try unaryTest()]
    }

    private mutating func testList() throws(FEELSyntaxError) -> [UnaryTest] {
        var tests = [try unaryTest()]
        while take(.symbol(",")) { tests.append(try unaryTest()) }
        try expect(.symbol(")"))
        return tests
    }

    private mutating func unaryTest() throws(FEELSyntaxError) -> UnaryTest {
        if current == .symbol("-"), peek(1) == .end || peek(1) == .symbol(",") || peek(1) == .symbol(")") {
            index += 1
            return .any
        }
        if case .symbol(let symbol) = current, let op = Self.comparisons[symbol] {
            index += 1
            return .compare(op, try additive())
        }
        return .matches(try additive())
    }

    private mutating func additive() throws(FEELSyntaxError) -> FEELNode {
        var node = try multiplicative()
        while true {
            if take(.symbol("+")) { node = .arithmetic(.add, node, try multiplicative()) }
            else if take(.symbol("-")) { node = .arithmetic(.subtract, node, try multiplicative()) }
            else { return node }
        }
    }

    private mutating func multiplicative() throws(FEELSyntaxError) -> FEELNode {
        var node = try power()
        while true {
            if take(.symbol("*")) { node = .arithmetic(.multiply, node, try power()) }
            else if take(.symbol("/")) { node = .arithmetic(.divide, node, try power()) }
            else { return node }
        }
    }

    private mutating func power() throws(FEELSyntaxError) -> FEELNode {
        var node = try unary()
        while take(.symbol("**")) { node = .arithmetic(.power, node, try unary()) }
        return node
    }

    private mutating func unary() throws(FEELSyntaxError) -> FEELNode {
        if take(.symbol("-")) { return .negate(try unary()) }
        if current == .name("not"), peek(1) != .symbol("(") {
            index += 1
            return .not(try unary())
        }
        return try postfix()
    }

    private mutating func postfix() throws(FEELSyntaxError) -> FEELNode {
        var node = try primary()
        while true {
            if take(.symbol(".")) {
                node = .path(node, try identifier())
            } else if current == .symbol("[") {
                index += 1
                let selector = try expression()
                try expect(.symbol("]"))
                node = .filter(node, selector)
            } else {
                return node
            }
        }
    }

    private mutating func primary() throws(FEELSyntaxError) -> FEELNode {
        let token = current
        switch token {
        case .number(let value):
            index += 1
            return .literal(.number(value))
        case .string(let value):
            index += 1
            return .literal(.string(value))
        case .temporal(let text):
            index += 1
            guard let value = FEELFunctions.temporalLiteral(text) else { throw error("@\"\(text)\" is not a date, date and time or duration") }
            return .literal(value)
        case .symbol("("):
            index += 1
            let inner = try expression()
            if take(.symbol("..")) { return try rangeEnd(low: inner, lowClosed: false) }
            try expect(.symbol(")"))
            return inner
        case .symbol("]"):
            index += 1
            let low = try expression()
            try expect(.symbol(".."))
            return try rangeEnd(low: low, lowClosed: false)
        case .symbol("["):
            index += 1
            if take(.symbol("]")) { return .list([]) }
            let first = try expression()
            if take(.symbol("..")) { return try rangeEnd(low: first, lowClosed: true) }
            var items = [first]
            while take(.symbol(",")) { items.append(try expression()) }
            try expect(.symbol("]"))
            return .list(items)
        case .symbol("{"):
            index += 1
            var entries: [(String, FEELNode)] = []
            if take(.symbol("}")) { return .context(entries) }
            repeat {
                let key: String
                switch current {
                case .name(let name): key = name
                case .string(let text): key = text
                default: throw error("expected a context key, found \(describe(current))")
                }
                index += 1
                try expect(.symbol(":"))
                entries.append((key, try expression()))
            } while take(.symbol(","))
            try expect(.symbol("}"))
            return .context(entries)
        case .name(let word):
            switch word {
            case "true": index += 1; return .literal(.bool(true))
            case "false": index += 1; return .literal(.bool(false))
            case "null": index += 1; return .literal(.null)
            default: break
            }
            if let (function, length) = builtinName(), peek(length) == .symbol("(") {
                index += length + 1
                var arguments: [FEELNode] = []
                if !take(.symbol(")")) {
                    repeat { arguments.append(try expression()) } while take(.symbol(","))
                    try expect(.symbol(")"))
                }
                guard FEELFunctions.accepts(function, arguments: arguments.count) else {
                    throw error("\(function)() does not take \(arguments.count) argument\(arguments.count == 1 ? "" : "s")")
                }
                return .call(function, arguments)
            }
            if peek(1) == .symbol("(") { throw error("unknown function \(word)()") }
            if ["and", "or", "then", "else", "in", "return", "satisfies", "between"].contains(word) {
                throw error("unexpected \(word)")
            }
            index += 1
            // FEEL names may contain spaces ("Vacation Approval Status"): two names in a row
            // are otherwise never valid, so they are read as one.
            var name = word
            while case .name(let next) = current, !Self.keywords.contains(next), peek(1) != .symbol("(") {
                name += " " + next
                index += 1
            }
            return .name(name)
        default:
            throw error("unexpected \(describe(token))")
        }
    }

    private mutating func rangeEnd(low: FEELNode, lowClosed: Bool) throws(FEELSyntaxError) -> FEELNode {
        let high = try expression()
        if take(.symbol("]")) { return .range(low: low, lowClosed: lowClosed, high: high, highClosed: true) }
        if take(.symbol(")")) || take(.symbol("[")) { return .range(low: low, lowClosed: lowClosed, high: high, highClosed: false) }
        throw error("expected ] or ) to end the range")
    }

    private static let keywords: Set<String> = [
        "and", "or", "then", "else", "in", "return", "satisfies", "between", "instance", "of", "for", "some", "every", "if",
        "not", "true", "false", "null",
    ]

    /// The longest built-in function name starting here ("date and time", "string length").
    private func builtinName() -> (String, Int)? {
        var words: [String] = []
        var best: (String, Int)?
        for offset in 0..<4 {
            guard case .name(let word) = peek(offset) else { break }
            words.append(word)
            let candidate = words.joined(separator: " ")
            if FEELFunctions.isBuiltin(candidate) { best = (candidate, offset + 1) }
        }
        return best
    }
}
