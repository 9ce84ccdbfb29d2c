import Tabular
/// One grouped KPI table: which columns form the group, and which metrics to compute per
/// group.
///
/// JSON form, as it appears in a job definition:
///
/// ```json
/// {"groupBy": ["course"],
///  "metrics": [{"name": "avg_grade", "fn": "mean", "column": "grade"},
///              {"name": "students", "fn": "count"},
///              {"name": "completion", "fn": "rate", "column": "completed"}]}
/// ```
///
/// An empty `groupBy` computes the metrics over all rows as a single group. A `groupBy` entry
/// `tag:<key>` groups by the job's tag of that name (e.g. `tag:course`), so KPI tables of
/// many jobs carry their category or course.
public struct AggregateSpec: Codable, Sendable, Hashable {
    /// A heading for reports; defaults to "by course, term" style text when absent.
    public var title: String?
    /// The columns (or `tag:<key>` job tags) whose values form the group key, in order.
    public var groupBy: [String]
    /// The metrics computed per group, in output order.
    public var metrics: [MetricSpec]

    /// A spec from its parts.
    public init(title: String? = nil, groupBy: [String], metrics: [MetricSpec]) {
        self.title = title
        self.groupBy = groupBy
        self.metrics = metrics
    }

    /// The heading used when `title` is absent: `"by course"`, or `"all rows"`.
    public var displayTitle: String {
        if let title { return title }
        return groupBy.isEmpty ? "all rows" : "by " + groupBy.joined(separator: ", ")
    }
}

/// One metric of an `AggregateSpec`.
public struct MetricSpec: Codable, Sendable, Hashable {
    /// The output column name, unique within the spec (e.g. `avg_grade`).
    public var name: String
    /// The aggregate function.
    public var fn: AggregateFunction
    /// The input column; required for every function except `count`.
    public var column: String?
    /// For `rate` only: a row counts as a hit when its cell's text equals this value's text
    /// (so `"completed"` matches a status column, `1` matches `.integer(1)` and `"1"`).
    /// Without it, `rate` uses `AggregateFunction.isTruthy`.
    public var equals: CellValue?

    /// A metric from its parts.
    public init(name: String, fn: AggregateFunction, column: String? = nil, equals: CellValue? = nil) {
        self.name = name
        self.fn = fn
        self.column = column
        self.equals = equals
    }
}

/// The functions a metric can apply to a group's cells.
///
/// Numeric functions (`mean`, `sum`, `min`, `max`) use `.integer` and finite `.number` cells
/// and skip everything else, including nulls; a group without any numeric cell yields null.
public enum AggregateFunction: String, Codable, Sendable, Hashable, CaseIterable {
    /// The arithmetic mean of the numeric cells.
    case mean
    /// The sum of the numeric cells; an integer while every cell is an integer and the sum
    /// fits in 64 bits, a decimal otherwise.
    case sum
    /// Without a column: rows in the group. With a column: its non-null cells.
    case count
    /// The smallest numeric cell.
    case min
    /// The largest numeric cell.
    case max
    /// The share of the group's rows (nulls included, as misses) whose cell is a hit:
    /// `equals` when given, `isTruthy` otherwise. A decimal in [0, 1].
    case rate

    /// Whether a cell counts as "true" for `rate` without `equals`: `.bool(true)`, a
    /// non-zero number, or text `true`/`yes`/`y`/`t`/`1` in any letter case (CSV sources give
    /// text, because `CellValue.coerce` deliberately never infers booleans).
    public static func isTruthy(_ value: CellValue) -> Bool {
        switch value {
        case .null: return false
        case .bool(let flag): return flag
        case .integer(let number): return number != 0
        case .number(let number): return number != 0 && !number.isNaN
        case .string(let text):
            guard text.utf8.count <= 4 else { return false }
            switch text.lowercased() {
            case "true", "yes", "y", "t", "1": return true
            default: return false
            }
        }
    }

    /// Whether the function needs an input column.
    /// Whether the function reads a column (every one but `count`).
    public var needsColumn: Bool { self != .count }
}
