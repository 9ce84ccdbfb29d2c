import Contracts
import Tabular
/// A table drawn across as many pages as it needs: a shaded header row, zebra-striped body
/// rows, cells shortened with "…" to their column's width, and the header repeated at the
/// top of every continuation page.
struct ReportTable {
    /// One column: its heading, its share of the width, and how its cells align.
    struct Column {
        var title: String
        var weight: Double
        var align: CairoCanvas.Alignment

        /// A column; numbers usually align right, text left.
        init(_ title: String, weight: Double = 1, align: CairoCanvas.Alignment = .left) {
            self.title = title
            self.weight = weight
            self.align = align
        }
    }

    /// The columns, left to right.
    var columns: [Column]
    /// The cell texts, one array per row, parallel to `columns` (missing cells are blank).
    var rows: [[String]]
    /// The font size of body cells; the header uses the same size in bold.
    var fontSize = 7.5

    /// The height of one row.
    private var rowHeight: Double { fontSize * 1.95 }

    /// Draws the table at the flow's cursor, breaking pages as needed, and leaves the cursor
    /// below it.
    func draw(in flow: PageFlow) {
        let canvas = flow.canvas
        let totalWeight = max(columns.reduce(0) { $0 + $1.weight }, 0.001)
        var edges: [Double] = [flow.left]
        for column in columns { edges.append(edges.last! + flow.width * column.weight / totalWeight) }

        flow.ensure(rowHeight * min(Double(rows.count) + 1, 4))
        drawHeader(in: flow, edges: edges)
        for (index, row) in rows.enumerated() {
            if flow.ensure(rowHeight) { drawHeader(in: flow, edges: edges) }
            if index % 2 == 1 {
                canvas.fill(x: flow.left, y: flow.y, width: flow.width, height: rowHeight, .fill)
            }
            canvas.font(size: fontSize)
            for (position, column) in columns.enumerated() {
                let text = position < row.count ? row[position] : ""
                canvas.text(text, x: edges[position] + 3, y: flow.y + rowHeight * 0.68,
                            width: edges[position + 1] - edges[position] - 6, align: column.align)
            }
            flow.y += rowHeight
        }
        canvas.line(from: (flow.left, flow.y), to: (flow.left + flow.width, flow.y), .rule)
        flow.y += 6
    }

    /// The shaded, bold header row.
    private func drawHeader(in flow: PageFlow, edges: [Double]) {
        let canvas = flow.canvas
        canvas.fill(x: flow.left, y: flow.y, width: flow.width, height: rowHeight, .accent)
        canvas.font(size: fontSize, bold: true)
        for (position, column) in columns.enumerated() {
            canvas.text(column.title, x: edges[position] + 3, y: flow.y + rowHeight * 0.68,
                        width: edges[position + 1] - edges[position] - 6, align: column.align, color: .white)
        }
        flow.y += rowHeight
    }
}
