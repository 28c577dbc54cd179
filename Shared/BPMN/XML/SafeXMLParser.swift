/// A small XML 1.0 parser for process models, written for hostile input: it refuses document
/// type declarations (and with them every entity that could be expanded or fetched), knows only
/// the five predefined entities and character references, and caps size and depth. Foundation's
/// `XMLParser` on Linux wraps libxml2 with lenient defaults, so it is not used.
public struct SafeXMLParser {
    public struct Limits: Sendable {
        public var maximumBytes = 16 << 20
        public var maximumDepth = 512
        public init() {}
    }

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let line: Int
        public let reason: String
        public var description: String { "XML line \(line): \(reason)" }
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private let limits: Limits

    /// Parses a whole document and returns its root element.
    public static func parse(_ bytes: [UInt8], limits: Limits = Limits()) throws(Failure) -> XMLElement {
        guard bytes.count <= limits.maximumBytes else {
            throw Failure(line: 0, reason: "the document has \(bytes.count) bytes, more than the limit of \(limits.maximumBytes)")
        }
        var parser = SafeXMLParser(bytes: bytes, limits: limits)
        return try parser.document()
    }

    private init(bytes: [UInt8], limits: Limits) {
        // A UTF-8 byte order mark is allowed before the prolog.
        self.bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        self.limits = limits
    }

    private func fail(_ reason: String) -> Failure { Failure(line: line, reason: reason) }

    private mutating func document() throws(Failure) -> XMLElement {
        var root: XMLElement?
        while true {
            skipWhitespace()
            guard index < bytes.count else { break }
            guard bytes[index] == UInt8(ascii: "<") else { throw fail("text outside the root element") }
            if starts(with: "<?") {
                try skip(past: "?>")
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<!") {
                throw fail("document type declarations are refused (<!DOCTYPE or <!ENTITY): they can expand or fetch entities")
            } else {
                guard root == nil else { throw fail("a second root element") }
                root = try element(namespaces: ["xml": "http://www.w3.org/XML/1998/namespace"], depth: 0)
            }
        }
        guard let root else { throw fail("no root element") }
        return root
    }

    private struct RawAttribute { var name: String; var value: String }

    private mutating func element(namespaces inherited: [String: String], depth: Int) throws(Failure) -> XMLElement {
        guard depth < limits.maximumDepth else { throw fail("elements nested deeper than \(limits.maximumDepth)") }
        let startLine = line
        index += 1  // "<"
        let qualifiedName = try name()
        var raw: [RawAttribute] = []
        var selfClosing = false
        while true {
            let hadSpace = skipWhitespace()
            guard index < bytes.count else { throw fail("the document ends inside <\(qualifiedName)>") }
            if bytes[index] == UInt8(ascii: "/") {
                guard starts(with: "/>") else { throw fail("expected /> in <\(qualifiedName)>") }
                index += 2
                selfClosing = true
                break
            }
            if bytes[index] == UInt8(ascii: ">") { index += 1; break }
            guard hadSpace else { throw fail("expected a space before an attribute in <\(qualifiedName)>") }
            let attributeName = try name()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw fail("attribute \(attributeName) has no value") }
            index += 1
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw fail("the value of attribute \(attributeName) is not quoted")
            }
            let quote = bytes[index]
            index += 1
            let value = try characters(until: quote, attribute: true)
            index += 1
            guard !raw.contains(where: { $0.name == attributeName }) else { throw fail("attribute \(attributeName) appears twice") }
            raw.append(RawAttribute(name: attributeName, value: value))
        }

        var namespaces = inherited
        for attribute in raw {
            if attribute.name == "xmlns" { namespaces[""] = attribute.value }
            else if attribute.name.hasPrefix("xmlns:") { namespaces[String(attribute.name.dropFirst(6))] = attribute.value }
        }
        let (prefix, local) = split(qualifiedName)
        guard let namespace = namespaces[prefix ?? ""] ?? (prefix == nil ? "" : nil) else {
            throw fail("the prefix \(prefix!) of <\(qualifiedName)> is not declared")
        }
        var result = XMLElement(
            namespace: namespace, name: local, attributes: [:], qualifiedAttributes: [:], children: [], text: "", line: startLine)
        for attribute in raw where attribute.name != "xmlns" && !attribute.name.hasPrefix("xmlns:") {
            let (attributePrefix, attributeLocal) = split(attribute.name)
            if let attributePrefix {
                guard let uri = namespaces[attributePrefix] else {
                    throw fail("the prefix \(attributePrefix) of attribute \(attribute.name) is not declared")
                }
                result.qualifiedAttributes[uri, default: [:]][attributeLocal] = attribute.value
            } else {
                result.attributes[attributeLocal] = attribute.value
            }
        }
        if selfClosing { return result }

        while true {
            guard index < bytes.count else { throw fail("<\(qualifiedName)> is not closed") }
            if bytes[index] != UInt8(ascii: "<") {
                result.text += try characters(until: UInt8(ascii: "<"), attribute: false)
            } else if starts(with: "</") {
                index += 2
                let closing = try name()
                guard closing == qualifiedName else { throw fail("</\(closing)> closes <\(qualifiedName)>") }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw fail("expected > after </\(closing)") }
                index += 1
                return result
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<![CDATA[") {
                index += 9
                let start = index
                try skip(past: "]]>")
                result.text += String(decoding: bytes[start..<(index - 3)], as: UTF8.self)
            } else if starts(with: "<?") {
                try skip(past: "?>")
            } else if starts(with: "<!") {
                throw fail("declarations are refused inside elements")
            } else {
                result.children.append(try element(namespaces: namespaces, depth: depth + 1))
            }
        }
    }

    private func split(_ name: String) -> (String?, String) {
        guard let colon = name.firstIndex(of: ":") else { return (nil, name) }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }

    private mutating func name() throws(Failure) -> String {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            let isNameByte = byte >= 0x80 || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            if !isNameByte { break }
            index += 1
        }
        guard index > start else { throw fail("expected a name") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Character data up to `end`, with references replaced.
    private mutating func characters(until end: UInt8, attribute: Bool) throws(Failure) -> String {
        var out: [UInt8] = []
        while index < bytes.count, bytes[index] != end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "&") {
                out += try reference()
                continue
            }
            if attribute && byte == UInt8(ascii: "<") { throw fail("< inside an attribute value") }
            if byte == UInt8(ascii: "\n") { line += 1 }
            // Attribute values are normalized as XML says: whitespace characters become spaces.
            out.append(attribute && (byte == 0x0A || byte == 0x0D || byte == 0x09) ? 0x20 : byte)
            index += 1
        }
        guard index < bytes.count else { throw fail(attribute ? "an attribute value is not closed" : "the document ends in text") }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func reference() throws(Failure) -> [UInt8] {
        let start = index
        guard let semicolon = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw fail("an & that starts no reference")
        }
        let body = String(decoding: bytes[(start + 1)..<semicolon], as: UTF8.self)
        index = semicolon + 1
        switch body {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default:
            var scalarValue: UInt32?
            if body.hasPrefix("#x") { scalarValue = UInt32(body.dropFirst(2), radix: 16) }
            else if body.hasPrefix("#") { scalarValue = UInt32(body.dropFirst(1)) }
            guard let scalarValue, let scalar = Unicode.Scalar(scalarValue) else {
                throw fail("the entity &\(body); is not defined (only the five XML entities and character references are)")
            }
            return Array(String(Character(scalar)).utf8)
        }
    }

    private func starts(with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] { return false }
        return true
    }

    private mutating func skip(past literal: StaticString) throws(Failure) {
        while index < bytes.count {
            if starts(with: literal) { index += literal.utf8CodeUnitCount; return }
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }
        throw fail("expected \(literal) before the end of the document")
    }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = index
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        return index > start
    }
}
