import Foundation

/// The 36-character text of a UUID, written and read by hand: Foundation's `uuidString` and
/// `UUID(uuidString:)` go through `snprintf` and `sscanf`, and a message's ids are converted
/// several times on its way through the inbox, the outbox and the broker.
extension UUID {
    /// Lowercase, 8-4-4-4-12, as PostgreSQL prints a uuid and the envelope carries it.
    public var lowercasedText: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                var at = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    text[at] = Self.hexDigits[Int(bytes[index] >> 4)]
                    text[at + 1] = Self.hexDigits[Int(bytes[index] & 0x0F)]
                    at += 2
                }
                return at
            }
        }
    }

    /// Reads 8-4-4-4-12 hexadecimal text in either case, as `UUID(uuidString:)` does; nil otherwise.
    public init?(text: String) {
        var text = text
        guard let value = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = value
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func parse(_ text: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard text.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var at = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    guard text[at] == UInt8(ascii: "-") else { return false }
                    at += 1
                }
                guard let high = nibble(text[at]), let low = nibble(text[at + 1]) else { return false }
                out[index] = high << 4 | low
                at += 2
            }
            return true
        }
        return parsed ? UUID(uuid: bytes) : nil
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
