import Contracts
import Tabular
import CCairo

/// A job report as a PDF document: A4 portrait, as many pages as the content needs.
///
/// Sections, in order, each starting on the current page when it fits:
/// 1. the title and the job's metadata (id, name, status, times, tags);
/// 2. KPI tiles;
/// 3. validation: row totals and success rate as tiles, the most common error codes, and
///    the first errors (row, field, code, value, message);
/// 4. the column summary table (name, count, nulls, distinct, min, max, mean, p50, p90);
/// 5. one table per group aggregate;
/// 6. charts: a histogram per numeric column and top-value bars per text column, two per
///    row, within the caps of `PDFReportOptions`.
///
/// Drawing uses cairo's PDF surface writing through a stream callback into memory, so
/// `render()` returns the document's bytes and touches no file. Each section also gets a
/// PDF outline entry (bookmark).
public struct PDFReport: Sendable {
    /// What the report shows.
    public var content: ReportContent
    /// Caps and font.
    public var options: PDFReportOptions

    /// A report of `content`.
    public init(_ content: ReportContent, options: PDFReportOptions = PDFReportOptions()) {
        self.content = content
        self.options = options
    }

    /// Draws the report and returns the PDF file's bytes.
    ///
    /// - Throws: `ReportError.surfaceFailed` if cairo cannot create the PDF surface,
    ///   `.renderFailed` if drawing fails, `.outputTooLarge` past `maxOutputBytes`.
    public func render() throws(ReportError) -> [UInt8] {
        let sink = ByteSink(limit: options.maxOutputBytes)
        try draw(into: sink)
        return sink.bytes
    }

    /// Creates the surface on `sink`, draws every section, and finishes the document.
    /// `sink` stays alive for the whole call because the caller holds it.
    private func draw(into sink: ByteSink) throws(ReportError) {
        guard let surface = cairo_pdf_surface_create_for_stream(
            ByteSink.writeFunction, sink.closure, PageFlow.pageWidth, PageFlow.pageHeight)
        else { throw .surfaceFailed(status: Int32(CAIRO_STATUS_NO_MEMORY.rawValue)) }
        defer { cairo_surface_destroy(surface) }
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else { throw .surfaceFailed(status: Int32(surfaceStatus.rawValue)) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, ReportFormat.singleLine(content.title))
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Sluice")

        guard let context = cairo_create(surface) else { throw .renderFailed(status: Int32(CAIRO_STATUS_NO_MEMORY.rawValue)) }
        defer { cairo_destroy(context) }
        let canvas = CairoCanvas(context: context, fontFamily: options.fontFamily)
        let flow = PageFlow(canvas: canvas, footer: "Sluice · \(content.title)", surface: surface)
        drawSections(on: flow)

        let drawStatus = cairo_status(context)
        guard drawStatus == CAIRO_STATUS_SUCCESS else { throw .renderFailed(status: Int32(drawStatus.rawValue)) }
        cairo_surface_finish(surface)
        if sink.overflowed { throw .outputTooLarge(limit: sink.limit) }
        let finishStatus = cairo_surface_status(surface)
        guard finishStatus == CAIRO_STATUS_SUCCESS else { throw .renderFailed(status: Int32(finishStatus.rawValue)) }
    }

    /// Every section in order.
    private func drawSections(on flow: PageFlow) {
        drawTitle(on: flow)
        if !content.kpis.isEmpty {
            flow.heading("Key figures", keepWith: 60)
            drawTiles(content.kpis.map { ($0.label, $0.value, $0.detail, nil) }, on: flow)
        }
        if let validation = content.validation { drawValidation(validation, on: flow) }
        if !content.columns.isEmpty { drawColumns(content.columns, on: flow) }
        for table in content.aggregates { drawAggregate(table, on: flow) }
        let charts = Chart.charts(for: content.columns, maxHistograms: options.maxHistograms,
                                  maxBarCharts: options.maxBarCharts, barsPerChart: options.barsPerChart)
        if !charts.isEmpty { drawCharts(charts, on: flow) }
    }

    /// The title, subtitle and a two-column grid of job metadata.
    private func drawTitle(on flow: PageFlow) {
        let canvas = flow.canvas
        canvas.font(size: 20, bold: true)
        canvas.text(content.title, x: flow.left, y: flow.y + 20, width: flow.width)
        flow.bookmark(content.title)
        flow.y += 28
        if let subtitle = content.subtitle {
            canvas.font(size: 10.5)
            canvas.text(subtitle, x: flow.left, y: flow.y + 10, width: flow.width, color: .muted)
            flow.y += 16
        }
        flow.y += 4
        let fields = content.job.fields
        let columnWidth = flow.width / 2
        let lineHeight = 13.0
        for (index, field) in fields.enumerated() {
            // Tags can be long: they get a full-width line of their own.
            let fullWidth = field.label == "Tags"
            let column = fullWidth ? 0 : index % 2
            if column == 0 || fullWidth, index > 0 { flow.y += lineHeight }
            let x = flow.left + Double(column) * columnWidth
            canvas.font(size: 8, bold: true)
            canvas.text(field.label, x: x, y: flow.y + 9, width: 62, color: .muted)
            canvas.font(size: 8.5)
            canvas.text(field.value, x: x + 64, y: flow.y + 9, width: (fullWidth ? flow.width : columnWidth) - 70)
            if fullWidth, index + 1 < fields.count { flow.y += lineHeight }
        }
        flow.y += lineHeight + 8
        canvas.line(from: (flow.left, flow.y), to: (flow.left + flow.width, flow.y), .rule)
        flow.y += 4
    }

    /// Rows of up to four tiles: a big value, a label, and an optional detail line.
    func drawTiles(_ tiles: [(label: String, value: String, detail: String?, color: CairoCanvas.Color?)], on flow: PageFlow) {
        let canvas = flow.canvas
        let perRow = 4, gap = 8.0, height = 54.0
        let tileWidth = (flow.width - gap * Double(perRow - 1)) / Double(perRow)
        for start in stride(from: 0, to: tiles.count, by: perRow) {
            flow.ensure(height + gap)
            for (offset, tile) in tiles[start..<min(start + perRow, tiles.count)].enumerated() {
                let x = flow.left + Double(offset) * (tileWidth + gap)
                canvas.fill(x: x, y: flow.y, width: tileWidth, height: height, .fill)
                canvas.fill(x: x, y: flow.y, width: 3, height: height, tile.color ?? .accent)
                // Shrink long values (down to 9 pt) before resorting to "…".
                var size = 16.0
                canvas.font(size: size, bold: true)
                while size > 9, canvas.width(of: tile.value) > tileWidth - 16 {
                    size -= 1
                    canvas.font(size: size, bold: true)
                }
                canvas.text(tile.value, x: x + 10, y: flow.y + 22, width: tileWidth - 16, color: tile.color ?? .text)
                canvas.font(size: 7.5)
                canvas.text(tile.label, x: x + 10, y: flow.y + 35, width: tileWidth - 16)
                if let detail = tile.detail {
                    canvas.font(size: 6.5)
                    canvas.text(detail, x: x + 10, y: flow.y + 46, width: tileWidth - 16, color: .muted)
                }
            }
            flow.y += height + gap
        }
    }
}
