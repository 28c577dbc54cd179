import CRabbitMQ
import Foundation

/// C memory for one call into rabbitmq-c: strings, tables and properties built from Swift values,
/// freed together when the arena goes away.
final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    deinit { for block in blocks { free(block) } }

    private func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let block = malloc(max(size, 1))!
        blocks.append(block)
        return block
    }

    func bytes(_ string: String) -> amqp_bytes_t { bytes(Array(string.utf8)) }

    func bytes(_ array: [UInt8]) -> amqp_bytes_t {
        let block = allocate(array.count)
        array.withUnsafeBytes { if let base = $0.baseAddress { block.copyMemory(from: base, byteCount: $0.count) } }
        return amqp_bytes_t(len: array.count, bytes: block)
    }

    func table(_ table: AMQPTable) -> amqp_table_t {
        guard !table.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let entries = allocate(MemoryLayout<amqp_table_entry_t>.stride * table.count)
            .bindMemory(to: amqp_table_entry_t.self, capacity: table.count)
        for (index, (key, value)) in table.sorted(by: { $0.key < $1.key }).enumerated() {
            entries[index] = amqp_table_entry_t(key: bytes(key), value: field(value))
        }
        return amqp_table_t(num_entries: Int32(table.count), entries: entries)
    }

    func field(_ value: AMQPFieldValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .string(let s):
            field.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
            field.value.bytes = bytes(s)
        case .int(let i):
            field.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
            field.value.i64 = i
        case .bool(let b):
            field.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue)
            field.value.boolean = b ? 1 : 0
        case .double(let d):
            field.kind = UInt8(AMQP_FIELD_KIND_F64.rawValue)
            field.value.f64 = d
        case .timestamp(let t):
            field.kind = UInt8(AMQP_FIELD_KIND_TIMESTAMP.rawValue)
            field.value.u64 = t
        case .bytes(let b):
            field.kind = UInt8(AMQP_FIELD_KIND_BYTES.rawValue)
            field.value.bytes = bytes(b)
        case .array(let items):
            field.kind = UInt8(AMQP_FIELD_KIND_ARRAY.rawValue)
            let entries = allocate(MemoryLayout<amqp_field_value_t>.stride * max(items.count, 1))
                .bindMemory(to: amqp_field_value_t.self, capacity: max(items.count, 1))
            for (index, item) in items.enumerated() { entries[index] = self.field(item) }
            field.value.array = amqp_array_t(num_entries: Int32(items.count), entries: entries)
        case .table(let t):
            field.kind = UInt8(AMQP_FIELD_KIND_TABLE.rawValue)
            field.value.table = table(t)
        case .void:
            field.kind = UInt8(AMQP_FIELD_KIND_VOID.rawValue)
        }
        return field
    }

    func properties(_ p: AMQPProperties) -> amqp_basic_properties_t {
        var props = amqp_basic_properties_t()
        var flags: UInt32 = 0
        func set(_ value: String?, _ flag: Int32, _ assign: (amqp_bytes_t) -> Void) {
            guard let value else { return }
            assign(bytes(value))
            flags |= UInt32(flag)
        }
        set(p.contentType, AMQP_BASIC_CONTENT_TYPE_FLAG) { props.content_type = $0 }
        set(p.messageId, AMQP_BASIC_MESSAGE_ID_FLAG) { props.message_id = $0 }
        set(p.correlationId, AMQP_BASIC_CORRELATION_ID_FLAG) { props.correlation_id = $0 }
        set(p.type, AMQP_BASIC_TYPE_FLAG) { props.type = $0 }
        set(p.replyTo, AMQP_BASIC_REPLY_TO_FLAG) { props.reply_to = $0 }
        set(p.appId, AMQP_BASIC_APP_ID_FLAG) { props.app_id = $0 }
        set(p.expiration, AMQP_BASIC_EXPIRATION_FLAG) { props.expiration = $0 }
        if let timestamp = p.timestamp {
            props.timestamp = timestamp
            flags |= UInt32(AMQP_BASIC_TIMESTAMP_FLAG)
        }
        props.delivery_mode = UInt8(p.persistent ? AMQP_DELIVERY_PERSISTENT.rawValue : AMQP_DELIVERY_NONPERSISTENT.rawValue)
        flags |= UInt32(AMQP_BASIC_DELIVERY_MODE_FLAG)
        if !p.headers.isEmpty {
            props.headers = table(p.headers)
            flags |= UInt32(AMQP_BASIC_HEADERS_FLAG)
        }
        props._flags = flags
        return props
    }
}

extension amqp_bytes_t {
    /// A Swift copy of the bytes, safe to keep after rabbitmq-c frees its buffers.
    var array: [UInt8] {
        guard len > 0, let bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }

    var string: String { String(decoding: array, as: UTF8.self) }
}

extension amqp_field_value_t {
    var swiftValue: AMQPFieldValue {
        switch Int(kind) {
        case Int(AMQP_FIELD_KIND_UTF8.rawValue): return .string(value.bytes.string)
        case Int(AMQP_FIELD_KIND_BYTES.rawValue): return .bytes(value.bytes.array)
        case Int(AMQP_FIELD_KIND_BOOLEAN.rawValue): return .bool(value.boolean != 0)
        case Int(AMQP_FIELD_KIND_I8.rawValue): return .int(Int64(value.i8))
        case Int(AMQP_FIELD_KIND_U8.rawValue): return .int(Int64(value.u8))
        case Int(AMQP_FIELD_KIND_I16.rawValue): return .int(Int64(value.i16))
        case Int(AMQP_FIELD_KIND_U16.rawValue): return .int(Int64(value.u16))
        case Int(AMQP_FIELD_KIND_I32.rawValue): return .int(Int64(value.i32))
        case Int(AMQP_FIELD_KIND_U32.rawValue): return .int(Int64(value.u32))
        case Int(AMQP_FIELD_KIND_I64.rawValue): return .int(value.i64)
        case Int(AMQP_FIELD_KIND_U64.rawValue): return .int(Int64(truncatingIfNeeded: value.u64))
        case Int(AMQP_FIELD_KIND_F32.rawValue): return .double(Double(value.f32))
        case Int(AMQP_FIELD_KIND_F64.rawValue): return .double(value.f64)
        case Int(AMQP_FIELD_KIND_TIMESTAMP.rawValue): return .timestamp(value.u64)
        case Int(AMQP_FIELD_KIND_TABLE.rawValue): return .table(value.table.swiftTable)
        case Int(AMQP_FIELD_KIND_ARRAY.rawValue):
            let array = value.array
            guard array.num_entries > 0, let entries = array.entries else { return .array([]) }
            return .array((0..<Int(array.num_entries)).map { entries[$0].swiftValue })
        default: return .void
        }
    }
}

extension amqp_table_t {
    var swiftTable: AMQPTable {
        guard num_entries > 0, let entries else { return [:] }
        var table = AMQPTable()
        for index in 0..<Int(num_entries) { table[entries[index].key.string] = entries[index].value.swiftValue }
        return table
    }
}

extension amqp_basic_properties_t {
    var swiftProperties: AMQPProperties {
        func has(_ flag: Int32) -> Bool { _flags & UInt32(flag) != 0 }
        return AMQPProperties(
            messageId: has(AMQP_BASIC_MESSAGE_ID_FLAG) ? message_id.string : nil,
            correlationId: has(AMQP_BASIC_CORRELATION_ID_FLAG) ? correlation_id.string : nil,
            type: has(AMQP_BASIC_TYPE_FLAG) ? type.string : nil,
            timestamp: has(AMQP_BASIC_TIMESTAMP_FLAG) ? timestamp : nil,
            contentType: has(AMQP_BASIC_CONTENT_TYPE_FLAG) ? content_type.string : nil,
            replyTo: has(AMQP_BASIC_REPLY_TO_FLAG) ? reply_to.string : nil,
            appId: has(AMQP_BASIC_APP_ID_FLAG) ? app_id.string : nil,
            expiration: has(AMQP_BASIC_EXPIRATION_FLAG) ? expiration.string : nil,
            persistent: has(AMQP_BASIC_DELIVERY_MODE_FLAG) && delivery_mode == UInt8(AMQP_DELIVERY_PERSISTENT.rawValue),
            headers: has(AMQP_BASIC_HEADERS_FLAG) ? headers.swiftTable : [:])
    }
}
