import Columnar
import Contracts
import Tabular

/// Records ⇄ chunk bytes: one Arrow IPC stream per chunk (format version 1, described byte
/// by byte in `docs/chunk-format.md`), so any Arrow reader opens a chunk.
///
/// Columns, in order: `_line` (int64, the record's source line), then one column per data
/// column in the chunk's column order, then `_key.0…` (the unique-key fingerprints) and
/// `_dedupe` when records carry them, and `_width` when some record has fewer or more cells
/// than the header (those beyond it are `_extra.1…`). System columns are marked by the field
/// metadata `sluice.role`, so a data column may have any name.
///
/// A data column's type is chosen per chunk from the cells it holds (unless the caller
/// hands the column over made already: a column carried from the input chunk keeps its type,
/// and validate's date fields are `date32`, see `docs/chunk-format.md`): int64, float64, bool
/// or utf8 when every non-null cell is of that kind (integers beside doubles make a float64
/// column when each is exact in a double), null when all are null, and a dense union of the
/// kinds present when they mix otherwise (a number beside a text). Decoding gives back the
/// cells that were encoded, with one rule: a float64 holding a whole number below 2^53
/// reads back as an integer (`95.0` → `95`), so a number prints as it was written and as
/// Table Schema tools print it.
public enum ChunkCodec {
    /// The chunk format version, in the schema metadata as `sluice.chunk.version`.
    public static let version = "1"

    /// What a chunk holds besides its records.
    public struct Header: Sendable, Equatable {
        /// The data column names (the header), in order.
        public var columns: [String]
        /// Schema metadata other than the codec's own (`sluice.job`, `sluice.stage`, …).
        public var metadata: [(key: String, value: String)]

        public init(columns: [String], metadata: [(key: String, value: String)] = []) {
            self.columns = columns
            self.metadata = metadata
        }

        public static func == (a: Header, b: Header) -> Bool {
            a.columns == b.columns && a.metadata.map(\.key) == b.metadata.map(\.key)
                && a.metadata.map(\.value) == b.metadata.map(\.value)
        }
    }

    /// The chunk bytes of `records` under `header`.
    ///
    /// `carried` gives some data columns (by index) as arrays made already, one value per
    /// record: a stage passing a column on unchanged gathers it from its input chunk
    /// (``ArrowArray/take(_:)``) rather than encoding its cells, which it leaves null.
    public static func encode(_ records: [Record], header: Header, carried: [Int: ArrowArray] = [:]) -> [UInt8] {
        ArrowStream.encode(table(records, header: header, carried: carried))
    }

    /// The Arrow table of `records` (exposed for tests and tools).
    public static func table(_ records: [Record], header: Header, carried: [Int: ArrowArray] = [:]) -> ArrowTable {
        let widths = records.map { $0.values.count }  // a key path here is not inlined: 5% of a stage
        let dataColumns = max(header.columns.count, widths.max() ?? 0)
        var fields: [ArrowField] = [role("_line", .int64, "line", nullable: false)]
        var columns: [ArrowArray] = []
        var lines = ArrowBuilder(.int64, capacity: records.count)
        for record in records { lines.append(Int64(record.line)) }
        columns.append(lines.finish())
        // Two passes over the rows: what each column holds, then the columns themselves.
        precondition(carried.values.allSatisfy { $0.length == records.count }, "a carried column has a value per record")
        let encoded = (0..<dataColumns).filter { carried[$0] == nil }
        var census = [CellColumn.Census](repeating: CellColumn.Census(), count: dataColumns)
        for record in records {
            let values = record.values
            for index in encoded { census[index].add(index < values.count ? values[index] : .null) }
        }
        var sinks = census.map { CellColumn.Sink($0, capacity: records.count) }
        for record in records {
            let values = record.values
            for index in encoded { sinks[index].append(index < values.count ? values[index] : .null) }
        }
        for (index, sink) in sinks.enumerated() {
            let (type, array) = carried[index].map { ($0.type, $0) } ?? sink.finish()
            if index < header.columns.count {
                fields.append(ArrowField(name: header.columns[index], type: type))
            } else {
                fields.append(role("_extra.\(index - header.columns.count + 1)", type, "extra"))
            }
            columns.append(array)
        }
        let keyCount = records.first?.keys?.count
        for key in 0..<(keyCount ?? 0) {
            var builder = ArrowBuilder(.utf8, capacity: records.count)
            for record in records {
                if let keys = record.keys, key < keys.count, let value = keys[key] { builder.append(value) } else { builder.appendNull() }
            }
            fields.append(role("_key.\(key)", .utf8, "key"))
            columns.append(builder.finish())
        }
        if records.contains(where: { $0.dedupe != nil }) {
            var builder = ArrowBuilder(.utf8, capacity: records.count)
            for record in records { if let dedupe = record.dedupe { builder.append(dedupe) } else { builder.appendNull() } }
            fields.append(role("_dedupe", .utf8, "dedupe"))
            columns.append(builder.finish())
        }
        if widths.contains(where: { $0 != header.columns.count }) {
            var builder = ArrowBuilder(.int64, capacity: records.count)
            for width in widths { builder.append(Int64(width)) }
            fields.append(role("_width", .int64, "width", nullable: false))
            columns.append(builder.finish())
        }
        var metadata: [(key: String, value: String)] = [("sluice.chunk.version", version)]
        if let keyCount { metadata.append(("sluice.keys", String(keyCount))) }
        return ArrowTable(fields: fields, columns: columns, metadata: metadata + header.metadata)
    }

    static func role(_ name: String, _ type: ArrowType, _ role: String, nullable: Bool = true) -> ArrowField {
        ArrowField(name: name, type: type, nullable: nullable, metadata: [("sluice.role", role)])
    }
}
