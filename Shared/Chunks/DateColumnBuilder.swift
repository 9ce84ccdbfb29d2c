import CivilTime
import Columnar
import Tabular

/// Builds a `date32` column from cells holding ISO dates (`YYYY-MM-DD`) or nulls: how
/// validate stores a Table Schema `date` field, typed (4 bytes a value) rather than as text.
///
/// A `date32` column reads back as the same ISO texts (``ChunkCodec``), so stages after
/// validate see the cells they always saw; Arrow readers see dates.
public struct DateColumnBuilder: Sendable {
    private var builder: ArrowBuilder

    /// An empty column with room for `capacity` values.
    public init(capacity: Int = 0) {
        builder = ArrowBuilder(.date32, capacity: capacity)
    }

    /// Appends `cell`; false (and nothing appended) when it is neither null nor exactly an
    /// ISO date that reads back as the same text: the caller then encodes the column as cells.
    public mutating func append(_ cell: CellValue) -> Bool {
        switch cell {
        case .null:
            builder.appendNull()
            return true
        case .string(let text):
            guard text.utf8.count == 10, let date = CivilDate(iso: text) else { return false }
            builder.append(days: Int32(date.daysSinceEpoch))
            return true
        default:
            return false
        }
    }

    /// The column; the builder is spent.
    public func finish() -> ArrowArray {
        builder.finish()
    }
}
