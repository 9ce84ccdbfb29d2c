import Contracts
import Tabular
/// The data sections of `PDFReport`: validation, column summary, aggregates and charts.
extension PDFReport {
    /// Row totals as tiles, the top error codes, and the first errors.
    func drawValidation(_ validation: ValidationSummary, on flow: PageFlow) {
        flow.heading("Validation", keepWith: 70)
        let rate = validation.successRate
        drawTiles([
            ("Rows total", ReportFormat.integer(validation.rowsTotal), nil, nil),
            ("Rows valid", ReportFormat.integer(validation.rowsValid), nil, .good),
            ("Rows invalid", ReportFormat.integer(validation.rowsInvalid), nil,
             validation.rowsInvalid > 0 ? .bad : .good),
            ("Success rate", ReportFormat.percent(rate),
             "\(ReportFormat.integer(validation.issueCount)) issues recorded",
             rate >= 0.99 ? .good : rate >= 0.9 ? .warn : .bad),
        ], on: flow)

        let codes = validation.errorCodes.prefix(options.maxErrorCodes)
        if !codes.isEmpty {
            let total = max(validation.issueCount, 1)
            flow.ensure(40)
            subheading("Top error codes", on: flow)
            ReportTable(
                columns: [.init("Code", weight: 3), .init("Count", weight: 1, align: .right),
                          .init("Share of issues", weight: 1, align: .right)],
                rows: codes.map {
                    [$0.code, ReportFormat.integer($0.count), ReportFormat.percent(Double($0.count) / Double(total))]
                }
            ).draw(in: flow)
            if validation.errorCodes.count > codes.count {
                flow.note("\(validation.errorCodes.count - codes.count) more codes not shown.")
            }
        }

        let errors = validation.errors.prefix(options.maxErrorsListed)
        if !errors.isEmpty {
            flow.ensure(40)
            subheading("First \(errors.count) errors", on: flow)
            ReportTable(
                columns: [.init("Row", weight: 0.7, align: .right), .init("Field", weight: 1.3),
                          .init("Code", weight: 1.6), .init("Value", weight: 1.4), .init("Message", weight: 4)],
                rows: errors.map {
                    [ReportFormat.integer($0.line), $0.field ?? "—", $0.code, $0.value ?? "—", $0.message]
                }
            ).draw(in: flow)
        }
    }

    /// One row per column: counts, distinct and the numeric figures.
    func drawColumns(_ columns: [ColumnSummary], on flow: PageFlow) {
        flow.heading("Column summary")
        func figure(_ value: Double?) -> String { value.map(ReportFormat.number) ?? "—" }
        let rows = columns.map { column -> [String] in
            let numeric = column.numeric
            let distinct = (column.distinctApproximate ? "≈" : "") + ReportFormat.integer(column.distinct)
            return [column.name, ReportFormat.integer(column.count), ReportFormat.integer(column.nulls), distinct,
                    figure(numeric?.min), figure(numeric?.max), figure(numeric?.mean),
                    figure(numeric?.p50), figure(numeric?.p90)]
        }
        let numberColumn = { (title: String) in ReportTable.Column(title, weight: 1, align: .right) }
        ReportTable(
            columns: [.init("Column", weight: 2.2), numberColumn("Count"), numberColumn("Nulls"),
                      numberColumn("Distinct"), numberColumn("Min"), numberColumn("Max"), numberColumn("Mean"),
                      numberColumn("P50"), numberColumn("P90")],
            rows: rows
        ).draw(in: flow)
        var methods: [String] = []
        if columns.contains(where: \.distinctApproximate) {
            methods.append("≈ distinct counts are \(HyperLogLog.methodName) estimates")
        }
        let digests = Set(columns.compactMap(\.numeric?.percentileMethod)).subtracting([StatisticsLimits.exactMethodName])
        if !digests.isEmpty {
            methods.append("some percentiles are \(digests.sorted().joined(separator: ", ")) estimates")
        }
        flow.note("Percentiles interpolate linearly between closest ranks. "
                  + (methods.isEmpty ? "All figures are exact." : methods.joined(separator: "; ") + "."))
    }

    /// A grouped KPI table, capped at `maxAggregateRows` rows.
    func drawAggregate(_ table: AggregateTable, on flow: PageFlow) {
        flow.heading("Aggregates: \(table.title)")
        let groupColumns = table.groupBy.count
        let rows = table.cells.prefix(options.maxAggregateRows).map { cells in
            cells.enumerated().map { index, cell -> String in
                let function = index >= groupColumns && index - groupColumns < table.functions.count
                    ? table.functions[index - groupColumns] : nil
                if function == .rate, let share = cell.doubleValue { return ReportFormat.percent(share) }
                return ReportFormat.cell(cell)
            }
        }
        let columns = table.groupBy.map { ReportTable.Column($0, weight: 1.5) }
            + table.metrics.map { ReportTable.Column($0, weight: 1, align: .right) }
        ReportTable(columns: columns, rows: Array(rows)).draw(in: flow)
        var notes: [String] = []
        if table.rows.count > rows.count {
            notes.append("\(ReportFormat.integer(table.rows.count - rows.count)) more groups in the XLSX and CSV outputs.")
        }
        if table.truncated {
            notes.append("Group limit reached: \(ReportFormat.integer(table.rowsNotAggregated)) rows not aggregated.")
        }
        if !notes.isEmpty { flow.note(notes.joined(separator: " ")) }
    }

    /// Charts two per row.
    func drawCharts(_ charts: [Chart], on flow: PageFlow) {
        flow.heading("Charts", keepWith: 180)
        let renderer = ChartRenderer(canvas: flow.canvas)
        let gap = 10.0, height = 175.0
        let width = (flow.width - gap) / 2
        for start in stride(from: 0, to: charts.count, by: 2) {
            flow.ensure(height + gap)
            for (offset, chart) in charts[start..<min(start + 2, charts.count)].enumerated() {
                renderer.draw(chart, x: flow.left + Double(offset) * (width + gap), y: flow.y, width: width, height: height)
            }
            flow.y += height + gap
        }
    }

    /// A bold sub-heading inside a section.
    private func subheading(_ text: String, on flow: PageFlow) {
        flow.canvas.font(size: 9.5, bold: true)
        flow.canvas.text(text, x: flow.left, y: flow.y + 11, width: flow.width)
        flow.y += 16
    }
}
