import Contracts
import Tabular
import Foundation

/// The statistics of a whole table as written to `summary.json` and `columns.csv`.
public struct TableSummary: Codable, Sendable, Equatable {
    /// Rows the statistics cover.
    public var rows: Int
    /// One summary per column, in header order.
    public var columns: [ColumnSummary]

    /// A table summary from its parts.
    public init(rows: Int, columns: [ColumnSummary]) {
        self.rows = rows
        self.columns = columns
    }

    /// The CSV header: one column per figure, in the order of `csvRow(for:)`.
    public static let csvHeader = [
        "name", "kind", "count", "nulls", "distinct", "distinct_method", "min", "max", "mean",
        "stddev", "p50", "p90", "p99", "percentile_method", "min_length", "max_length",
        "top_values", "top_values_method",
    ]

    /// The CSV rendering: a header line and one line per column, RFC 4180 quoting, `\n` line
    /// ends. Numbers print in Swift's shortest round-trip form; an absent figure is empty.
    /// `top_values` lists `value (count)` pairs separated by `; `.
    public var csv: String {
        var lines = [Self.csvHeader.map(Self.escape).joined(separator: ",")]
        for column in columns {
            lines.append(Self.csvRow(for: column).map(Self.escape).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The unescaped fields of one column's CSV line.
    public static func csvRow(for column: ColumnSummary) -> [String] {
        let numeric = column.numeric
        func text(_ number: Double?) -> String { number.map { "\($0)" } ?? "" }
        let top = column.topValues.map { "\($0.value.csvText) (\($0.count))" }.joined(separator: "; ")
        return [
            column.name, column.kind.rawValue, "\(column.count)", "\(column.nulls)",
            "\(column.distinct)", column.distinctMethod,
            text(numeric?.min), text(numeric?.max), text(numeric?.mean), text(numeric?.stddev),
            text(numeric?.p50), text(numeric?.p90), text(numeric?.p99),
            numeric?.percentileMethod ?? "",
            column.textLength.map { "\($0.min)" } ?? "", column.textLength.map { "\($0.max)" } ?? "",
            top, column.topValuesMethod,
        ]
    }

    /// RFC 4180 quoting, plus a formula guard: text a spreadsheet would evaluate (starting
    /// with `=`, `+`, `-`, `@`, tab or CR, and not a plain number) gets a leading `'`.
    public static func escape(_ field: String) -> String {
        var field = field
        if let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
            !NumericText.isPlainNumber(field.utf8)
        {
            field = "'" + field
        }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
