import Contracts
import Tabular
/// The result of one `AggregateSpec`: one row per group, sorted by group key.
///
/// JSON form (rows as arrays, so column order is kept and no key is repeated per row):
///
/// ```json
/// {"title": "by course", "groupBy": ["course"], "metrics": ["avg_grade", "students"],
///  "functions": ["mean", "count"], "rows": [{"group": ["Math"], "values": [81.5, 12]}],
///  "truncated": false, "rowsNotAggregated": 0}
/// ```
public struct AggregateTable: Codable, Sendable, Equatable {
    /// One group and its metric values.
    public struct Row: Codable, Sendable, Equatable {
        /// The group-by values, in `groupBy` order (`.null` for a missing value).
        public var group: [CellValue]
        /// The metric values, in `metrics` order (`.null` when a group had nothing to
        /// aggregate, such as a mean over only null cells).
        public var values: [CellValue]

        /// A row from its parts.
        public init(group: [CellValue], values: [CellValue]) {
            self.group = group
            self.values = values
        }
    }

    /// The spec's display title.
    public var title: String
    /// The group-by column names.
    public var groupBy: [String]
    /// The metric names.
    public var metrics: [String]
    /// The metric functions, parallel to `metrics`; lets renderers show `rate` as a
    /// percentage.
    public var functions: [AggregateFunction]
    /// One row per group, sorted by group key.
    public var rows: [Row]
    /// Whether the group limit was reached, so some rows are missing from `rows`.
    public var truncated: Bool
    /// Rows that belonged to groups beyond the limit.
    public var rowsNotAggregated: Int

    /// A table from its parts.
    public init(
        title: String, groupBy: [String], metrics: [String], functions: [AggregateFunction] = [],
        rows: [Row], truncated: Bool = false, rowsNotAggregated: Int = 0
    ) {
        self.title = title
        self.groupBy = groupBy
        self.metrics = metrics
        self.functions = functions
        self.rows = rows
        self.truncated = truncated
        self.rowsNotAggregated = rowsNotAggregated
    }

    /// Group-by names followed by metric names: the header of every tabular rendering.
    public var header: [String] { groupBy + metrics }

    /// Each row's group values followed by its metric values, matching `header`.
    public var cells: [[CellValue]] { rows.map { $0.group + $0.values } }

    /// The CSV rendering: header and rows, RFC 4180 quoting with the same formula guard as
    /// `TableSummary.csv`, `\n` line ends.
    public var csv: String {
        var lines = [header.map(TableSummary.escape).joined(separator: ",")]
        for row in cells {
            lines.append(row.map { TableSummary.escape($0.csvText) }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The value of metric `name` in the row whose group equals `group`, if both exist; a
    /// convenience for tests and for picking KPI tiles out of a table.
    public func value(of name: String, group: [CellValue]) -> CellValue? {
        guard let column = metrics.firstIndex(of: name),
            let row = rows.first(where: { $0.group == group })
        else { return nil }
        return row.values[column]
    }
}
