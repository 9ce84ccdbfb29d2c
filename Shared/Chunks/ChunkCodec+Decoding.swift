import Columnar
import Contracts
import Tabular

/// Reading a chunk back into records.
extension ChunkCodec {
    /// A decoded chunk.
    public struct Decoded: Sendable {
        public var header: Header
        public var records: [Record]
    }

    /// Decodes chunk bytes; a stream that is not a Sluice chunk is an `ArrowFormatError`.
    public static func decode(_ bytes: [UInt8]) throws(ArrowFormatError) -> Decoded {
        try decode(ArrowStream.decodeTable(bytes))
    }

    /// Decodes a chunk's Arrow table.
    public static func decode(_ table: ArrowTable) throws(ArrowFormatError) -> Decoded {
        guard table.metadata.first(where: { $0.key == "sluice.chunk.version" })?.value == version else {
            throw .unsupported("not a Sluice chunk of format version \(version) (schema metadata sluice.chunk.version)")
        }
        var lines: ArrowArray?, widths: ArrowArray?, dedupe: ArrowArray?
        var data: [ArrowArray] = [], keys: [ArrowArray] = [], columns: [String] = []
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
        let hasKeys = table.metadata.contains { $0.key == "sluice.keys" }
        var records: [Record] = []
        records.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            var width = data.count
            if let widths { width = min(data.count, max(0, Int(widths.int64(row)))) } else { width = columns.count }
            var values: [CellValue] = []
            values.reserveCapacity(width)
            for column in 0..<width { values.append(CellColumn.cell(data[column], row)) }
            records.append(Record(
                line: Int(lines.int64(row)), values: values,
                keys: hasKeys ? keys.map { $0.isNull(row) ? nil : $0.string(row) } : nil,
                dedupe: dedupe.flatMap { $0.isNull(row) ? nil : $0.string(row) }))
        }
        let own: Set<String> = ["sluice.chunk.version", "sluice.keys"]
        return Decoded(header: Header(columns: columns, metadata: table.metadata.filter { !own.contains($0.key) }),
                       records: records)
    }
}
