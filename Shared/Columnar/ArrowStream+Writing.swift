/// Encoding the schema and batch messages.
extension ArrowStream {
    static func encode(schema fields: [ArrowField], metadata: [(key: String, value: String)], into out: inout [UInt8]) {
        var schema: [Int: FlatField] = [1: .offset(.tables(fields.map(field)))]
        if !metadata.isEmpty { schema[2] = .offset(keyValues(metadata)) }
        let message = FlatValue.table([
            0: .i16(metadataVersion), 1: .u8(Header.schema.rawValue), 2: .offset(.table(schema)),
        ])
        frame(FlatBufferBuilder.encode(message), body: [], into: &out)
    }

    static func encode(batch columns: [ArrowArray], into out: inout [UInt8]) {
        var nodes: [[Int64]] = []
        var buffers: [[Int64]] = []
        var body: [UInt8] = []
        func add(_ array: ArrowArray) {
            nodes.append([Int64(array.length), Int64(array.nullCount)])
            for buffer in array.buffers {
                buffers.append([Int64(body.count), Int64(buffer.count)])
                body += buffer
                body += [UInt8](repeating: 0, count: (8 - buffer.count % 8) % 8)
            }
            array.children.forEach(add)
        }
        columns.forEach(add)
        let batch = FlatValue.table([
            0: .i64(Int64(columns.first?.length ?? 0)), 1: .offset(.structs(nodes)), 2: .offset(.structs(buffers)),
        ])
        let message = FlatValue.table([
            0: .i16(metadataVersion), 1: .u8(Header.recordBatch.rawValue), 2: .offset(batch),
            3: .i64(Int64(body.count)),
        ])
        frame(FlatBufferBuilder.encode(message), body: body, into: &out)
    }

    private static func field(_ field: ArrowField) -> FlatValue {
        let (tag, type, children) = typeTable(field.type)
        var table: [Int: FlatField] = [
            0: .offset(.string(field.name)), 1: .u8(field.nullable ? 1 : 0), 2: .u8(tag.rawValue),
            3: .offset(type), 5: .offset(.tables(children.map(Self.field))),
        ]
        if !field.metadata.isEmpty { table[6] = .offset(keyValues(field.metadata)) }
        return .table(table)
    }

    /// The union tag, the type table (every parameter written: several defaults are not
    /// what they seem, e.g. an absent `Date.unit` means milliseconds) and child fields.
    private static func typeTable(_ type: ArrowType) -> (TypeTag, FlatValue, [ArrowField]) {
        switch type {
        case .null: (.null, .table([:]), [])
        case .int64: (.int, .table([0: .i32(64), 1: .u8(1)]), [])
        case .float64: (.floatingPoint, .table([0: .i16(2)]), [])
        case .bool: (.bool, .table([:]), [])
        case .date32: (.date, .table([0: .i16(0)]), [])
        case .utf8: (.utf8, .table([:]), [])
        case .denseUnion(let fields, let typeIds):
            (.union, .table([0: .i16(1), 1: .offset(.int32s(typeIds.map(Int32.init)))]), fields)
        }
    }

    private static func keyValues(_ pairs: [(key: String, value: String)]) -> FlatValue {
        .tables(pairs.map { .table([0: .offset(.string($0.key)), 1: .offset(.string($0.value))]) })
    }
}
