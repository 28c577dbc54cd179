/// The containers of `BodyEncoder`, each bound to its node, so that one used out of turn still
/// writes where it belongs.

struct BodyKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: BodyEncoder
    let node: Int

    var codingPath: [any CodingKey] { encoder.path(to: node) }

    private func member(_ key: Key) -> Int { encoder.child(of: node, key: key.stringValue) }

    mutating func encodeNil(forKey key: Key) { encoder.encodeNil(member(key)) }
    mutating func encode(_ value: Bool, forKey key: Key) { encoder.encode(value, member(key)) }
    mutating func encode(_ value: String, forKey key: Key) { encoder.encode(value, member(key)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try encoder.float(value, member(key)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encoder.float(value, member(key)) }
    mutating func encode(_ value: Int, forKey key: Key) { encoder.integer(value, member(key)) }
    mutating func encode(_ value: Int8, forKey key: Key) { encoder.integer(value, member(key)) }
    mutating func encode(_ value: Int16, forKey key: Key) { encoder.integer(value, member(key)) }
    mutating func encode(_ value: Int32, forKey key: Key) { encoder.integer(value, member(key)) }
    mutating func encode(_ value: Int64, forKey key: Key) { encoder.integer(value, member(key)) }
    mutating func encode(_ value: UInt, forKey key: Key) { encoder.integer(value, member(key)) }
    mutating func encode(_ value: UInt8, forKey key: Key) { encoder.integer(value, member(key)) }
    mutating func encode(_ value: UInt16, forKey key: Key) { encoder.integer(value, member(key)) }
    mutating func encode(_ value: UInt32, forKey key: Key) { encoder.integer(value, member(key)) }
    mutating func encode(_ value: UInt64, forKey key: Key) { encoder.integer(value, member(key)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoder.value(value, member(key)) }

    // The defaults would box the value to test it for nil; an absent value writes no key.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) { if let value { encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) { if let value { encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) { if let value { encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) { if let value { encode(value, forKey: key) } }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.keyed(at: member(key))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { encoder.unkeyed(at: member(key)) }
    mutating func superEncoder() -> any Encoder { BodyEncoderAt(encoder, encoder.child(of: node, key: "super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { BodyEncoderAt(encoder, member(key)) }
}

/// Two words, so that the existential it is returned as holds it without an allocation.
struct BodyUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: BodyEncoder
    let node: Int

    var codingPath: [any CodingKey] { encoder.path(to: node) }
    var count: Int { Int(encoder.state.pointee.nodes[node].count) }

    private func element() -> Int { encoder.child(of: node, key: nil) }

    mutating func encodeNil() { encoder.encodeNil(element()) }
    mutating func encode(_ value: Bool) { encoder.encode(value, element()) }
    mutating func encode(_ value: String) { encoder.encode(value, element()) }
    mutating func encode(_ value: Double) throws { try encoder.float(value, element()) }
    mutating func encode(_ value: Float) throws { try encoder.float(value, element()) }
    mutating func encode(_ value: Int) { encoder.integer(value, element()) }
    mutating func encode(_ value: Int8) { encoder.integer(value, element()) }
    mutating func encode(_ value: Int16) { encoder.integer(value, element()) }
    mutating func encode(_ value: Int32) { encoder.integer(value, element()) }
    mutating func encode(_ value: Int64) { encoder.integer(value, element()) }
    mutating func encode(_ value: UInt) { encoder.integer(value, element()) }
    mutating func encode(_ value: UInt8) { encoder.integer(value, element()) }
    mutating func encode(_ value: UInt16) { encoder.integer(value, element()) }
    mutating func encode(_ value: UInt32) { encoder.integer(value, element()) }
    mutating func encode(_ value: UInt64) { encoder.integer(value, element()) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.value(value, element()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder.keyed(at: element())
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { encoder.unkeyed(at: element()) }
    mutating func superEncoder() -> any Encoder { BodyEncoderAt(encoder, element()) }
}

struct BodySingleValueContainer: SingleValueEncodingContainer {
    let encoder: BodyEncoder
    let node: Int

    var codingPath: [any CodingKey] { encoder.path(to: node) }

    mutating func encodeNil() { encoder.encodeNil(node) }
    mutating func encode(_ value: Bool) { encoder.encode(value, node) }
    mutating func encode(_ value: String) { encoder.encode(value, node) }
    mutating func encode(_ value: Double) throws { try encoder.float(value, node) }
    mutating func encode(_ value: Float) throws { try encoder.float(value, node) }
    mutating func encode(_ value: Int) { encoder.integer(value, node) }
    mutating func encode(_ value: Int8) { encoder.integer(value, node) }
    mutating func encode(_ value: Int16) { encoder.integer(value, node) }
    mutating func encode(_ value: Int32) { encoder.integer(value, node) }
    mutating func encode(_ value: Int64) { encoder.integer(value, node) }
    mutating func encode(_ value: UInt) { encoder.integer(value, node) }
    mutating func encode(_ value: UInt8) { encoder.integer(value, node) }
    mutating func encode(_ value: UInt16) { encoder.integer(value, node) }
    mutating func encode(_ value: UInt32) { encoder.integer(value, node) }
    mutating func encode(_ value: UInt64) { encoder.integer(value, node) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.value(value, node) }
}
