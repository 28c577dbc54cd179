import Foundation

/// The JSON of every message body: sorted keys, unescaped slashes, ISO 8601 dates; the bytes
/// are those of Foundation's `JSONEncoder` so set, and what it reads is what Foundation's
/// `JSONDecoder` reads, with the same errors. Both are written here by hand (`BodyEncoder`,
/// `TapeDecoder`): Foundation's coders were a quarter to a third of a service's CPU.
public enum JSONBody {
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = BodyEncoder()
        try encoder.value(value, 0)
        return try encoder.text(of: type(of: value))
    }

    /// Decodes JSON text; text that is not JSON throws `DecodingError.dataCorrupted` with an
    /// empty coding path and the `JSONSyntaxError` beneath it.
    public static func decode<T: Decodable>(_ type: T.Type = T.self, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBufferPointer { try decode(type, text: $0) }
    }

    public static func decode<T: Decodable>(_ type: T.Type = T.self, from text: String) throws -> T {
        var text = text
        return try text.withUTF8 { try decode(type, text: $0) }
    }

    public static func decode<T: Decodable>(_ type: T.Type = T.self, from data: Data) throws -> T {
        try data.withUnsafeBytes { try decode(type, text: $0.bindMemory(to: UInt8.self)) }
    }

    static func decode<T: Decodable>(_ type: T.Type, text: UnsafeBufferPointer<UInt8>) throws -> T {
        let tape: JSONTape
        do {
            tape = try JSONTape(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description, underlyingError: error))
        }
        return try tape.entries.withUnsafeBufferPointer { try TapeDecoder(text: text, tape: $0).decode(type, at: 0) }
    }
}
