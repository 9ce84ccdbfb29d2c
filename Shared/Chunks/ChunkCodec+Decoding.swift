import Columnar
import Contracts
import Tabular

/// Reading a chunk back into records.
extension ChunkCodec {
    /// A decoded chunk.
    public struct Decoded: Sendable {
        public var header: Header
        public var records: [Record]
        /// The data columns left as they are (by index among the data columns, extras
        /// included): their cells in `records` are null placeholders.
        public var undecoded: [Int: ArrowArray] = [:]
        /// Every data column as it came, to carry on (``ArrowArray/take(_:)``), when asked
        /// for (`keepingColumns`); empty for a chunk of ragged rows, whose records do not line
        /// up with the columns.
        public var columns: [ArrowArray] = []
    }

    /// Decodes chunk bytes; a stream that is not a Sluice chunk is an `ArrowFormatError`.
    public static func decode(_ bytes: [UInt8]) throws(ArrowFormatError) -> Decoded {
        try decode(ArrowStream.decodeTable(bytes))
    }

    /// Decodes a chunk's Arrow table.
    ///
    /// Data columns listed in `leaving` (by index among the data columns) are not decoded
    /// when they can be carried as they are (``ArrowArray/take(_:)``): their cells are null
    /// placeholders and the arrays come back in `undecoded`, for a stage that passes those
    /// columns on unchanged. A chunk of ragged rows (`_width`) is always decoded whole.
    /// `keepingColumns` keeps the chunk's arrays in `columns` (else they go as soon as decoded:
    /// a reader that holds decoded chunks a while should not hold their bytes too).
    public static func decode(_ table: ArrowTable, leaving: Set<Int> = [],
                              keepingColumns: Bool = false) throws(ArrowFormatError) -> Decoded {
        let parts = try Parts(table)
        let (data, columns, lines, widths, keys, dedupe) = (parts.data, parts.columns, parts.lines, parts.widths,
                                                            parts.keys, parts.dedupe)
        let hasKeys = table.metadata.contains { $0.key == "sluice.keys" }
        let rows = table.rowCount
        // Cells are moved from their columns into the rows (a copy would retain every text
        // here and release it again when the columns go: a tenth of a stage's decoding).
        var undecoded: [Int: ArrowArray] = [:]
        if widths == nil {
            for index in leaving where index < data.count && data[index].isTakeable { undecoded[index] = data[index] }
        }
        var cells = data.indices.map { undecoded[$0] == nil ? CellColumn.cells(data[$0]) : [] }
        let lineValues = CellColumn.cells(lines)
        let widthValues = widths.map(CellColumn.cells)
        var keyValues = keys.map(CellColumn.cells)
        var dedupeValues = dedupe.map(CellColumn.cells)
        var records: [Record] = []
        records.reserveCapacity(rows)
        for row in 0..<rows {
            var width = columns.count
            if let widthValues, case .integer(let count) = widthValues[row] { width = min(data.count, max(0, Int(count))) }
            var values: [CellValue] = []
            values.reserveCapacity(width)
            for column in 0..<width { values.append(cells[column].isEmpty ? .null : Self.take(&cells[column][row])) }
            guard case .integer(let line) = lineValues[row] else { throw .malformed("a record has no line number") }
            var recordKeys: [String?]?
            if hasKeys {
                recordKeys = []
                for key in keyValues.indices { recordKeys!.append(Self.text(Self.take(&keyValues[key][row]))) }
            }
            let fingerprint = dedupeValues == nil ? nil : Self.text(Self.take(&dedupeValues![row]))
            records.append(Record(line: Int(line), values: values, keys: recordKeys, dedupe: fingerprint))
        }
        return Decoded(header: parts.header, records: records, undecoded: undecoded,
                       columns: keepingColumns && widths == nil ? data : [])
    }

    /// A chunk's columns sorted by role, checked.
    struct Parts {
        var data: [ArrowArray] = [], keys: [ArrowArray] = [], columns: [String] = []
        var lines: ArrowArray, widths: ArrowArray?, dedupe: ArrowArray?
        var header: Header

        init(_ table: ArrowTable) throws(ArrowFormatError) {
            guard table.metadata.first(where: { $0.key == "sluice.chunk.version" })?.value == version else {
                throw .unsupported("not a Sluice chunk of format version \(version) (schema metadata sluice.chunk.version)")
            }
            var lines: ArrowArray?
            for (field, array) in zip(table.fields, table.columns) {
                switch field.metadata.first(where: { $0.key == "sluice.role" })?.value {
                case nil: data.append(array); columns.append(field.name)
                case "extra": data.append(array)
                case "line": lines = array
                case "key": keys.append(array)
                case "dedupe": dedupe = array
                case "width": widths = array
                case let other?: throw .unsupported("a column with the role '\(other)'")
                }
            }
            guard let lines, lines.type == .int64 else { throw .malformed("a chunk needs its int64 _line column") }
            if let widths, widths.type != .int64 { throw .malformed("the _width column must be int64") }
            guard (keys + [dedupe].compactMap { $0 }).allSatisfy({ $0.type == .utf8 }) else {
                throw .malformed("key and dedupe columns must be utf8")
            }
            self.lines = lines
            let own: Set<String> = ["sluice.chunk.version", "sluice.keys"]
            header = Header(columns: columns, metadata: table.metadata.filter { !own.contains($0.key) })
        }
    }

    /// The cell, leaving `.null` in its place.
    @inline(__always)
    private static func take(_ cell: inout CellValue) -> CellValue {
        var taken = CellValue.null
        swap(&taken, &cell)
        return taken
    }

    @inline(__always)
    private static func text(_ cell: CellValue) -> String? {
        if case .string(let text) = cell { return text }
        return nil
    }
}
