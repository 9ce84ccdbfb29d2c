/// Reads an Arrow IPC stream message by message, checking every length and offset against
/// the bytes it has.
struct ArrowStreamReader {
    private let bytes: [UInt8]
    private var position = 0
    private(set) var fields: [ArrowField] = []
    private(set) var metadata: [(key: String, value: String)] = []

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func readAll() throws(ArrowFormatError) -> [ArrowTable] {
        guard let (schema, _) = try nextMessage() else { throw .malformed("the stream is empty: expected a schema message") }
        guard try schema.u8(1) == ArrowStream.Header.schema.rawValue, let header = try schema.table(2) else {
            throw .malformed("the first message must be the schema")
        }
        fields = try (header.tables(1) ?? []).map { (table) throws(ArrowFormatError) in try Self.field(table, depth: 0) }
        metadata = try Self.keyValues(header.tables(2))
        var tables: [ArrowTable] = []
        while let (message, body) = try nextMessage() {
            let kind = try message.u8(1)
            guard kind == ArrowStream.Header.recordBatch.rawValue else {
                throw kind == ArrowStream.Header.dictionaryBatch.rawValue
                    ? .unsupported("dictionary-encoded columns") : .malformed("unexpected message kind \(kind)")
            }
            guard let batch = try message.table(2) else { throw .malformed("a record batch message has no header") }
            tables.append(ArrowTable(fields: fields, columns: try Self.columns(batch, body: body, fields: fields),
                                     metadata: metadata))
        }
        return tables
    }

    /// The next message's metadata and body, or nil at the end of the stream.
    private mutating func nextMessage() throws(ArrowFormatError) -> (FlatBufferTable, ArraySlice<UInt8>)? {
        guard position + 4 <= bytes.count else {
            guard position == bytes.count else { throw .malformed("the stream ends inside a message prefix") }
            return nil
        }
        var length = Int(Int32(bitPattern: try FlatBufferTable.u32(bytes, position)))
        position += 4
        if length == -1 {  // the continuation marker, then the length
            guard position + 4 <= bytes.count else { throw .malformed("the stream ends inside a message prefix") }
            length = Int(Int32(bitPattern: try FlatBufferTable.u32(bytes, position)))
            position += 4
        }
        if length == 0 { return nil }  // end of stream
        guard length > 0, length <= bytes.count - position else { throw .malformed("a message's metadata runs past the stream") }
        let message = try FlatBufferTable(root: Array(bytes[position..<(position + length)]))
        position += length
        let version = try message.i16(0)
        guard version >= 3 else { throw .unsupported("metadata version \(version) (before Arrow 0.15)") }
        let bodyLength = Int(try message.i64(3))
        guard bodyLength >= 0, bodyLength <= bytes.count - position else { throw .malformed("a message body runs past the stream") }
        let body = bytes[position..<(position + bodyLength)]
        position += bodyLength
        return (message, body)
    }

    private static func keyValues(_ tables: [FlatBufferTable]?) throws(ArrowFormatError) -> [(key: String, value: String)] {
        try (tables ?? []).map { (pair) throws(ArrowFormatError) in (try pair.string(0) ?? "", try pair.string(1) ?? "") }
    }

    /// Chunks nest one level (a union of plain kinds); a deeper schema is refused before it
    /// can exhaust the stack or, with shared subtrees, take exponential time.
    static let maxDepth = 4

    private static func field(_ table: FlatBufferTable, depth: Int) throws(ArrowFormatError) -> ArrowField {
        let name = try table.string(0) ?? ""
        guard depth <= maxDepth else { throw .unsupported("the column '\(name)' is nested deeper than \(maxDepth) levels") }
        guard try table.table(4) == nil else { throw .unsupported("the dictionary-encoded column '\(name)'") }
        guard let type = try table.table(3) else { throw .malformed("the column '\(name)' has no type") }
        let children = try (table.tables(5) ?? []).map { (child) throws(ArrowFormatError) in try field(child, depth: depth + 1) }
        let tag = try table.u8(2)
        let kind: ArrowType
        switch ArrowStream.TypeTag(rawValue: tag) {
        case .null: kind = .null
        case .int:
            guard try type.i32(0) == 64, try type.u8(1) == 1 else {
                throw .unsupported("the column '\(name)' is an integer of another width or unsigned; Sluice reads int64")
            }
            kind = .int64
        case .floatingPoint:
            guard try type.i16(0) == 2 else { throw .unsupported("the column '\(name)' is a float of another width; Sluice reads float64") }
            kind = .float64
        case .utf8: kind = .utf8
        case .bool: kind = .bool
        case .date:
            guard try type.i16(0, default: 1) == 0 else { throw .unsupported("the column '\(name)' is date64; Sluice reads date32") }
            kind = .date32
        case .union:
            guard try type.i16(0) == 1 else { throw .unsupported("the column '\(name)' is a sparse union; Sluice reads dense unions") }
            let ids = try type.int32s(1) ?? children.indices.map(Int32.init)
            guard ids.count == children.count else { throw .malformed("the union '\(name)' has \(ids.count) type ids for \(children.count) children") }
            kind = .denseUnion(children, typeIds: ids.map { Int8(truncatingIfNeeded: $0) })
        case nil:
            throw .unsupported("the column '\(name)' has Arrow type tag \(tag)")
        }
        return ArrowField(name: name, type: kind, nullable: try table.u8(1) != 0,
                          metadata: try keyValues(table.tables(6)))
    }

    private static func columns(_ batch: FlatBufferTable, body: ArraySlice<UInt8>,
                                fields: [ArrowField]) throws(ArrowFormatError) -> [ArrowArray] {
        guard try batch.table(3) == nil else { throw .unsupported("compressed record batches") }
        let length = Int(try batch.i64(0))
        var nodes = (try batch.structs(1, width: 2) ?? [])[...]
        var buffers = (try batch.structs(2, width: 2) ?? [])[...]
        var columns: [ArrowArray] = []
        for field in fields {
            let column = try array(field.type, nodes: &nodes, buffers: &buffers, body: body)
            guard column.length == length else {
                throw .malformed("the column '\(field.name)' has \(column.length) values in a batch of \(length) rows")
            }
            columns.append(column)
        }
        return columns
    }

    private static func array(_ type: ArrowType, nodes: inout ArraySlice<[Int64]>, buffers: inout ArraySlice<[Int64]>,
                              body: ArraySlice<UInt8>) throws(ArrowFormatError) -> ArrowArray {
        guard let node = nodes.popFirst() else { throw .malformed("fewer field nodes than columns") }
        let bufferCount: Int
        switch type {
        case .null: bufferCount = 0
        case .int64, .float64, .bool, .date32, .denseUnion: bufferCount = 2
        case .utf8: bufferCount = 3
        }
        var parts: [[UInt8]] = []
        for _ in 0..<bufferCount {
            guard let buffer = buffers.popFirst() else { throw .malformed("fewer buffers than the columns need") }
            let offset = Int(buffer[0]), count = Int(buffer[1])
            guard offset >= 0, count >= 0, offset <= body.count, count <= body.count - offset else { throw .malformed("a buffer lies outside the body") }
            parts.append(Array(body[(body.startIndex + offset)..<(body.startIndex + offset + count)]))
        }
        var children: [ArrowArray] = []
        if case .denseUnion(let fields, _) = type {
            for field in fields { children.append(try array(field.type, nodes: &nodes, buffers: &buffers, body: body)) }
        }
        let array = ArrowArray(type: type, length: Int(node[0]), nullCount: Int(node[1]), buffers: parts, children: children)
        try array.check()
        return array
    }
}
