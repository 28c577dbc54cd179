import Foundation

/// An `Encoder` that writes JSON byte for byte as Foundation's `JSONEncoder` with sorted keys,
/// unescaped slashes and ISO 8601 dates (what `JSONBody.encode` runs).
///
/// Values are gathered as a tree in two flat arrays, nodes and the bytes of their scalars and
/// keys, so that an object's members can be sorted when it is written; no dictionary, string or
/// array is made per value, as Foundation's encoder does.
final class BodyEncoder: Encoder {
    struct Node {
        enum Kind: UInt8 { case empty, scalar, array, object }
        var kind = Kind.empty
        /// A scalar's JSON text in `bytes`.
        var start: UInt32 = 0
        var end: UInt32 = 0
        /// A member's key, as its raw text in `bytes`.
        var keyStart: UInt32 = 0
        var keyEnd: UInt32 = 0
        var parent: Int32 = -1
        var first: Int32 = -1
        var last: Int32 = -1
        var next: Int32 = -1
        var count: UInt32 = 0
        var isMember = false
    }

    /// What changes as values are encoded. Behind a pointer: a class's `var`s are checked for
    /// exclusive access at run time, and those checks were a sixth of the encoding.
    struct State {
        var nodes: [Node] = [Node()]
        var bytes: [UInt8] = []
        var current = 0
    }

    let state: UnsafeMutablePointer<State>

    init() {
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        state.pointee.nodes.reserveCapacity(64)
        state.pointee.bytes.reserveCapacity(512)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var codingPath: [any CodingKey] { path(to: state.pointee.current) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { keyed(at: state.pointee.current) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { unkeyed(at: state.pointee.current) }
    func singleValueContainer() -> any SingleValueEncodingContainer { BodySingleValueContainer(encoder: self, node: state.pointee.current) }

    func keyed<Key: CodingKey>(at node: Int) -> KeyedEncodingContainer<Key> {
        become(.object, node)
        return KeyedEncodingContainer(BodyKeyedContainer<Key>(encoder: self, node: node))
    }

    func unkeyed(at node: Int) -> BodyUnkeyedContainer {
        become(.array, node)
        return BodyUnkeyedContainer(encoder: self, node: node)
    }

    /// Asking a value for the same kind of container twice gives the same container, as in
    /// Foundation; asking for another kind is a fault of the `Encodable`.
    private func become(_ kind: Node.Kind, _ node: Int) {
        if state.pointee.nodes[node].kind == .empty { state.pointee.nodes[node].kind = kind }
        precondition(state.pointee.nodes[node].kind == kind, "a value encoded as \(state.pointee.nodes[node].kind) asked for a container of \(kind)")
    }

    /// A new value under `parent`, a member when it has a key.
    func child(of parent: Int, key: String?) -> Int {
        let index = state.pointee.nodes.count
        var node = Node()
        node.parent = Int32(truncatingIfNeeded: parent)
        if let key {
            node.isMember = true
            node.keyStart = UInt32(truncatingIfNeeded: state.pointee.bytes.count)
            state.pointee.bytes.append(contentsOf: key.utf8)
            node.keyEnd = UInt32(truncatingIfNeeded: state.pointee.bytes.count)
        }
        state.pointee.nodes.append(node)
        let last = state.pointee.nodes[parent].last
        if last >= 0 { state.pointee.nodes[Int(last)].next = Int32(truncatingIfNeeded: index) } else { state.pointee.nodes[parent].first = Int32(truncatingIfNeeded: index) }
        state.pointee.nodes[parent].last = Int32(truncatingIfNeeded: index)
        state.pointee.nodes[parent].count += 1
        return index
    }

    // MARK: Scalars

    /// Writes a scalar's text into `node` with `write`.
    @inline(__always)
    func scalar(_ node: Int, _ write: (inout [UInt8]) -> Void) {
        precondition(state.pointee.nodes[node].kind == .empty, "a value encoded twice")
        state.pointee.nodes[node].kind = .scalar
        state.pointee.nodes[node].start = UInt32(truncatingIfNeeded: state.pointee.bytes.count)
        write(&state.pointee.bytes)
        state.pointee.nodes[node].end = UInt32(truncatingIfNeeded: state.pointee.bytes.count)
    }

    func encodeNil(_ node: Int) { scalar(node) { $0 += "null".utf8 } }
    func encode(_ value: Bool, _ node: Int) { scalar(node) { $0 += (value ? "true" : "false").utf8 } }
    func encode(_ value: String, _ node: Int) { scalar(node) { JSONValue.write(value, to: &$0) } }
    func integer(_ value: some FixedWidthInteger, _ node: Int) { scalar(node) { JSONValue.writeInteger(value, to: &$0) } }

    /// A number as Foundation writes it: Swift's shortest form, without a trailing `.0`.
    func float<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F, _ node: Int) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path(to: node), debugDescription: "Unable to encode \(F.self).\(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        scalar(node) { $0 += text.utf8 }
    }

    func value<T: Encodable>(_ value: T, _ node: Int) throws {
        // The types Foundation's encoder writes in a form of its own.
        if T.self == JSONValue.self { return scalar(node) { (value as! JSONValue).write(to: &$0) } }
        if T.self == Date.self { return encode((value as! Date).formatted(.iso8601), node) }
        if T.self == URL.self { return encode((value as! URL).absoluteString, node) }
        if T.self == Data.self { return encode((value as! Data).base64EncodedString(), node) }
        if T.self == Decimal.self { return scalar(node) { $0 += (value as! Decimal).description.utf8 } }
        let saved = state.pointee.current
        state.pointee.current = node
        defer { state.pointee.current = saved }
        try value.encode(to: self)
    }

    // MARK: Writing

    /// The JSON text of the tree; members in the order of their keys' UTF-8 bytes, the last
    /// value of a key written twice kept, as Foundation does.
    func text(of type: Any.Type) throws -> [UInt8] {
        guard state.pointee.nodes[0].kind != .empty else {
            throw EncodingError.invalidValue(type, .init(codingPath: [], debugDescription: "Top-level \(type) did not encode any values."))
        }
        var out: [UInt8] = []
        out.reserveCapacity(state.pointee.bytes.count + state.pointee.nodes.count * 4)
        var order: [Int32] = []
        write(0, to: &out, order: &order)
        return out
    }

    private func write(_ index: Int, to out: inout [UInt8], order: inout [Int32]) {
        let node = state.pointee.nodes[index]
        switch node.kind {
        case .empty: out += "{}".utf8  // a nested value that encoded nothing
        case .scalar: out.append(contentsOf: state.pointee.bytes[Int(node.start)..<Int(node.end)])
        case .array:
            out.append(UInt8(ascii: "["))
            var child = node.first
            while child >= 0 {
                if child != node.first { out.append(UInt8(ascii: ",")) }
                write(Int(child), to: &out, order: &order)
                child = state.pointee.nodes[Int(child)].next
            }
            out.append(UInt8(ascii: "]"))
        case .object:
            out.append(UInt8(ascii: "{"))
            // The members are sorted in a stretch of `order` past the one the enclosing objects use.
            let base = order.count
            var child = node.first
            while child >= 0 {
                order.append(child)
                child = state.pointee.nodes[Int(child)].next
            }
            state.pointee.bytes.withUnsafeBufferPointer { text in
                order[base...].sort { a, b in
                    let order = compare(key(Int(a), text), key(Int(b), text))
                    return order != 0 ? order < 0 : a < b
                }
            }
            var written = false
            for position in base..<order.count {
                let member = Int(order[position])
                // Of a key given twice, the last value is kept.
                if position + 1 < order.count, keysEqual(member, Int(order[position + 1])) { continue }
                if written { out.append(UInt8(ascii: ",")) }
                written = true
                state.pointee.bytes.withUnsafeBufferPointer { JSONValue.write(key(member, $0), to: &out) }
                out.append(UInt8(ascii: ":"))
                write(member, to: &out, order: &order)
            }
            order.removeSubrange(base...)
            out.append(UInt8(ascii: "}"))
        }
    }

    private func key(_ member: Int, _ text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: text[Int(state.pointee.nodes[member].keyStart)..<Int(state.pointee.nodes[member].keyEnd)])
    }

    private func keysEqual(_ a: Int, _ b: Int) -> Bool {
        state.pointee.bytes.withUnsafeBufferPointer { compare(key(a, $0), key(b, $0)) == 0 }
    }

    private func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        let order = common == 0 ? 0 : Int(memcmp(a.baseAddress!, b.baseAddress!, common))
        return order != 0 ? order : a.count - b.count
    }

    /// The coding path to `node`, for an error.
    func path(to node: Int) -> [any CodingKey] {
        var keys: [any CodingKey] = []
        var index = node
        while state.pointee.nodes[index].parent >= 0 {
            let parent = Int(state.pointee.nodes[index].parent)
            if state.pointee.nodes[index].isMember {
                keys.append(NameKey(String(decoding: state.pointee.bytes[Int(state.pointee.nodes[index].keyStart)..<Int(state.pointee.nodes[index].keyEnd)], as: UTF8.self)))
            } else {
                var position = 0
                var sibling = state.pointee.nodes[parent].first
                while sibling >= 0, Int(sibling) != index {
                    position += 1
                    sibling = state.pointee.nodes[Int(sibling)].next
                }
                keys.append(ElementKey(position))
            }
            index = parent
        }
        return keys.reversed()
    }
}

/// An encoder for the value at one node: `superEncoder()`, used out of turn.
final class BodyEncoderAt: Encoder {
    let encoder: BodyEncoder
    let node: Int
    init(_ encoder: BodyEncoder, _ node: Int) {
        self.encoder = encoder
        self.node = node
    }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var codingPath: [any CodingKey] { encoder.path(to: node) }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { encoder.keyed(at: node) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { encoder.unkeyed(at: node) }
    func singleValueContainer() -> any SingleValueEncodingContainer { BodySingleValueContainer(encoder: encoder, node: node) }
}
