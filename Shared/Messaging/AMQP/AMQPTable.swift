import CRabbitMQ
import Foundation

/// Owns C memory handed to rabbitmq-c for one call (strings, tables), freed together.
/// rabbitmq-c borrows these pointers only for the duration of a call.
final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    deinit { for block in blocks { free(block) } }

    func bytes(_ string: String) -> amqp_bytes_t {
        bytes(Array(string.utf8))
    }

    func bytes(_ data: [UInt8]) -> amqp_bytes_t {
        let count = max(data.count, 1)
        let block = malloc(count)!
        blocks.append(block)
        data.withUnsafeBytes { if let base = $0.baseAddress { block.copyMemory(from: base, byteCount: data.count) } }
        return amqp_bytes_t(len: data.count, bytes: block)
    }

    func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let block = malloc(MemoryLayout<T>.stride * max(count, 1))!
        blocks.append(block)
        return block.bindMemory(to: T.self, capacity: max(count, 1))
    }

    func table(_ headers: [String: HeaderValue]) -> amqp_table_t {
        guard !headers.isEmpty else { return amqp_empty_table }
        let entries = allocate(amqp_table_entry_t.self, count: headers.count)
        for (i, (key, value)) in headers.sorted(by: { $0.key < $1.key }).enumerated() {
            entries[i] = amqp_table_entry_t(key: bytes(key), value: field(value))
        }
        return amqp_table_t(num_entries: Int32(headers.count), entries: entries)
    }

    func field(_ value: HeaderValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .string(let s):
            field.kind = kind(AMQP_FIELD_KIND_UTF8); field.value.bytes = bytes(s)
        case .bytes(let b):
            field.kind = kind(AMQP_FIELD_KIND_BYTES); field.value.bytes = bytes(b)
        case .int(let i):
            field.kind = kind(AMQP_FIELD_KIND_I64); field.value.i64 = i
        case .double(let d):
            field.kind = kind(AMQP_FIELD_KIND_F64); field.value.f64 = d
        case .bool(let b):
            field.kind = kind(AMQP_FIELD_KIND_BOOLEAN); field.value.boolean = b ? 1 : 0
        case .timestamp(let t):
            field.kind = kind(AMQP_FIELD_KIND_TIMESTAMP); field.value.u64 = t
        case .table(let t):
            field.kind = kind(AMQP_FIELD_KIND_TABLE); field.value.table = table(t)
        case .array(let items):
            let values = allocate(amqp_field_value_t.self, count: items.count)
            for (i, item) in items.enumerated() { values[i] = self.field(item) }
            field.kind = kind(AMQP_FIELD_KIND_ARRAY)
            field.value.array = amqp_array_t(num_entries: Int32(items.count), entries: values)
        case .void:
            field.kind = kind(AMQP_FIELD_KIND_VOID)
        }
        return field
    }
}

@inline(__always) func kind(_ k: amqp_field_value_kind_t) -> UInt8 { UInt8(k.rawValue) }

extension amqp_bytes_t {
    /// Copies the bytes out (rabbitmq-c reuses its buffers).
    var array: [UInt8] {
        guard len > 0, let bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }

    var string: String { String(decoding: array, as: UTF8.self) }
}

/// Converts a table the broker sent into Swift values.
func decodeTable(_ table: amqp_table_t) -> [String: HeaderValue] {
    var result: [String: HeaderValue] = [:]
    guard table.num_entries > 0, let entries = table.entries else { return result }
    for i in 0..<Int(table.num_entries) {
        result[entries[i].key.string] = decodeField(entries[i].value)
    }
    return result
}

func decodeField(_ field: amqp_field_value_t) -> HeaderValue {
    let v = field.value
    switch field.kind {
    case kind(AMQP_FIELD_KIND_UTF8): return .string(v.bytes.string)
    case kind(AMQP_FIELD_KIND_BYTES): return .bytes(v.bytes.array)
    case kind(AMQP_FIELD_KIND_BOOLEAN): return .bool(v.boolean != 0)
    case kind(AMQP_FIELD_KIND_I8): return .int(Int64(v.i8))
    case kind(AMQP_FIELD_KIND_U8): return .int(Int64(v.u8))
    case kind(AMQP_FIELD_KIND_I16): return .int(Int64(v.i16))
    case kind(AMQP_FIELD_KIND_U16): return .int(Int64(v.u16))
    case kind(AMQP_FIELD_KIND_I32): return .int(Int64(v.i32))
    case kind(AMQP_FIELD_KIND_U32): return .int(Int64(v.u32))
    case kind(AMQP_FIELD_KIND_I64): return .int(v.i64)
    case kind(AMQP_FIELD_KIND_U64): return .int(Int64(truncatingIfNeeded: v.u64))
    case kind(AMQP_FIELD_KIND_F32): return .double(Double(v.f32))
    case kind(AMQP_FIELD_KIND_F64): return .double(v.f64)
    case kind(AMQP_FIELD_KIND_TIMESTAMP): return .timestamp(v.u64)
    case kind(AMQP_FIELD_KIND_TABLE): return .table(decodeTable(v.table))
    case kind(AMQP_FIELD_KIND_ARRAY):
        guard v.array.num_entries > 0, let entries = v.array.entries else { return .array([]) }
        return .array((0..<Int(v.array.num_entries)).map { decodeField(entries[$0]) })
    default: return .void
    }
}
