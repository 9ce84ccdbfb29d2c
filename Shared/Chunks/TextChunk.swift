import Columnar
import Contracts

/// A chunk of text cells (what ingest writes, see ``TextChunkBuilder``) read back column by
/// column as texts, without a cell value or a record per row; the columns stay at hand to be
/// carried into the next chunk as they are (``ArrowArray/take(_:)``).
public struct TextChunk: Sendable {
    /// The data column names and the chunk's metadata.
    public let header: ChunkCodec.Header
    /// The data columns, extras (`_extra.N`) after the header's; each utf8 or null.
    public let arrays: [ArrowArray]
    /// Each row's source line.
    public let lines: [Int]
    /// Each row's number of cells when some row has another than the header's; else `nil`.
    public let widths: [Int]?

    /// The number of rows.
    public var count: Int { lines.count }

    /// Reads `table` as texts; `nil` when a data column holds typed cells (not utf8 or null),
    /// or the chunk carries key or dedupe columns (a later stage's chunk).
    public init?(_ table: ArrowTable) throws(ArrowFormatError) {
        let parts = try ChunkCodec.Parts(table)
        guard parts.keys.isEmpty, parts.dedupe == nil,
              parts.data.allSatisfy({ $0.type == .utf8 || $0.type == .null }) else { return nil }
        header = parts.header
        arrays = parts.data
        lines = Self.integers(parts.lines)
        widths = parts.widths.map(Self.integers)
    }

    /// Row `row`'s number of cells.
    @inline(__always)
    public func width(_ row: Int) -> Int {
        guard let widths else { return header.columns.count }
        return min(arrays.count, max(0, widths[row]))
    }

    /// Column `column`'s cells in row order, `nil` for a null.
    public func texts(_ column: Int) -> [String?] {
        let array = arrays[column]
        guard array.type == .utf8 else { return Array(repeating: nil, count: array.length) }
        return CellColumn.texts(array, null: nil) { $0 }
    }

    private static func integers(_ array: ArrowArray) -> [Int] {
        (0..<array.length).map { Int(array.int64($0)) }
    }
}
