import Contracts
import Tabular
/// `ColumnStatistics` for every column of a table, fed whole rows.
///
/// A convenience over one `ColumnStatistics` per column: the publish stage creates it from
/// the output header, calls `add(row:)` per record, merges chunk results with `merge(_:)`,
/// and writes `summary` into the job summary JSON, the CSV summary, the XLSX "Summary" sheet
/// and the PDF report.
public struct TableStatistics: Codable, Sendable, Equatable {
    /// Rows added (including merged chunks).
    public private(set) var rowCount = 0
    /// One entry per column, in header order.
    public private(set) var columns: [ColumnStatistics]

    /// Empty statistics for a table with these column names.
    public init(columnNames: [String], limits: StatisticsLimits = .default) {
        columns = columnNames.map { ColumnStatistics(name: $0, limits: limits) }
    }

    /// Folds in one row. A short row counts its missing cells as null; cells beyond the
    /// header are ignored (the validate stage reports such rows).
    public mutating func add(row: [CellValue]) {
        rowCount += 1
        let shared = Swift.min(row.count, columns.count)
        for index in 0..<shared { columns[index].add(row[index]) }
        if shared < columns.count {
            for index in shared..<columns.count { columns[index].add(.null) }
        }
    }

    /// Adds a chunk of records' values, column by column: each column's counting tables stay
    /// in cache for the whole chunk instead of taking turns with every other column's per row
    /// (a column's statistics see its values in the same order either way).
    public mutating func add(records: [Record]) {
        rowCount += records.count
        for index in columns.indices {
            for record in records {
                let values = record.values
                columns[index].add(index < values.count ? values[index] : .null)
            }
        }
    }

    /// Combines another chunk's statistics, column by column in header order.
    ///
    /// Columns present only in `other` (a wider header) are appended; a narrower `other`
    /// leaves the remaining columns as they are.
    public mutating func merge(_ other: TableStatistics) {
        rowCount += other.rowCount
        for (index, column) in other.columns.enumerated() {
            if index < columns.count {
                columns[index].merge(column)
            } else {
                columns.append(column)
            }
        }
    }

    /// The summaries of all columns, in header order.
    public var summary: TableSummary {
        TableSummary(rows: rowCount, columns: columns.map(\.summary))
    }
}
