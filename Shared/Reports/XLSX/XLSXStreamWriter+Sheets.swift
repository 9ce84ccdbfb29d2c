import Contracts
import Tabular

/// Complete extra sheets: column statistics, validation results, group aggregates, or any
/// small table.
///
/// Each call builds a whole sheet at once. It can come at any point before `close()`, also
/// between `appendRow` calls: while a data sheet is being streamed, the extra sheet's XML
/// waits in memory and is written when the data sheet ends. Sheets appear in the workbook
/// in the order they were added.
extension XLSXStreamWriter {
    /// Adds a sheet with a bold header row and `rows` below it (at most
    /// `maxRowsPerSheet` rows in all). Does not change the sheet `appendRow` writes to.
    ///
    /// - Throws: `XLSXError.closed`, `.tooManyColumns`, or an I/O error.
    public func addSheet(named name: String, header: [String], rows: [[CellValue]]) throws(XLSXError) {
        let kept = rows.prefix(options.maxRowsPerSheet - (header.isEmpty ? 0 : 1))
        for cells in kept { try checkColumns(cells.count) }
        try addCompleteSheet(named: name, header: header) { sheet, first in
            kept.enumerated().reduce(0) { $0 + sheet.appendRow($1.element, number: first + $1.offset) }
        }
    }

    /// Adds the column statistics as a sheet: one row per column with the same fields as
    /// `TableSummary.csv`, numbers as numbers.
    public func addSummarySheet(_ summary: TableSummary, named name: String = "Summary") throws(XLSXError) {
        let rows = summary.columns.map { column -> [CellValue] in
            let numeric = column.numeric
            func number(_ value: Double?) -> CellValue { value.map { .number($0) } ?? .null }
            func integer(_ value: Int?) -> CellValue { value.map { .integer(Int64($0)) } ?? .null }
            let top = column.topValues.map { "\($0.value.csvText) (\($0.count))" }.joined(separator: "; ")
            return [
                .string(column.name), .string(column.kind.rawValue), integer(column.count),
                integer(column.nulls), integer(column.distinct), .string(column.distinctMethod),
                number(numeric?.min), number(numeric?.max), number(numeric?.mean), number(numeric?.stddev),
                number(numeric?.p50), number(numeric?.p90), number(numeric?.p99),
                numeric.map { .string($0.percentileMethod) } ?? .null,
                integer(column.textLength?.min), integer(column.textLength?.max),
                top.isEmpty ? .null : .string(top), .string(column.topValuesMethod),
            ]
        }
        try addSheet(named: name, header: TableSummary.csvHeader, rows: rows)
    }

    /// Adds the validation results as a sheet: row totals and success rate, the issue count
    /// per code, then the kept issues (line, field, code, message, value), each block under
    /// a bold heading row and separated by a blank row.
    public func addValidationSheet(_ validation: ValidationSummary, named name: String = "Validation") throws(XLSXError) {
        var lines: [(cells: [CellValue], bold: Bool)] = [
            (["Rows total", .integer(Int64(validation.rowsTotal))], false),
            (["Rows valid", .integer(Int64(validation.rowsValid))], false),
            (["Rows invalid", .integer(Int64(validation.rowsInvalid))], false),
            (["Success rate", .number(validation.successRate)], false),
            ([], false),
            (["Error code", "Count"], true),
        ]
        lines += validation.errorCodes.map { ([.string($0.code), .integer(Int64($0.count))], false) }
        lines.append(([], false))
        lines.append((["Line", "Field", "Code", "Message", "Value"], true))
        lines += validation.errors.map { issue in
            ([.integer(Int64(issue.line)), issue.field.map { .string($0) } ?? .null, .string(issue.code),
              .string(issue.message), issue.value.map { .string($0) } ?? .null], false)
        }
        try addCompleteSheet(named: name, header: ["Measure", "Value"]) { sheet, first in
            var truncated = 0
            for (offset, line) in lines.prefix(options.maxRowsPerSheet - 1).enumerated() {
                truncated += line.bold
                    ? sheet.appendTextRow(line.cells.map(\.csvText), number: first + offset, bold: true)
                    : sheet.appendRow(line.cells, number: first + offset)
            }
            return truncated
        }
    }

    /// Adds a grouped KPI table as a sheet named after its title (made unique if needed).
    public func addAggregateSheet(_ table: AggregateTable, named name: String? = nil) throws(XLSXError) {
        try addSheet(named: name ?? table.title, header: table.header, rows: table.cells)
    }
}
