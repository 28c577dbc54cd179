import Foundation

/// A Swift value that can be a statement parameter, sent to the server as text.
public protocol PostgresBindable: Sendable {
    /// The value in PostgreSQL's text input format, or nil for NULL.
    var postgresText: String? { get }
}

/// A Swift value that can be read from a result column in PostgreSQL's text output format.
public protocol PostgresDecodable: Sendable {
    static func decodePostgres(_ text: String?) throws(PostgresError) -> Self
}

/// A non-optional decodable value; NULL is an error.
public protocol PostgresTextDecodable: PostgresDecodable {
    init(postgresText text: String) throws(PostgresError)
}

extension PostgresTextDecodable {
    public static func decodePostgres(_ text: String?) throws(PostgresError) -> Self {
        guard let text else { throw PostgresError(.decoding, "NULL where a \(Self.self) was expected") }
        return try Self(postgresText: text)
    }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresText: String? { self?.postgresText }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decodePostgres(_ text: String?) throws(PostgresError) -> Self {
        guard let text else { return nil }
        return try Wrapped.decodePostgres(text)
    }
}

func decodingError<T>(_ text: String, _ type: T.Type) -> PostgresError {
    PostgresError(.decoding, "'\(text.prefix(60))' is not a \(T.self)")
}

extension String: PostgresBindable, PostgresTextDecodable {
    public var postgresText: String? { self }
    public init(postgresText text: String) { self = text }
}

extension Int: PostgresBindable, PostgresTextDecodable {
    public var postgresText: String? { String(self) }
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = Int(text) else { throw decodingError(text, Int.self) }
        self = value
    }
}

extension Int64: PostgresBindable, PostgresTextDecodable {
    public var postgresText: String? { String(self) }
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = Int64(text) else { throw decodingError(text, Int64.self) }
        self = value
    }
}

extension Int32: PostgresBindable, PostgresTextDecodable {
    public var postgresText: String? { String(self) }
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = Int32(text) else { throw decodingError(text, Int32.self) }
        self = value
    }
}

extension Double: PostgresBindable, PostgresTextDecodable {
    public var postgresText: String? { String(self) }
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = Double(text) else { throw decodingError(text, Double.self) }
        self = value
    }
}

extension Bool: PostgresBindable, PostgresTextDecodable {
    public var postgresText: String? { self ? "true" : "false" }
    public init(postgresText text: String) throws(PostgresError) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw decodingError(text, Bool.self)
        }
    }
}

extension UUID: PostgresBindable, PostgresTextDecodable {
    public var postgresText: String? { lowercasedText }
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = UUID(text: text) else { throw decodingError(text, UUID.self) }
        self = value
    }
}

/// `numeric`: exact decimals, for unit prices and factors (money itself is integer minor units).
extension Decimal: PostgresBindable, PostgresTextDecodable {
    public var postgresText: String? { NSDecimalNumber(decimal: self).stringValue }
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw decodingError(text, Decimal.self)
        }
        self = value
    }
}

/// `bytea`, in the hex format.
extension Data: PostgresBindable, PostgresTextDecodable {
    public var postgresText: String? {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8](repeating: 0, count: 2 + count * 2)
        text[0] = UInt8(ascii: "\\")
        text[1] = UInt8(ascii: "x")
        for (index, byte) in enumerated() {
            text[2 + index * 2] = digits[Int(byte >> 4)]
            text[3 + index * 2] = digits[Int(byte & 0xF)]
        }
        return String(decoding: text, as: UTF8.self)
    }

    public init(postgresText text: String) throws(PostgresError) {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            throw decodingError(text, Data.self)
        }
        func nibble(_ c: UInt8) throws(PostgresError) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: throw decodingError(text, Data.self)
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            bytes.append(try nibble(utf8[index]) << 4 | nibble(utf8[index + 1]))
            index += 2
        }
        self = Data(bytes)
    }
}

/// `jsonb` or `json` holding a Codable value.
public struct PostgresJSON<Value: Codable & Sendable>: PostgresBindable, PostgresTextDecodable {
    public var value: Value
    public init(_ value: Value) { self.value = value }

    public var postgresText: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public init(postgresText text: String) throws(PostgresError) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            value = try decoder.decode(Value.self, from: Data(text.utf8))
        } catch {
            throw PostgresError(.decoding, "JSON column is not a \(Value.self): \(error)")
        }
    }
}

/// PostgreSQL arrays of any bindable element, in the `{...}` text format.
extension Array: PostgresBindable where Element: PostgresBindable {
    public var postgresText: String? {
        // Called through `any PostgresBindable`, this is not specialized: the common element
        // types are handed to a copy of the writer the compiler specializes for each.
        if Element.self == String.self { return PostgresArrayText.write(unsafeBitCast(self, to: [String].self)) }
        if Element.self == String?.self { return PostgresArrayText.write(unsafeBitCast(self, to: [String?].self)) }
        if Element.self == Int.self { return PostgresArrayText.write(unsafeBitCast(self, to: [Int].self)) }
        if Element.self == Bool.self { return PostgresArrayText.write(unsafeBitCast(self, to: [Bool].self)) }
        return PostgresArrayText.write(self)
    }
}

enum PostgresArrayText {
    /// Built as UTF-8 bytes: outbox bodies and instance states go through here, and appending
    /// them a character at a time cost more than the rest of a step. Reserving room element by
    /// element, as this once did, made every append copy the whole array so far.
    @inline(__always)
    static func write<Element: PostgresBindable>(_ elements: [Element]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(elements.count * 16 + 2)
        bytes.append(UInt8(ascii: "{"))
        for index in elements.indices {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard var value = elements[index].postgresText else {
                bytes += "NULL".utf8
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            value.withUTF8 { utf8 in
                // Runs between quotes and backslashes copied whole: JSON bodies have many quotes.
                var start = 0
                for index in 0..<utf8.count where utf8[index] == UInt8(ascii: "\"") || utf8[index] == UInt8(ascii: "\\") {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                    bytes.append(UInt8(ascii: "\\"))
                    start = index
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Array: PostgresDecodable, PostgresTextDecodable where Element: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) {
        self = try PostgresArrayParser.elements(of: text).map { (item) throws(PostgresError) in try Element.decodePostgres(item) }
    }
}

/// Splits a one-dimensional array literal into its element texts (nil for NULL).
enum PostgresArrayParser {
    static func elements(of text: String) throws(PostgresError) -> [String?] {
        var scalars = Array(text.unicodeScalars)
        // A lower bound other than 1 is printed as `[0:2]={...}`.
        if scalars.first == "[", let equals = scalars.firstIndex(of: "=") { scalars.removeSubrange(0...equals) }
        guard scalars.first == "{", scalars.last == "}" else { throw decodingError(text, [String].self) }
        var elements: [String?] = []
        var index = 1
        let end = scalars.count - 1
        if end == 1 { return [] }
        while index <= end {
            var value = String.UnicodeScalarView()
            var quoted = false
            if index < end, scalars[index] == "\"" {
                quoted = true
                index += 1
                while index < end, scalars[index] != "\"" {
                    if scalars[index] == "\\" { index += 1 }
                    value.append(scalars[index])
                    index += 1
                }
                index += 1
            } else {
                while index < end, scalars[index] != "," {
                    value.append(scalars[index])
                    index += 1
                }
            }
            let string = String(value)
            elements.append(!quoted && string == "NULL" ? nil : string)
            index += 1  // the comma or the closing brace
        }
        return elements
    }
}
