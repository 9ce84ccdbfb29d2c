import Contracts
import Tabular
import CCairo

/// The vertical cursor of a multi-page A4 document: how much room is left on the page,
/// when to break to a new one, and the footer every page gets.
///
/// Content is placed top to bottom. Before drawing a block, a section asks `ensure(_:)`
/// for its height; if the block does not fit, the page is emitted (`cairo_show_page`) and
/// the cursor moves to the top of a fresh page. Blocks taller than a page (long tables)
/// ask row by row instead.
final class PageFlow {
    /// A4 portrait in PostScript points (1/72 inch): 210 × 297 mm.
    static let pageWidth = 595.276
    /// A4 height in points.
    static let pageHeight = 841.890
    /// The margin on every side, 15 mm.
    static let margin = 42.52

    /// The canvas drawn on.
    let canvas: CairoCanvas
    /// The left part of every footer (the report title).
    let footer: String
    /// The 1-based number of the page being drawn.
    private(set) var page = 1
    /// The y coordinate where the next block starts.
    var y = PageFlow.margin
    /// The PDF surface that receives outline entries, or `nil` for other surfaces.
    private let surface: OpaquePointer?

    /// A flow on `canvas`, drawing the footer of page 1 at once. `surface` (a PDF surface)
    /// receives outline entries from `bookmark(_:)`; pass `nil` for other surfaces.
    init(canvas: CairoCanvas, footer: String, surface: OpaquePointer?) {
        self.canvas = canvas
        self.footer = footer
        self.surface = surface
        drawFooter()
    }

    /// The left edge of the content area.
    var left: Double { Self.margin }
    /// The width of the content area.
    var width: Double { Self.pageWidth - 2 * Self.margin }
    /// The lowest y content may reach; the footer lives below it.
    var bottom: Double { Self.pageHeight - Self.margin - 14 }
    /// The room left on this page.
    var remaining: Double { bottom - y }

    /// Starts a new page unless `height` fits below the cursor; returns whether it broke.
    @discardableResult
    func ensure(_ height: Double) -> Bool {
        guard y + height > bottom, y > Self.margin else { return false }
        newPage()
        return true
    }

    /// Emits the current page and starts the next one.
    func newPage() {
        cairo_show_page(canvas.context)
        page += 1
        y = Self.margin
        drawFooter()
    }

    /// A section heading with a rule, kept on the same page as at least `keepWith` points
    /// of what follows, and an outline entry pointing at it.
    func heading(_ title: String, keepWith: Double = 60) {
        if y > Self.margin { y += 10 }
        ensure(26 + keepWith)
        canvas.font(size: 13, bold: true)
        canvas.text(title, x: left, y: y + 13, width: width, color: .text)
        canvas.line(from: (left, y + 18), to: (left + width, y + 18), .accent, width: 1)
        bookmark(title)
        y += 26
    }

    /// Small grey text on its own line, e.g. a table's footnote.
    func note(_ text: String) {
        ensure(12)
        canvas.font(size: 7)
        canvas.text(text, x: left, y: y + 8, width: width, color: .muted)
        y += 12
    }

    /// Adds a top-level entry to the PDF outline (the viewer's bookmarks) at the cursor.
    func bookmark(_ title: String) {
        guard let surface else { return }
        let target = "page=\(page) pos=[\(Int(left)) \(Int(y))]"
        cairo_pdf_surface_add_outline(surface, 0, ReportFormat.singleLine(title), target,
                                      cairo_pdf_outline_flags_t(rawValue: 0))
    }

    /// "title" on the left and "Page n" on the right, under a thin rule.
    private func drawFooter() {
        let baseline = Self.pageHeight - Self.margin + 4
        canvas.line(from: (left, baseline - 10), to: (left + width, baseline - 10), .rule)
        canvas.font(size: 7)
        canvas.text("Page \(page)", x: left + width - 60, y: baseline, width: 60, align: .right, color: .muted)
        canvas.text(footer, x: left, y: baseline, width: width - 70, color: .muted)
    }
}
