/// Splits FEEL text into tokens. With `juel` set it also reads the operators of Camunda 7
/// conditions (`==`, `&&`, `||`, `!`, and `eq`, `ne`, `lt`, `gt`, `le`, `ge`, `and`, `or`, `not`).
struct FEELLexer {
    enum Token: Equatable, Sendable {
        case number(Double)
        case string(String)
        case temporal(String)
        case name(String)
        case symbol(String)
        case end
    }

    struct Located: Sendable { var token: Token; var position: Int }

    static func tokens(_ text: String, juel: Bool) throws(FEELSyntaxError) -> [Located] {
        let characters = Array(text.unicodeScalars)
        var out: [Located] = []
        var index = 0
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || c == "_" || c == "$" || c == "?" }
        func isNamePart(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || ("0"..."9").contains(c) }
        while index < characters.count {
            let c = characters[index]
            let start = index
            if c == " " || c == "\n" || c == "\t" || c == "\r" { index += 1; continue }
            if c == "/" && index + 1 < characters.count && characters[index + 1] == "/" {
                while index < characters.count && characters[index] != "\n" { index += 1 }
                continue
            }
            if c == "/" && index + 1 < characters.count && characters[index + 1] == "*" {
                index += 2
                while index + 1 < characters.count && !(characters[index] == "*" && characters[index + 1] == "/") { index += 1 }
                guard index + 1 < characters.count else { throw FEELSyntaxError(position: start, reason: "a comment is not closed") }
                index += 2
                continue
            }
            if ("0"..."9").contains(c) || (c == "." && index + 1 < characters.count && ("0"..."9").contains(characters[index + 1])) {
                var text = ""
                while index < characters.count, ("0"..."9").contains(characters[index]) || (characters[index] == "."
                    && index + 1 < characters.count && ("0"..."9").contains(characters[index + 1]) && !text.contains("."))
                {
                    text.unicodeScalars.append(characters[index])
                    index += 1
                }
                out.append(Located(token: .number(Double(text)!), position: start))
                continue
            }
            if c == "\"" || (juel && c == "'") || (c == "@" && index + 1 < characters.count && characters[index + 1] == "\"") {
                let temporal = c == "@"
                if temporal { index += 1 }
                let quote = characters[index]
                index += 1
                var text = ""
                while index < characters.count && characters[index] != quote {
                    if characters[index] == "\\" && index + 1 < characters.count {
                        index += 1
                        switch characters[index] {
                        case "n": text += "\n"
                        case "t": text += "\t"
                        case "r": text += "\r"
                        default: text.unicodeScalars.append(characters[index])
                        }
                    } else {
                        text.unicodeScalars.append(characters[index])
                    }
                    index += 1
                }
                guard index < characters.count else { throw FEELSyntaxError(position: start, reason: "a string is not closed") }
                index += 1
                out.append(Located(token: temporal ? .temporal(text) : .string(text), position: start))
                continue
            }
            if isNameStart(c) {
                var text = ""
                while index < characters.count && isNamePart(characters[index]) {
                    text.unicodeScalars.append(characters[index])
                    index += 1
                }
                if juel, let symbol = ["eq": "=", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">="][text] {
                    out.append(Located(token: .symbol(symbol), position: start))
                } else {
                    out.append(Located(token: .name(text), position: start))
                }
                continue
            }
            let two = index + 1 < characters.count ? String(c) + String(characters[index + 1]) : ""
            switch two {
            case "**", "<=", ">=", "!=", "..":
                out.append(Located(token: .symbol(two), position: start)); index += 2; continue
            case "==": out.append(Located(token: .symbol("="), position: start)); index += 2; continue
            case "&&": out.append(Located(token: .name("and"), position: start)); index += 2; continue
            case "||": out.append(Located(token: .name("or"), position: start)); index += 2; continue
            default: break
            }
            if c == "!" {
                out.append(Located(token: .name("not"), position: start)); index += 1; continue
            }
            guard "+-*/=<>()[]{},.:".unicodeScalars.contains(c) else {
                throw FEELSyntaxError(position: start, reason: "unexpected character \(Character(c))")
            }
            out.append(Located(token: .symbol(String(c)), position: start))
            index += 1
        }
        out.append(Located(token: .end, position: characters.count))
        return out
    }
}
