import Contracts
import Tabular
/// Caps and typography of a `PDFReport`.
///
/// The caps keep the document readable and its size bounded however wide or messy the job's
/// data is: a table with 500 columns still gets a complete column summary (it only grows by
/// pages), but at most `maxHistograms` + `maxBarCharts` charts and `maxErrorsListed` errors.
public struct PDFReportOptions: Sendable, Hashable {
    /// The font family for all text; DejaVu Sans covers Latin, Greek, Cyrillic and common
    /// symbols (é, ü, €). fontconfig substitutes a sans-serif if it is missing.
    public var fontFamily: String
    /// Numeric columns that get a histogram, in column order. Default 12.
    public var maxHistograms: Int
    /// Text or boolean columns that get a top-values bar chart, in column order. Default 12.
    public var maxBarCharts: Int
    /// Bars per top-values chart. Default 10.
    public var barsPerChart: Int
    /// Error codes listed in the validation section. Default 10.
    public var maxErrorCodes: Int
    /// Individual errors listed in the validation section. Default 25.
    public var maxErrorsListed: Int
    /// Rows shown per aggregate table; the rest are counted in a note. Default 200.
    public var maxAggregateRows: Int
    /// The largest PDF `render()` will produce before failing with
    /// `ReportError.outputTooLarge`. Default 256 MiB.
    public var maxOutputBytes: Int

    /// Options with the documented defaults unless overridden.
    public init(
        fontFamily: String = "DejaVu Sans",
        maxHistograms: Int = 12,
        maxBarCharts: Int = 12,
        barsPerChart: Int = 10,
        maxErrorCodes: Int = 10,
        maxErrorsListed: Int = 25,
        maxAggregateRows: Int = 200,
        maxOutputBytes: Int = 256 << 20
    ) {
        self.fontFamily = fontFamily
        self.maxHistograms = max(maxHistograms, 0)
        self.maxBarCharts = max(maxBarCharts, 0)
        self.barsPerChart = max(barsPerChart, 1)
        self.maxErrorCodes = max(maxErrorCodes, 0)
        self.maxErrorsListed = max(maxErrorsListed, 0)
        self.maxAggregateRows = max(maxAggregateRows, 0)
        self.maxOutputBytes = max(maxOutputBytes, 1 << 16)
    }
}
