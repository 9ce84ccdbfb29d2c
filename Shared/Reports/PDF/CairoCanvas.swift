import Contracts
import Tabular
import CCairo

/// A thin drawing layer over a cairo context: colours, rectangles, lines and single-line
/// text with measuring and "…" truncation.
///
/// Text uses cairo's "toy" API with the DejaVu Sans family (falling back to whatever
/// fontconfig resolves for it, normally a sans-serif). The toy API takes UTF-8 and maps
/// characters to glyphs one to one, which covers Latin, Greek and Cyrillic text with
/// accents and symbols such as € — everything DejaVu Sans has glyphs for — but does no
/// complex shaping (Arabic, Indic) and no per-character font fallback (CJK, emoji).
///
/// The canvas borrows the context; its owner creates and destroys it.
final class CairoCanvas {
    /// An RGB colour with components in [0, 1].
    struct Color {
        var red: Double, green: Double, blue: Double

        /// A colour from a 0xRRGGBB literal.
        init(_ hex: UInt32) {
            red = Double((hex >> 16) & 0xff) / 255
            green = Double((hex >> 8) & 0xff) / 255
            blue = Double(hex & 0xff) / 255
        }

        static let text = Color(0x1f2937)
        static let muted = Color(0x6b7280)
        static let rule = Color(0xd1d5db)
        static let fill = Color(0xf3f4f6)
        static let accent = Color(0x2563eb)
        static let accentLight = Color(0x93c5fd)
        static let good = Color(0x15803d)
        static let warn = Color(0xb45309)
        static let bad = Color(0xb91c1c)
        static let white = Color(0xffffff)
    }

    /// Horizontal placement of text within a box.
    enum Alignment { case left, right, center }

    /// The cairo context drawn on.
    let context: OpaquePointer
    /// The font family asked of fontconfig.
    let fontFamily: String
    private var currentFont: (size: Double, bold: Bool)?

    /// A canvas on `context` using `fontFamily` for all text.
    init(context: OpaquePointer, fontFamily: String) {
        self.context = context
        self.fontFamily = fontFamily
    }

    /// Selects the font for the following text calls.
    func font(size: Double, bold: Bool = false) {
        if let currentFont, currentFont.size == size, currentFont.bold == bold { return }
        cairo_select_font_face(context, fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
        currentFont = (size, bold)
    }

    /// Sets the colour for the following fills, strokes and text.
    func color(_ color: Color) {
        cairo_set_source_rgb(context, color.red, color.green, color.blue)
    }

    /// Fills a rectangle.
    func fill(x: Double, y: Double, width: Double, height: Double, _ color: Color) {
        self.color(color)
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    /// Strokes a rectangle's outline.
    func outline(x: Double, y: Double, width: Double, height: Double, _ color: Color, lineWidth: Double = 0.5) {
        self.color(color)
        cairo_set_line_width(context, lineWidth)
        cairo_rectangle(context, x, y, width, height)
        cairo_stroke(context)
    }

    /// Draws a straight line.
    func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), _ color: Color, width: Double = 0.5) {
        self.color(color)
        cairo_set_line_width(context, width)
        cairo_move_to(context, start.x, start.y)
        cairo_line_to(context, end.x, end.y)
        cairo_stroke(context)
    }

    /// The advance width of `text` in the current font.
    func width(of text: String) -> Double {
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// `text` on one line, shortened with a trailing "…" to fit `maxWidth` in the current
    /// font. Control characters become spaces first.
    func fitted(_ text: String, maxWidth: Double) -> String {
        var text = ReportFormat.singleLine(text)
        // Nothing wider than a page fits anyway; cap the measured prefix.
        if text.count > 400 { text = String(text.prefix(400)) + "…" }
        if width(of: text) <= maxWidth { return text }
        let characters = Array(text)
        var low = 0, high = characters.count
        while low < high {
            let middle = (low + high + 1) / 2
            if width(of: String(characters[..<middle]) + "…") <= maxWidth { low = middle } else { high = middle - 1 }
        }
        guard low > 0 else { return width(of: "…") <= maxWidth ? "…" : "" }
        var prefix = String(characters[..<low])
        while prefix.last?.isWhitespace == true { prefix.removeLast() }
        return prefix + "…"
    }

    /// Draws `text` with its baseline at `y` inside `[x, x + width]`, aligned and truncated
    /// to fit; returns the drawn width.
    @discardableResult
    func text(
        _ text: String, x: Double, y: Double, width: Double, align: Alignment = .left,
        color: Color = .text
    ) -> Double {
        let shown = fitted(text, maxWidth: max(width, 0))
        guard !shown.isEmpty else { return 0 }
        let drawn = self.width(of: shown)
        let start = switch align {
        case .left: x
        case .right: x + width - drawn
        case .center: x + (width - drawn) / 2
        }
        self.color(color)
        cairo_move_to(context, start, y)
        cairo_show_text(context, shown)
        return drawn
    }

    /// The context's error status, `CAIRO_STATUS_SUCCESS` while drawing works.
    var status: cairo_status_t { cairo_status(context) }
}
