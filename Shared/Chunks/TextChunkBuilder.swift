import Columnar
import Contracts

/// Builds a chunk of text cells straight into Arrow columns, row by row: what ingest makes of
/// every source, whose cells are all texts or nulls.
///
/// The chunk is the one ``ChunkCodec/encode(_:header:)`` makes of the same rows as records of
/// `.string` and `.null` cells, byte for byte (a test holds the two together), without a
/// record, a cell value or a census per row: a column is utf8, or null when no row has a
/// value in it; rows wider or narrower than the header add `_extra.N` columns and `_width`.
public struct TextChunkBuilder: Sendable {
    private var lines: ArrowBuilder
    private var columns: [ArrowBuilder]
    private var widths: [Int64] = []
    private let headerWidth: Int
    private let capacity: Int
    /// Whether a row so far had another width than the header.
    private var ragged = false
    /// The next cell's column in the row being built.
    private var cellIndex = 0

    /// The rows appended so far.
    public private(set) var count = 0

    /// A builder for rows under a header of `headerWidth` columns, with room for about
    /// `capacity` rows (less per column for a wide header: at most about 8 MiB is set aside).
    public init(headerWidth: Int, capacity: Int = 0) {
        self.headerWidth = headerWidth
        // A text cell takes about 20 bytes of reserved room (offset, validity, a guess at its text).
        self.capacity = min(capacity, max(64, (8 << 20) / (20 * max(1, headerWidth))))
        lines = ArrowBuilder(.int64, capacity: capacity)
        columns = (0..<headerWidth).map { [capacity = self.capacity] _ in ArrowBuilder(.utf8, capacity: capacity) }
        widths.reserveCapacity(capacity)
    }

    /// Appends the next cell of the row being built, `nil` for a null.
    ///
    /// Cell by cell rather than a row at a time: a generic row parameter would not be
    /// specialized across modules, and an array per row is what this type exists to avoid.
    public mutating func append(_ cell: String?) {
        if cellIndex == columns.count {  // a wider row: a new column, null in the rows before
            var column = ArrowBuilder(.utf8, capacity: capacity)
            for _ in 0..<count { column.appendNull() }
            columns.append(column)
        }
        if let cell { columns[cellIndex].append(cell) } else { columns[cellIndex].appendNull() }
        cellIndex += 1
    }

    /// Ends the row whose cells were appended, read from source line `line`.
    public mutating func endRow(line: Int) {
        let width = cellIndex
        while cellIndex < columns.count {
            columns[cellIndex].appendNull()
            cellIndex += 1
        }
        cellIndex = 0
        lines.append(Int64(line))
        widths.append(Int64(width))
        if width != headerWidth { ragged = true }
        count += 1
    }

    /// Appends one row: its source line and its cells.
    public mutating func append(line: Int, cells: [String?]) {
        for cell in cells { append(cell) }
        endRow(line: line)
    }

    /// The Arrow table under `header` (whose columns number `headerWidth`).
    public func table(header: ChunkCodec.Header) -> ArrowTable {
        precondition(header.columns.count == headerWidth, "the header the builder was made for")
        var fields: [ArrowField] = [ChunkCodec.role("_line", .int64, "line", nullable: false)]
        var arrays: [ArrowArray] = [lines.finish()]
        for (index, column) in columns.enumerated() {
            let array = column.nullCount == column.count
                ? ArrowArray(type: .null, length: column.count, nullCount: column.count, buffers: [])
                : column.finish()
            if index < headerWidth {
                fields.append(ArrowField(name: header.columns[index], type: array.type))
            } else {
                fields.append(ChunkCodec.role("_extra.\(index - headerWidth + 1)", array.type, "extra"))
            }
            arrays.append(array)
        }
        if ragged {
            var builder = ArrowBuilder(.int64, capacity: widths.count)
            for width in widths { builder.append(width) }
            fields.append(ChunkCodec.role("_width", .int64, "width", nullable: false))
            arrays.append(builder.finish())
        }
        return ArrowTable(fields: fields, columns: arrays,
                          metadata: [("sluice.chunk.version", ChunkCodec.version)] + header.metadata)
    }

    /// The chunk bytes under `header`.
    public func encode(header: ChunkCodec.Header) -> [UInt8] {
        ArrowStream.encode(table(header: header))
    }
}
