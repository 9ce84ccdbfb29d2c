/// The Arrow IPC streaming format (columnar format 1.x, metadata V5): what Sluice's chunks
/// are, so any Arrow reader (pyarrow, DuckDB, polars, arrow-rs) opens them.
///
/// A stream is a schema message, record batch messages, then the end-of-stream marker.
/// Each message is the continuation marker `FF FF FF FF`, the int32 length of the padded
/// FlatBuffers metadata, the metadata, and the body (the batch's buffers, each padded to 8
/// bytes). Sluice writes one batch per chunk; it reads any number. Compression,
/// dictionaries and types other than those of ``ArrowType`` are refused with
/// ``ArrowFormatError/unsupported(_:)``. `docs/chunk-format.md` describes it byte by byte.
public enum ArrowStream {
    /// `Message.version`: MetadataVersion V5.
    static let metadataVersion: Int16 = 4
    static let continuation: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]

    /// Message header kinds (`MessageHeader` union tags).
    enum Header: UInt8 {
        case schema = 1
        case dictionaryBatch = 2
        case recordBatch = 3
    }

    /// Type union tags (`Type`).
    enum TypeTag: UInt8 {
        case null = 1, int = 2, floatingPoint = 3, utf8 = 5, bool = 6, date = 8, union = 14
    }

    /// The stream of `table`: its schema, one record batch, the end marker.
    public static func encode(_ table: ArrowTable) -> [UInt8] {
        var out: [UInt8] = []
        encode(schema: table.fields, metadata: table.metadata, into: &out)
        encode(batch: table.columns, into: &out)
        out += continuation + [0, 0, 0, 0]
        return out
    }

    /// Every batch of a stream, with its schema and schema metadata.
    public static func decode(_ bytes: [UInt8]) throws(ArrowFormatError) -> [ArrowTable] {
        var reader = ArrowStreamReader(bytes)
        return try reader.readAll()
    }

    /// The stream's single batch: a chunk is one batch (an empty stream is a table of no rows).
    public static func decodeTable(_ bytes: [UInt8]) throws(ArrowFormatError) -> ArrowTable {
        var reader = ArrowStreamReader(bytes)
        let batches = try reader.readAll()
        guard batches.count <= 1 else {
            throw .unsupported("a stream of \(batches.count) record batches; a chunk is one batch")
        }
        return batches.first ?? ArrowTable(fields: reader.fields, columns: reader.fields.map { ArrowArray.empty($0.type) },
                                           metadata: reader.metadata)
    }

    static func frame(_ metadata: [UInt8], body: [UInt8], into out: inout [UInt8]) {
        let padded = (metadata.count + 7) / 8 * 8
        out += continuation
        withUnsafeBytes(of: Int32(padded).littleEndian) { out.append(contentsOf: $0) }
        out += metadata
        out += [UInt8](repeating: 0, count: padded - metadata.count)
        out += body
    }
}
