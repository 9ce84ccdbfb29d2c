import Contracts
import Tabular
/// Draws a `Chart` into a rectangle of a `CairoCanvas`; shared by the PDF report and
/// `PNGChart`, so both show the same picture.
///
/// Layout, top to bottom: the title (bold), the note (small, grey), then the plot. Sizes
/// are in the canvas's units (points in a PDF, pixels in a PNG) and scale with the box.
struct ChartRenderer {
    /// The canvas drawn on.
    let canvas: CairoCanvas

    /// Draws `chart` inside the box at (`x`, `y`) of `width` × `height`.
    func draw(_ chart: Chart, x: Double, y: Double, width: Double, height: Double) {
        canvas.fill(x: x, y: y, width: width, height: height, .white)
        canvas.outline(x: x, y: y, width: width, height: height, .rule)
        let padding = 8.0
        canvas.font(size: 9.5, bold: true)
        canvas.text(chart.title, x: x + padding, y: y + padding + 9, width: width - 2 * padding)
        var top = y + padding + 14
        if let note = chart.note {
            canvas.font(size: 7)
            canvas.text(note, x: x + padding, y: top + 7, width: width - 2 * padding, color: .muted)
            top += 11
        }
        let plot = (x: x + padding, y: top + 4, width: width - 2 * padding, height: y + height - padding - top - 4)
        guard plot.width > 20, plot.height > 20 else { return }
        switch chart {
        case .histogram(_, let histogram, _): drawHistogram(histogram, in: plot)
        case .bars(_, let bars, _): drawBars(bars, in: plot)
        }
    }

    /// Vertical bars over a value axis with min, middle and max labels, and a count axis.
    private func drawHistogram(
        _ histogram: ColumnSummary.Histogram, in plot: (x: Double, y: Double, width: Double, height: Double)
    ) {
        let counts = histogram.counts
        let peak = max(counts.max() ?? 0, 1)
        canvas.font(size: 6.5)
        let peakLabel = ReportFormat.integer(peak)
        let axisWidth = max(canvas.width(of: peakLabel), canvas.width(of: "0")) + 4
        let area = (x: plot.x + axisWidth, y: plot.y + 3, width: plot.width - axisWidth, height: plot.height - 14)
        guard area.width > 10, area.height > 10, !counts.isEmpty else { return }
        let bottom = area.y + area.height
        // Grid lines at 0, half and full height, with the count axis labels.
        for fraction in [0.0, 0.5, 1.0] {
            let lineY = bottom - area.height * fraction
            canvas.line(from: (area.x, lineY), to: (area.x + area.width, lineY), .fill, width: 0.6)
            let label = fraction == 0 ? "0" : ReportFormat.integer(Int((Double(peak) * fraction).rounded()))
            canvas.text(label, x: plot.x, y: lineY + 2.3, width: axisWidth - 3, align: .right, color: .muted)
        }
        let slot = area.width / Double(counts.count)
        let gap = slot > 4 ? 1.0 : 0
        for (index, count) in counts.enumerated() where count > 0 {
            let barHeight = area.height * Double(count) / Double(peak)
            canvas.fill(x: area.x + slot * Double(index) + gap / 2, y: bottom - barHeight,
                        width: slot - gap, height: barHeight, .accent)
        }
        canvas.line(from: (area.x, bottom), to: (area.x + area.width, bottom), .muted, width: 0.6)
        let labelY = bottom + 9
        if histogram.binWidth == 1, histogram.min == histogram.min.rounded(), counts.count <= 31 {
            // One bin per integer: label the bars themselves, thinning labels that would collide.
            let widest = canvas.width(of: ReportFormat.number(histogram.min + Double(counts.count - 1)))
            let step = max(1, Int(((widest + 4) / slot).rounded(.up)))
            for index in stride(from: 0, to: counts.count, by: step) {
                canvas.text(ReportFormat.number(histogram.min + Double(index)), x: area.x + slot * Double(index),
                            y: labelY, width: slot, align: .center, color: .muted)
            }
            return
        }
        // Value axis: min, middle and max.
        let third = area.width / 3
        canvas.text(ReportFormat.number(histogram.min), x: area.x, y: labelY, width: third, color: .muted)
        canvas.text(ReportFormat.number((histogram.min + histogram.max) / 2), x: area.x + third, y: labelY,
                    width: third, align: .center, color: .muted)
        canvas.text(ReportFormat.number(histogram.max), x: area.x + 2 * third, y: labelY, width: third,
                    align: .right, color: .muted)
    }

    /// Horizontal bars with the label on the left and the value after the bar.
    private func drawBars(_ bars: [Chart.Bar], in plot: (x: Double, y: Double, width: Double, height: Double)) {
        guard !bars.isEmpty else { return }
        let rowHeight = min(plot.height / Double(bars.count), 16)
        let fontSize = min(max(rowHeight * 0.55, 5), 7.5)
        canvas.font(size: fontSize)
        let peak = max(bars.map(\.value).max() ?? 0, 1)
        let labelWidth = plot.width * 0.34
        let valueWidth = max(canvas.width(of: ReportFormat.number(peak)) + 6, 24)
        let barSpace = plot.width - labelWidth - 6 - valueWidth
        guard barSpace > 10 else { return }
        for (index, bar) in bars.enumerated() {
            let rowTop = plot.y + rowHeight * Double(index)
            let baseline = rowTop + rowHeight / 2 + fontSize * 0.35
            canvas.text(bar.label, x: plot.x, y: baseline, width: labelWidth - 4, align: .right)
            let length = barSpace * max(bar.value, 0) / peak
            let barX = plot.x + labelWidth + 2
            canvas.fill(x: barX, y: rowTop + rowHeight * 0.18, width: max(length, 0.5),
                        height: rowHeight * 0.64, index == 0 ? .accent : .accentLight)
            canvas.text(ReportFormat.number(bar.value), x: barX + length + 3, y: baseline,
                        width: valueWidth, color: .muted)
        }
    }
}
