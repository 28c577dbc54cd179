/// JSON text for `JSONValue`, read and written by hand: instance states and message bodies go
/// through here on every step, and Foundation's coders (a `try?` per case to find a value's
/// type) cost more than the step itself.
extension JSONValue {
    /// Compact JSON with sorted keys: the same value always gives the same bytes. Whole
    /// numbers below 10^15 are written without a fraction; NaN and infinities (which JSON
    /// cannot hold) as null.
    public var canonicalJSON: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public func write(to bytes: inout [UInt8]) {
        switch self {
        case .null: bytes += "null".utf8
        case .bool(let value): bytes += (value ? "true" : "false").utf8
        case .number(let value):
            if !value.isFinite {
                bytes += "null".utf8
            } else if value.rounded() == value, abs(value) < 1e15 {
                Self.writeInteger(Int64(value), to: &bytes)
            } else {
                // Swift's shortest form, without a trailing ".0", as Foundation's encoder writes it.
                var text = value.description
                if text.hasSuffix(".0") { text.removeLast(2) }
                bytes += text.utf8
            }
        case .string(let value): Self.write(value, to: &bytes)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                value.write(to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let entries):
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in entries.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.write(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                entries[key]!.write(to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string literal of `text`, escaped.
    public static func write(_ text: String, to bytes: inout [UInt8]) {
        if let written: Void = text.utf8.withContiguousStorageIfAvailable({ write($0, to: &bytes) }) { return written }
        let copy = Array(text.utf8)
        copy.withUnsafeBufferPointer { write($0, to: &bytes) }
    }

    /// A JSON string literal of UTF-8 text, escaped as Foundation's encoder does.
    static func write(_ text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Most text needs no escape: copied whole.
        if !text.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""): bytes += "\\\"".utf8
            case UInt8(ascii: "\\"): bytes += "\\\\".utf8
            case 0x0A: bytes += "\\n".utf8
            case 0x0D: bytes += "\\r".utf8
            case 0x09: bytes += "\\t".utf8
            case 0x08: bytes += "\\b".utf8
            case 0x0C: bytes += "\\f".utf8
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += "\\u00".utf8
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// An integer's decimal digits, written without a string in between.
    public static func writeInteger<I: FixedWidthInteger>(_ value: I, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
            var count = 0
            repeat {
                digits[39 - count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(40 - count)...]))
        }
    }

    /// Parses JSON text (RFC 8259); an error names the byte offset where it went wrong.
    public static func parse(_ bytes: some Sequence<UInt8>) throws -> JSONValue {
        let text = Array(bytes)
        return try text.withUnsafeBufferPointer { text in
            let tape = try JSONTape(text)
            return try tape.entries.withUnsafeBufferPointer { entries in
                do {
                    return try TapeDecoder(text: text, tape: entries).jsonValue(at: 0)
                } catch DecodingError.dataCorrupted(let context) {
                    // The tape holds only valid JSON: what is left is a number too large or text not UTF-8.
                    throw JSONSyntaxError(offset: 0, reason: "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)")
                }
            }
        }
    }
}
