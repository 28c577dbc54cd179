import Foundation

/// JSON text read once into a flat list of its values, in document order (a "tape", as simdjson
/// and Foundation's JSONMap have it). A decoder finds a field by stepping over its object's
/// members, and makes no dictionary, and no string for a key it passes.
///
/// An object's entry is followed by its members, each a key (a string entry) and then its value;
/// an array's by its elements. A container's `next` is the index just past its last descendant,
/// so a value of any size is stepped over in one move.
struct JSONTape {
    enum Kind: UInt8 {
        case null, `true`, `false`, number, string, array, object
    }

    struct Entry {
        var kind: Kind
        /// A string with a backslash in it, which must be unescaped to be read.
        var escaped: Bool
        /// A scalar's text: a string's without its quotes.
        var start: UInt32
        var end: UInt32
        /// The index just past this value and its descendants.
        var next: UInt32
        /// A container's values: elements of an array, members of an object.
        var count: UInt32
    }

    let entries: [Entry]

    /// Reads `text`; an error names the byte offset where it went wrong.
    init(_ text: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
        guard text.count < Int(UInt32.max) else { throw JSONSyntaxError(offset: 0, reason: "longer than 4 GiB") }
        var reader = TapeReader(text: text)
        reader.entries.reserveCapacity(text.count / 8 + 4)
        reader.skipSpace()
        try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.offset == text.count else { throw reader.error("unexpected text after the value") }
        entries = reader.entries
    }
}

public struct JSONSyntaxError: Error, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "not valid JSON at byte \(offset): \(reason)" }
}

private struct TapeReader {
    let text: UnsafeBufferPointer<UInt8>
    var offset = 0
    var entries: [JSONTape.Entry] = []

    func error(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: offset, reason: reason) }

    @inline(__always) mutating func skipSpace() {
        while offset < text.count {
            switch text[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    @inline(__always) private mutating func append(_ kind: JSONTape.Kind, _ start: Int, _ end: Int, escaped: Bool = false) {
        entries.append(
            JSONTape.Entry(
                kind: kind, escaped: escaped, start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: end),
                next: UInt32(truncatingIfNeeded: entries.count + 1), count: 0))
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) {
        guard offset < text.count else { throw error("unexpected end") }
        switch text[offset] {
        case UInt8(ascii: "{"): try container(object: true, depth: depth)
        case UInt8(ascii: "["): try container(object: false, depth: depth)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try word("true", .true)
        case UInt8(ascii: "f"): try word("false", .false)
        case UInt8(ascii: "n"): try word("null", .null)
        default: try number()
        }
    }

    private mutating func container(object: Bool, depth: Int) throws(JSONSyntaxError) {
        guard depth < 512 else { throw error("nested deeper than 512") }
        let index = entries.count
        append(object ? .object : .array, offset, offset + 1)
        offset += 1
        let close = UInt8(ascii: object ? "}" : "]")
        var count: UInt32 = 0
        skipSpace()
        if offset < text.count, text[offset] == close {
            offset += 1
        } else {
            while true {
                skipSpace()
                if object {
                    guard offset < text.count, text[offset] == UInt8(ascii: "\"") else { throw error("expected a key in quotes") }
                    try string()
                    skipSpace()
                    guard offset < text.count, text[offset] == UInt8(ascii: ":") else { throw error("expected :") }
                    offset += 1
                    skipSpace()
                }
                try value(depth: depth + 1)
                count += 1
                skipSpace()
                guard offset < text.count else { throw error("unexpected end") }
                if text[offset] == close {
                    offset += 1
                    break
                }
                guard text[offset] == UInt8(ascii: ",") else { throw error(object ? "expected , or }" : "expected , or ]") }
                offset += 1
            }
        }
        entries[index].next = UInt32(truncatingIfNeeded: entries.count)
        entries[index].count = count
    }

    private mutating func word(_ word: StaticString, _ kind: JSONTape.Kind) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= text.count, memcmp(text.baseAddress! + offset, word.utf8Start, count) == 0 else {
            throw error("expected \(word)")
        }
        append(kind, offset, offset + count)
        offset += count
    }

    /// RFC 8259's number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() throws(JSONSyntaxError) {
        let start = offset
        func digits(_ offset: inout Int, _ text: UnsafeBufferPointer<UInt8>) -> Int {
            let first = offset
            while offset < text.count, text[offset] &- 0x30 < 10 { offset += 1 }
            return offset - first
        }
        if offset < text.count, text[offset] == UInt8(ascii: "-") { offset += 1 }
        let whole = offset
        let count = digits(&offset, text)
        guard count > 0 else {
            offset = start
            throw error("not a value")
        }
        guard text[whole] != UInt8(ascii: "0") || count == 1 else {
            offset = start
            throw error("a number with a leading zero")
        }
        if offset < text.count, text[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits(&offset, text) > 0 else { throw error("a number without digits after its point") }
        }
        if offset < text.count, text[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < text.count, text[offset] == UInt8(ascii: "+") || text[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits(&offset, text) > 0 else { throw error("a number without digits in its exponent") }
        }
        append(.number, start, offset)
    }

    /// Checks a string and notes whether it has escapes; its bytes are read only when decoded.
    private mutating func string() throws(JSONSyntaxError) {
        offset += 1  // the opening quote
        let start = offset
        var escaped = false
        while true {
            guard offset < text.count else { throw error("unterminated string") }
            let byte = text[offset]
            if byte == UInt8(ascii: "\"") {
                append(.string, start, offset, escaped: escaped)
                offset += 1
                return
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                offset += 1
                guard offset < text.count else { throw error("unterminated string") }
                switch text[offset] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"),
                    UInt8(ascii: "b"), UInt8(ascii: "f"):
                    offset += 1
                case UInt8(ascii: "u"):
                    // Surrogates are paired up when the string is unescaped.
                    guard offset + 4 < text.count, (1...4).allSatisfy({ JSONEscapes.hexDigit(text[offset + $0]) != nil }) else {
                        throw error("a bad \\u escape")
                    }
                    offset += 5
                default: throw error("an unknown escape")
                }
            } else if byte < 0x20 {
                throw error("a control character in a string")
            } else {
                offset += 1
            }
        }
    }
}

/// Reading the text of a string entry.
enum JSONEscapes {
    static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }

    /// The string's text, unescaped and checked as UTF-8; nil when it is not valid UTF-8 or
    /// holds a lone surrogate.
    static func string(_ text: UnsafeBufferPointer<UInt8>, _ entry: JSONTape.Entry) -> String? {
        let raw = UnsafeBufferPointer(rebasing: text[Int(entry.start)..<Int(entry.end)])
        guard entry.escaped else { return validated(raw) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            let escape = raw[index]
            index += 1
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = hex4(raw, index)
                index += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A surrogate pair: the low half must follow.
                    guard index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u") else { return nil }
                    let low = hex4(raw, index + 2)
                    guard (0xDC00..<0xE000).contains(low) else { return nil }
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: UTF8.encode(unicode)!)
            default: out.append(escape)  // \" \\ \/
            }
        }
        return out.withUnsafeBufferPointer { validated($0) }
    }

    /// Text as a string when it is well-formed UTF-8 (RFC 3629: no overlong forms, no
    /// surrogates, nothing past U+10FFFF). By hand: the standard library's check is generic and
    /// was not specialised, a metadata lookup per string.
    static func validated(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return nil
            }
            guard index + length <= count, (low...high).contains(text[index + 1]) else { return nil }
            for next in index + 2..<index + length where text[next] & 0xC0 != 0x80 { return nil }
            index += length
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt32 {
        // The reader checked the four digits.
        (0..<4).reduce(0) { $0 << 4 | hexDigit(raw[index + $1])! }
    }
}
