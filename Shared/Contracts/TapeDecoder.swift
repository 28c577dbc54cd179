import Foundation

/// A `Decoder` over a `JSONTape`: what `JSONBody.decode` runs. Its errors are the
/// `DecodingError`s Foundation's decoder throws, with the same coding paths, so a refusal names
/// the same field either way.
///
/// One decoder serves the whole document: decoding a nested value moves `current` to it and
/// back, and pushes its key on `path`, which is read only when an error is made.
final class TapeDecoder: Decoder, SingleValueDecodingContainer {
    let text: UnsafeBufferPointer<UInt8>
    let tape: UnsafeBufferPointer<JSONTape.Entry>
    /// What changes as the document is read. Behind a pointer: a class's `var`s are checked for
    /// exclusive access at run time, and those checks were a sixth of the decoding.
    struct State {
        var current = 0
        var path: [any CodingKey] = []
        /// Per depth, the object last searched and the member after the one found there: fields
        /// are mostly asked for in the order they were written, so the next is found at once.
        var hints: [(object: Int, member: Int)] = []
    }

    let state: UnsafeMutablePointer<State>

    init(text: UnsafeBufferPointer<UInt8>, tape: UnsafeBufferPointer<JSONTape.Entry>) {
        self.text = text
        self.tape = tape
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        state.pointee.path.reserveCapacity(16)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    var codingPath: [any CodingKey] { state.pointee.path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tape[state.pointee.current].kind == .object else { throw mismatch([String: Any].self, at: state.pointee.current) }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(decoder: self, object: state.pointee.current, depth: state.pointee.path.count))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tape[state.pointee.current].kind == .array else { throw mismatch([Any].self, at: state.pointee.current) }
        return TapeUnkeyedContainer(decoder: self, array: state.pointee.current, depth: state.pointee.path.count)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: Values

    /// Decodes the value at `index`, a step below the current one by `key`.
    @inline(__always)
    func decode<T: Decodable>(_ type: T.Type, at index: Int, key: some CodingKey) throws -> T {
        state.pointee.path.append(key)
        defer { state.pointee.path.removeLast() }
        return try decode(type, at: index)
    }

    func decode<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
        // A loosely typed value is built straight from the tape, without a container per value.
        if T.self == JSONValue.self { return try jsonValue(at: index) as! T }
        if T.self == Date.self || T.self == URL.self || T.self == Data.self || T.self == Decimal.self { return try foundationValue(type, at: index) }
        let saved = state.pointee.current
        state.pointee.current = index
        defer { state.pointee.current = saved }
        return try T(from: self)
    }

    func jsonValue(at index: Int) throws -> JSONValue {
        let entry = tape[index]
        switch entry.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(try double(at: index))
        case .string: return .string(try string(at: index))
        case .array:
            var values: [JSONValue] = []
            values.reserveCapacity(Int(entry.count))
            var element = index + 1
            for position in 0..<Int(entry.count) {
                state.pointee.path.append(ElementKey(position))
                values.append(try jsonValue(at: element))
                state.pointee.path.removeLast()
                element = Int(tape[element].next)
            }
            return .array(values)
        case .object:
            var entries: [String: JSONValue] = [:]
            entries.reserveCapacity(Int(entry.count))
            var member = index + 1
            for _ in 0..<Int(entry.count) {
                let key = try string(at: member)
                state.pointee.path.append(NameKey(key))
                entries[key] = try jsonValue(at: member + 1)
                state.pointee.path.removeLast()
                member = Int(tape[member + 1].next)
            }
            return .object(entries)
        }
    }

    /// The types Foundation's decoder reads in a form of its own: an ISO 8601 date, a URL, base64
    /// data, a decimal number.
    private func foundationValue<T>(_ type: T.Type, at index: Int) throws -> T {
        func corrupted(_ description: String) -> DecodingError { .dataCorrupted(.init(codingPath: state.pointee.path, debugDescription: description)) }
        if T.self == Decimal.self {
            guard tape[index].kind == .number else { throw mismatch(Decimal.self, at: index) }
            let digits = String(decoding: UnsafeBufferPointer(rebasing: text[Int(tape[index].start)..<Int(tape[index].end)]), as: UTF8.self)
            guard let value = Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX")) else { throw corrupted("Number \(digits) is not a decimal.") }
            return value as! T
        }
        let text = try string(at: index)
        if T.self == Date.self {
            guard let date = try? Date(text, strategy: .iso8601) else { throw corrupted("Expected date string to be ISO8601-formatted.") }
            return date as! T
        } else if T.self == URL.self {
            guard let url = URL(string: text) else { throw corrupted("Invalid URL string.") }
            return url as! T
        }
        guard let data = Data(base64Encoded: text) else { throw corrupted("Encountered Data is not valid Base64.") }
        return data as! T
    }

    func isNull(at index: Int) -> Bool { tape[index].kind == .null }

    func bool(at index: Int) throws -> Bool {
        switch tape[index].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, at: index)
        }
    }

    func string(at index: Int) throws -> String {
        let entry = tape[index]
        guard entry.kind == .string else { throw mismatch(String.self, at: index) }
        guard let string = JSONEscapes.string(text, entry) else {
            throw DecodingError.dataCorrupted(.init(codingPath: state.pointee.path, debugDescription: "is not valid UTF-8 text"))
        }
        return string
    }

    func double(at index: Int) throws -> Double {
        let entry = tape[index]
        guard entry.kind == .number else { throw mismatch(Double.self, at: index) }
        let digits = UnsafeBufferPointer(rebasing: text[Int(entry.start)..<Int(entry.end)])
        guard let value = Double(String(decoding: digits, as: UTF8.self)), value.isFinite else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: state.pointee.path, debugDescription: "Number \(String(decoding: digits, as: UTF8.self)) is not representable in Swift."))
        }
        return value
    }

    /// An integer, read from its digits so that every value of the type is exact; a whole
    /// number written with a fraction or an exponent (`5.0`, `1e3`) is taken too.
    func integer<I: FixedWidthInteger>(_ type: I.Type, at index: Int) throws -> I {
        let entry = tape[index]
        guard entry.kind == .number else { throw mismatch(I.self, at: index) }
        var offset = Int(entry.start)
        let end = Int(entry.end)
        let negative = text[offset] == UInt8(ascii: "-")
        if negative { offset += 1 }
        var value: I = 0
        var fits = true
        while offset < end, text[offset] &- 0x30 < 10 {
            let digit = I(text[offset] &- 0x30)
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if overflowTimes || overflowSum { fits = false }
            value = sum
            offset += 1
        }
        if offset == end, fits { return value }
        let whole = try double(at: index)
        guard whole.rounded() == whole, let exact = I(exactly: whole) else {
            let digits = String(decoding: UnsafeBufferPointer(rebasing: text[Int(entry.start)..<end]), as: UTF8.self)
            throw DecodingError.dataCorrupted(.init(codingPath: state.pointee.path, debugDescription: "Number \(digits) does not fit in \(I.self)."))
        }
        return exact
    }

    /// The error Foundation throws for a value of another kind: null is a missing value, the
    /// rest a mismatch.
    func mismatch(_ type: Any.Type, at index: Int) -> DecodingError {
        let found: String
        switch tape[index].kind {
        case .null:
            return .valueNotFound(type, .init(codingPath: state.pointee.path, debugDescription: "Expected \(type) value but found null instead."))
        case .true, .false: found = "bool"
        case .number: found = "number"
        case .string: found = "string"
        case .array: found = "array"
        case .object: found = "dictionary"
        }
        return .typeMismatch(type, .init(codingPath: state.pointee.path, debugDescription: "Expected to decode \(type) but found \(found) instead."))
    }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool { isNull(at: state.pointee.current) }
    func decode(_ type: Bool.Type) throws -> Bool { try bool(at: state.pointee.current) }
    func decode(_ type: String.Type) throws -> String { try string(at: state.pointee.current) }
    func decode(_ type: Double.Type) throws -> Double { try double(at: state.pointee.current) }
    func decode(_ type: Float.Type) throws -> Float { Float(try double(at: state.pointee.current)) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type, at: state.pointee.current) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type, at: state.pointee.current) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type, at: state.pointee.current) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type, at: state.pointee.current) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type, at: state.pointee.current) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type, at: state.pointee.current) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type, at: state.pointee.current) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type, at: state.pointee.current) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type, at: state.pointee.current) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type, at: state.pointee.current) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decode(type, at: state.pointee.current) }
}

/// The key of an array's element. Small, so that a path of them needs no allocation.
struct ElementKey: CodingKey {
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.init(intValue) }
    var intValue: Int? { index }
    var stringValue: String { "Index \(index)" }
}

/// A member's key read without a key type: the members of a `JSONValue` object.
struct NameKey: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { nil }
    var intValue: Int? { nil }
}
