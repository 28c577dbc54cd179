import Foundation

/// The containers of `TapeDecoder`. A container is used while the decoder is at its depth (the
/// nesting of `Decodable` inits makes it so); one taken out of turn, a nested container, gets a
/// decoder of its own, so that its path stays right.

struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TapeDecoder
    let object: Int
    let depth: Int

    var codingPath: [any CodingKey] { Array(decoder.state.pointee.path.prefix(depth)) }

    var allKeys: [Key] {
        var keys: [Key] = []
        var member = object + 1
        for _ in 0..<Int(decoder.tape[object].count) {
            if let name = try? decoder.string(at: member), let key = Key(stringValue: name) { keys.append(key) }
            member = Int(decoder.tape[member + 1].next)
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    /// The entry of the value under `key`, nil when the object has none. The search starts after
    /// the member found last in this object and goes round once.
    func find(_ key: Key) -> Int? {
        let tape = decoder.tape
        let count = Int(tape[object].count)
        guard count > 0 else { return nil }
        let first = object + 1
        let end = Int(tape[object].next)
        if decoder.state.pointee.hints.count <= depth { decoder.state.pointee.hints.append(contentsOf: repeatElement((object: -1, member: 0), count: depth + 1 - decoder.state.pointee.hints.count)) }
        var member = decoder.state.pointee.hints[depth].object == object ? decoder.state.pointee.hints[depth].member : first
        if member >= end { member = first }
        let name = key.stringValue
        let found: Int? = name.utf8.withContiguousStorageIfAvailable { wanted in
            for _ in 0..<count {
                let entry = tape[member]
                if matches(entry, wanted, name) { return member }
                member = Int(tape[member + 1].next)
                if member == end { member = first }
            }
            return nil
        } ?? slowFind(name)
        guard let found else { return nil }
        decoder.state.pointee.hints[depth] = (object, Int(tape[found + 1].next))
        return found + 1
    }

    @inline(__always)
    private func matches(_ entry: JSONTape.Entry, _ wanted: UnsafeBufferPointer<UInt8>, _ name: String) -> Bool {
        if entry.escaped { return JSONEscapes.string(decoder.text, entry) == name }
        return Int(entry.end - entry.start) == wanted.count
            && (wanted.isEmpty || memcmp(decoder.text.baseAddress! + Int(entry.start), wanted.baseAddress!, wanted.count) == 0)
    }

    /// A key whose text is not contiguous (bridged): compared as strings.
    private func slowFind(_ name: String) -> Int? {
        var member = object + 1
        for _ in 0..<Int(decoder.tape[object].count) {
            if (try? decoder.string(at: member)) == name { return member }
            member = Int(decoder.tape[member + 1].next)
        }
        return nil
    }

    private func value(_ key: Key) throws -> Int {
        guard let index = find(key) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return index
    }

    /// Reads the value under `key` with the key on the decoder's path, for its errors.
    @inline(__always)
    private func read<T>(_ key: Key, _ read: (Int) throws -> T) throws -> T {
        let index = try value(key)
        decoder.state.pointee.path.append(key)
        defer { decoder.state.pointee.path.removeLast() }
        return try read(index)
    }

    @inline(__always)
    private func readIfPresent<T>(_ key: Key, _ read: (Int) throws -> T) throws -> T? {
        guard let index = find(key), !decoder.isNull(at: index) else { return nil }
        decoder.state.pointee.path.append(key)
        defer { decoder.state.pointee.path.removeLast() }
        return try read(index)
    }

    func decodeNil(forKey key: Key) throws -> Bool { decoder.isNull(at: try value(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try read(key, decoder.bool) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try read(key, decoder.string) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try read(key, decoder.double) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try read(key, decoder.double)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try read(key) { try decoder.integer(type, at: $0) } }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try read(key) { try decoder.integer(type, at: $0) } }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try read(key) { try decoder.integer(type, at: $0) } }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try read(key) { try decoder.integer(type, at: $0) } }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try read(key) { try decoder.integer(type, at: $0) } }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try read(key) { try decoder.integer(type, at: $0) } }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try read(key) { try decoder.integer(type, at: $0) } }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try read(key) { try decoder.integer(type, at: $0) } }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try read(key) { try decoder.integer(type, at: $0) } }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try read(key) { try decoder.integer(type, at: $0) } }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.decode(type, at: try value(key), key: key) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try readIfPresent(key, decoder.bool) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try readIfPresent(key, decoder.string) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try readIfPresent(key, decoder.double) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try readIfPresent(key, decoder.double).map(Float.init) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try readIfPresent(key) { try decoder.integer(type, at: $0) } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try readIfPresent(key) { try decoder.integer(type, at: $0) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try readIfPresent(key) { try decoder.integer(type, at: $0) } }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try readIfPresent(key) { try decoder.integer(type, at: $0) } }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = find(key), !decoder.isNull(at: index) else { return nil }
        return try decoder.decode(type, at: index, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.detached(at: try value(key), path: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.detached(at: try value(key), path: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { try superDecoder(key: NameKey("super")) }
    func superDecoder(forKey key: Key) throws -> any Decoder { try superDecoder(key: key) }

    private func superDecoder(key: some CodingKey) throws -> any Decoder {
        guard let index = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return decoder.detached(at: index, path: codingPath + [key])
    }

    private func find(_ key: some CodingKey) -> Int? {
        if let key = key as? Key { return find(key) }
        return slowFind(key.stringValue).map { $0 + 1 }
    }
}

/// Kept to three words, so that the existential it is returned as holds it without an allocation.
struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: TapeDecoder
    private let array: UInt32
    private var element: UInt32
    private var index: UInt32 = 0
    private let depth: UInt32

    init(decoder: TapeDecoder, array: Int, depth: Int) {
        self.decoder = decoder
        self.array = UInt32(truncatingIfNeeded: array)
        self.element = UInt32(truncatingIfNeeded: array + 1)
        self.depth = UInt32(truncatingIfNeeded: depth)
    }

    var codingPath: [any CodingKey] { Array(decoder.state.pointee.path.prefix(Int(depth))) }
    var count: Int? { Int(decoder.tape[Int(array)].count) }
    var isAtEnd: Bool { index == decoder.tape[Int(array)].count }
    var currentIndex: Int { Int(index) }

    /// Reads the next element with its index on the decoder's path, then steps past it.
    @inline(__always)
    private mutating func next<T>(_ type: Any.Type, _ read: (Int) throws -> T) throws -> T {
        decoder.state.pointee.path.append(ElementKey(Int(index)))
        defer { decoder.state.pointee.path.removeLast() }
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: decoder.state.pointee.path, debugDescription: "Unkeyed container is at end."))
        }
        let value = try read(Int(element))
        element = decoder.tape[Int(element)].next
        index += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any?.self, .init(codingPath: codingPath + [ElementKey(Int(index))], debugDescription: "Unkeyed container is at end."))
        }
        guard decoder.isNull(at: Int(element)) else { return false }
        element = decoder.tape[Int(element)].next
        index += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type, decoder.bool) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type, decoder.string) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type, decoder.double) }
    mutating func decode(_ type: Float.Type) throws -> Float { Float(try next(type, decoder.double)) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) { [decoder] in try decoder.integer(type, at: $0) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) { [decoder] in try decoder.integer(type, at: $0) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) { [decoder] in try decoder.integer(type, at: $0) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) { [decoder] in try decoder.integer(type, at: $0) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) { [decoder] in try decoder.integer(type, at: $0) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) { [decoder] in try decoder.integer(type, at: $0) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) { [decoder] in try decoder.integer(type, at: $0) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) { [decoder] in try decoder.integer(type, at: $0) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) { [decoder] in try decoder.integer(type, at: $0) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) { [decoder] in try decoder.integer(type, at: $0) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type) { [decoder] in try decoder.decode(type, at: $0) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try detached { try $0.container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try detached { try $0.unkeyedContainer() } }
    mutating func superDecoder() throws -> any Decoder { try detached { $0 } }

    private mutating func detached<T>(_ make: (TapeDecoder) throws -> T) throws -> T {
        let path = codingPath + [ElementKey(Int(index))]
        let sub = try next(Any.self) { [decoder] in decoder.detached(at: $0, path: path) }
        return try make(sub)
    }
}

extension TapeDecoder {
    /// A decoder of its own for a container used out of turn, at `index` with its whole path.
    func detached(at index: Int, path: [any CodingKey]) -> TapeDecoder {
        let decoder = TapeDecoder(text: text, tape: tape)
        decoder.state.pointee.current = index
        decoder.state.pointee.path = path
        return decoder
    }
}
