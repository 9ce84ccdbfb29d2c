import Contracts
import Tabular
import CCairo

/// One `Chart` rendered to a PNG image in memory, for e-mails, web pages or the XLSX-free
/// consumers of a job.
///
/// Draws with the same `ChartRenderer` as the PDF report on a cairo image surface, then
/// encodes with `cairo_surface_write_to_png_stream` into a byte array. The chart is laid
/// out in points and scaled by `scale`, so a 300 × 180 chart at scale 2 is a crisp
/// 600 × 360 pixel image.
public struct PNGChart: Sendable {
    /// The chart to draw.
    public var chart: Chart
    /// The width in points (before `scale`).
    public var width: Int
    /// The height in points (before `scale`).
    public var height: Int
    /// Pixels per point.
    public var scale: Double
    /// The font family for all text.
    public var fontFamily: String

    /// A PNG rendering of `chart`; sizes are clamped to 60…4,000 points and the scale to
    /// 0.25…8.
    public init(_ chart: Chart, width: Int = 320, height: Int = 200, scale: Double = 2,
                fontFamily: String = "DejaVu Sans") {
        self.chart = chart
        self.width = min(max(width, 60), 4_000)
        self.height = min(max(height, 60), 4_000)
        self.scale = min(max(scale, 0.25), 8)
        self.fontFamily = fontFamily
    }

    /// The pixel size of the image.
    public var pixelSize: (width: Int, height: Int) {
        (Int((Double(width) * scale).rounded()), Int((Double(height) * scale).rounded()))
    }

    /// Draws the chart and returns the PNG file's bytes.
    ///
    /// - Throws: `ReportError.surfaceFailed` if the image surface cannot be created,
    ///   `.renderFailed` if drawing or encoding fails.
    public func render() throws(ReportError) -> [UInt8] {
        let size = pixelSize
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(size.width), Int32(size.height))
        else { throw .surfaceFailed(status: Int32(CAIRO_STATUS_NO_MEMORY.rawValue)) }
        defer { cairo_surface_destroy(surface) }
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else { throw .surfaceFailed(status: Int32(surfaceStatus.rawValue)) }

        guard let context = cairo_create(surface) else { throw .renderFailed(status: Int32(CAIRO_STATUS_NO_MEMORY.rawValue)) }
        defer { cairo_destroy(context) }
        cairo_scale(context, scale, scale)
        let canvas = CairoCanvas(context: context, fontFamily: fontFamily)
        canvas.fill(x: 0, y: 0, width: Double(width), height: Double(height), .white)
        ChartRenderer(canvas: canvas).draw(chart, x: 0.5, y: 0.5, width: Double(width) - 1, height: Double(height) - 1)
        let drawStatus = cairo_status(context)
        guard drawStatus == CAIRO_STATUS_SUCCESS else { throw .renderFailed(status: Int32(drawStatus.rawValue)) }
        cairo_surface_flush(surface)

        let sink = ByteSink(limit: 64 << 20)
        let writeStatus = cairo_surface_write_to_png_stream(surface, ByteSink.writeFunction, sink.closure)
        withExtendedLifetime(sink) {}
        if sink.overflowed { throw .outputTooLarge(limit: sink.limit) }
        guard writeStatus == CAIRO_STATUS_SUCCESS else { throw .renderFailed(status: Int32(writeStatus.rawValue)) }
        return sink.bytes
    }
}
