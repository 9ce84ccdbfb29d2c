import Contracts
import Tabular
/// A chart the reports can draw: a histogram of a numeric column or horizontal bars of a
/// column's most frequent values.
///
/// The same value renders into the PDF report and, through `PNGChart`, into a PNG image.
public enum Chart: Sendable, Equatable {
    /// Equal-width bins of a numeric column.
    case histogram(title: String, histogram: ColumnSummary.Histogram, note: String?)
    /// One horizontal bar per label, longest first as given.
    case bars(title: String, bars: [Bar], note: String?)

    /// One bar of a bar chart.
    public struct Bar: Sendable, Equatable {
        /// The category, drawn left of the bar (shortened with "…" if long).
        public var label: String
        /// The bar's length; negative values are drawn as 0.
        public var value: Double

        /// A bar from its parts.
        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    /// The chart's heading.
    public var title: String {
        switch self {
        case .histogram(let title, _, _), .bars(let title, _, _): title
        }
    }

    /// The small print under the heading (sample size, method).
    public var note: String? {
        switch self {
        case .histogram(_, _, let note), .bars(_, _, let note): note
        }
    }

    /// "Distribution of <column>" for a column with numeric statistics, else `nil`.
    public static func histogram(of column: ColumnSummary) -> Chart? {
        guard let numeric = column.numeric else { return nil }
        var note = "n = \(ReportFormat.integer(numeric.count))"
        if numeric.histogram.method != StatisticsLimits.exactMethodName {
            note += " · approximate, \(numeric.histogram.method)"
        }
        return .histogram(title: "Distribution of \(column.name)", histogram: numeric.histogram, note: note)
    }

    /// "Top values of <column>" from the column's top values, or `nil` if it has none.
    public static func topValues(of column: ColumnSummary, limit: Int = 10) -> Chart? {
        let top = column.topValues.prefix(max(limit, 0))
        guard !top.isEmpty else { return nil }
        let bars = top.map { Bar(label: ReportFormat.cell($0.value), value: Double($0.count)) }
        var note = "\(ReportFormat.integer(column.distinct)) distinct"
        if column.distinctApproximate { note = "≈ " + note }
        if column.topValuesMethod != StatisticsLimits.exactMethodName {
            note += " · counts are lower bounds, \(column.topValuesMethod)"
        }
        return .bars(title: "Top values of \(column.name)", bars: bars, note: note)
    }

    /// The charts a report shows for `columns`: a histogram per numeric column (at most
    /// `maxHistograms`), then top-value bars per text or boolean column (at most
    /// `maxBarCharts`), each in column order. Columns in which no value repeats (identifiers)
    /// get no bar chart: every bar would be 1.
    public static func charts(
        for columns: [ColumnSummary], maxHistograms: Int, maxBarCharts: Int, barsPerChart: Int = 10
    ) -> [Chart] {
        let histograms = columns.filter { $0.kind == .numeric }.prefix(max(maxHistograms, 0))
            .compactMap { histogram(of: $0) }
        let bars = columns
            .filter { ($0.kind == .text || $0.kind == .boolean) && ($0.topValues.first?.count ?? 0) > 1 }
            .prefix(max(maxBarCharts, 0))
            .compactMap { topValues(of: $0, limit: barsPerChart) }
        return histograms + bars
    }
}
