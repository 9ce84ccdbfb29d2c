import Contracts
import Tabular
/// Turning the running state into a `ColumnSummary`.
///
/// ## Percentile definition
/// Exact percentiles use linear interpolation between closest ranks — numpy's default
/// (`method="linear"`), R's type 7, Excel's `PERCENTILE.INC`: for `n` sorted values
/// `x₀ … xₙ₋₁` and `q ∈ [0, 1]`, let `h = (n − 1)·q`; the result is
/// `x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋)`. Beyond `exactPercentileCap` values the t-digest's
/// interpolated quantile is reported instead, and `percentileMethod` says so.
///
/// ## Histogram
/// `histogramBins` equal-width bins from the minimum to the maximum; bin `i` holds values in
/// `[min + i·w, min + (i+1)·w)`, the last bin also holds the maximum. When all values are
/// equal there is a single bin of width 0. A column of integers whose range spans fewer
/// values than there are bins (grades 1–6, weekdays) gets one bin of width 1 per value
/// instead — bin `i` holds exactly `min + i` and the last bin's upper edge is `max + 1` —
/// because equal-width bins would leave most bins empty and split none usefully. Beyond the
/// cap, bin counts are read off the digest's CDF (at half-integers for integer bins) and
/// rounded by largest remainder so that they still add up to the count.
extension ColumnStatistics {
    /// The reportable statistics. Costs one sort of the exact values (at most
    /// `exactPercentileCap`), so compute it once at the end rather than per row.
    public var summary: ColumnSummary {
        let frequencies = valueFrequencies
        let exact = frequencies.isExact
        let top = frequencies.top(limits.topValueCount).map { entry in
            let value = entry.key.cellValue
            let plain: CellValue = if case .number(let number) = value, !number.isFinite {
                .string(value.csvText)
            } else {
                value
            }
            return ColumnSummary.TopValue(value: plain, count: entry.count)
        }
        return ColumnSummary(
            name: name,
            kind: valueTypes.kind,
            count: count,
            nulls: nulls,
            distinct: frequencies.distinctCount,
            distinctApproximate: !exact,
            distinctMethod: exact ? StatisticsLimits.exactMethodName : HyperLogLog.methodName,
            valueTypes: valueTypes,
            numeric: numericSummary,
            textLength: textLengthRange.map { ColumnSummary.TextLength(min: $0.lowerBound, max: $0.upperBound) },
            topValues: top,
            topValuesMethod: exact ? StatisticsLimits.exactMethodName : limits.heavyHitterMethodName
        )
    }

    /// Moments, percentiles and histogram, or `nil` without finite numbers.
    private var numericSummary: ColumnSummary.Numeric? {
        let moments = numericMoments
        guard moments.count > 0, let low = moments.minimum, let high = moments.maximum else { return nil }
        let percentiles: [Double]
        let histogram: [Int]
        let method: String
        let integerBins = valueTypes.number == 0 && high - low < Double(limits.histogramBins)
        let bins = low == high ? 1 : integerBins ? Int(high - low) + 1 : limits.histogramBins
        let width = low == high ? 0 : integerBins ? 1 : (high - low) / Double(bins)
        if let values = exactNumericValues {
            let sorted = values.sorted()
            percentiles = [0.5, 0.9, 0.99].map { Self.percentile(sorted: sorted, $0) }
            histogram = Self.histogram(sorted: sorted, min: low, width: width, bins: bins)
            method = StatisticsLimits.exactMethodName
        } else {
            let digest = numericDigest!.flushed
            percentiles = [0.5, 0.9, 0.99].map { Swift.min(Swift.max(digest.quantile($0), low), high) }
            histogram = Self.histogram(digest: digest, min: integerBins ? low - 0.5 : low, width: width,
                                       bins: bins, total: moments.count)
            method = limits.digestMethodName
        }
        return ColumnSummary.Numeric(
            count: moments.count, min: low, max: high,
            mean: moments.finiteMean, stddev: moments.sampleStandardDeviation,
            p50: percentiles[0], p90: percentiles[1], p99: percentiles[2],
            percentileMethod: method,
            histogram: ColumnSummary.Histogram(
                min: low, max: integerBins && low != high ? high + 1 : high, binWidth: width, counts: histogram, method: method)
        )
    }

    /// The `q` percentile of ascending `sorted` values by linear interpolation (numpy's
    /// default); 0 for no values.
    public static func percentile(sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let position = Double(sorted.count - 1) * Swift.min(Swift.max(q, 0), 1)
        let lower = Int(position.rounded(.down))
        let fraction = position - Double(lower)
        guard lower + 1 < sorted.count, fraction > 0 else { return sorted[lower] }
        // Written as a weighted sum so that values near ±Double.greatestFiniteMagnitude
        // cannot overflow the difference.
        return sorted[lower] * (1 - fraction) + sorted[lower + 1] * fraction
    }

    /// The bin of `value`; NaN-free and clamped, so extreme ranges cannot trap.
    private static func bin(of value: Double, min: Double, width: Double, bins: Int) -> Int {
        guard width > 0 else { return 0 }
        let position = (value - min) / width
        if position.isNaN || position < 0 { return 0 }
        if position >= Double(bins) { return bins - 1 }
        return Int(position)
    }

    /// Exact bin counts.
    private static func histogram(sorted: [Double], min: Double, width: Double, bins: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: bins)
        for value in sorted { counts[bin(of: value, min: min, width: width, bins: bins)] += 1 }
        return counts
    }

    /// Bin counts from the digest's CDF, rounded by largest remainder to add up to `total`.
    private static func histogram(digest: TDigest, min: Double, width: Double, bins: Int, total: Int) -> [Int] {
        guard bins > 1 else { return [total] }
        var shares = [Double](repeating: 0, count: bins)
        var previous = 0.0
        for index in 0..<bins {
            let cumulative = index == bins - 1 ? 1 : digest.cumulativeShare(atOrBelow: min + width * Double(index + 1))
            shares[index] = Swift.max(cumulative - previous, 0) * Double(total)
            previous = Swift.max(previous, cumulative)
        }
        var counts = shares.map { Int($0.rounded(.down)) }
        let remainder = total - counts.reduce(0, +)
        let order = shares.indices.sorted { left, right in
            let a = shares[left] - Double(counts[left]), b = shares[right] - Double(counts[right])
            return a != b ? a > b : left < right
        }
        for index in order.prefix(Swift.max(remainder, 0)) { counts[index] += 1 }
        return counts
    }
}
