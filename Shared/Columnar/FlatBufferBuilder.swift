/// A FlatBuffers value tree and its encoder, for the few small metadata tables of the Arrow
/// IPC format (schema and batch headers: hundreds of bytes). It writes front to back: every
/// object lands after the offset that points to it, so each offset is a positive distance,
/// tables are 8-aligned and each scalar sits at an address aligned to its size, which is
/// what the FlatBuffers verifier in pyarrow checks.
enum FlatValue {
    /// A table: slot number → field. Absent slots take the schema's default, so callers
    /// write every value whose default is not the one they mean.
    case table([Int: FlatField])
    /// A NUL-terminated string.
    case string(String)
    /// A vector of structs, each a run of int64 values (Arrow's `Buffer` and `FieldNode`).
    case structs([[Int64]])
    /// A vector of int32.
    case int32s([Int32])
    /// A vector of tables.
    case tables([FlatValue])
}

/// One field of a table.
enum FlatField {
    case u8(UInt8)
    case i16(Int16)
    case i32(Int32)
    case i64(Int64)
    case offset(FlatValue)

    var size: Int {
        switch self {
        case .u8: 1
        case .i16: 2
        case .i32, .offset: 4
        case .i64: 8
        }
    }
}

/// Encodes a `FlatValue` tree into a FlatBuffers buffer.
struct FlatBufferBuilder {
    private(set) var bytes: [UInt8] = []

    /// The buffer of `root` (a table): a root offset, then the objects.
    static func encode(_ root: FlatValue) -> [UInt8] {
        var builder = FlatBufferBuilder()
        builder.bytes = [0, 0, 0, 0]
        let position = builder.write(root)
        builder.patch32(at: 0, UInt32(position))
        return builder.bytes
    }

    private mutating func pad(to alignment: Int, phase: Int = 0) {
        while bytes.count % alignment != phase { bytes.append(0) }
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func patch32(at position: Int, _ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for index in 0..<4 { bytes[position + index] = raw[index] }
        }
    }

    private mutating func patch<T: FixedWidthInteger>(at position: Int, _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for index in 0..<raw.count { bytes[position + index] = raw[index] }
        }
    }

    /// Writes `value` at the end; returns its position (where an offset must point).
    private mutating func write(_ value: FlatValue) -> Int {
        switch value {
        case .string(let text):
            pad(to: 4)
            let position = bytes.count
            append(UInt32(text.utf8.count))
            bytes.append(contentsOf: text.utf8)
            bytes.append(0)
            return position
        case .structs(let items):
            pad(to: 8, phase: 4)  // the count at 4 mod 8, so the 8-byte elements are aligned
            let position = bytes.count
            append(UInt32(items.count))
            for item in items { for field in item { append(field) } }
            return position
        case .int32s(let items):
            pad(to: 4)
            let position = bytes.count
            append(UInt32(items.count))
            for item in items { append(item) }
            return position
        case .tables(let tables):
            pad(to: 4)
            let position = bytes.count
            append(UInt32(tables.count))
            let slots = tables.indices.map { position + 4 + 4 * $0 }
            bytes.append(contentsOf: [UInt8](repeating: 0, count: 4 * tables.count))
            for (slot, table) in zip(slots, tables) {
                let child = write(table)
                patch32(at: slot, UInt32(child - slot))
            }
            return position
        case .table(let fields):
            return writeTable(fields)
        }
    }

    private mutating func writeTable(_ fields: [Int: FlatField]) -> Int {
        let slotCount = (fields.keys.max() ?? -1) + 1
        // Inline layout: the vtable offset, then fields by decreasing size, each aligned to it.
        var layout: [Int: Int] = [:]
        var end = 4
        for (slot, field) in fields.sorted(by: { ($0.value.size, -$0.key) > ($1.value.size, -$1.key) }) {
            end = (end + field.size - 1) / field.size * field.size
            layout[slot] = end
            end += field.size
        }
        let inlineSize = (end + 3) / 4 * 4
        pad(to: 2)
        let vtable = bytes.count
        append(UInt16(4 + 2 * slotCount))
        append(UInt16(inlineSize))
        for slot in 0..<slotCount { append(UInt16(layout[slot] ?? 0)) }
        pad(to: 8)
        let table = bytes.count
        bytes.append(contentsOf: [UInt8](repeating: 0, count: inlineSize))
        patch(at: table, Int32(table - vtable))
        var children: [(at: Int, value: FlatValue)] = []
        for (slot, field) in fields {
            let at = table + layout[slot]!
            switch field {
            case .u8(let value): patch(at: at, value)
            case .i16(let value): patch(at: at, value)
            case .i32(let value): patch(at: at, value)
            case .i64(let value): patch(at: at, value)
            case .offset(let value): children.append((at, value))
            }
        }
        for (at, value) in children.sorted(by: { $0.at < $1.at }) {
            let child = write(value)
            patch32(at: at, UInt32(child - at))
        }
        return table
    }
}
