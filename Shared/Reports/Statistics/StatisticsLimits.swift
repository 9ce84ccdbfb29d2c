import Contracts
import Tabular
/// The caps that keep `ColumnStatistics` bounded in memory, and the switch-over points from
/// exact to approximate methods.
///
/// Every column's state is bounded whatever the row count:
///
/// | part | exact while | then | memory after the switch |
/// | --- | --- | --- | --- |
/// | distinct count | ≤ `distinctCap` distinct values | HyperLogLog, p = 14 | 16 KiB |
/// | top values | ≤ `distinctCap` distinct values | Misra–Gries, `heavyHitterCapacity` counters | ≤ k keys |
/// | p50/p90/p99, histogram | ≤ `exactPercentileCap` numeric values | t-digest, δ = `digestCompression` | ~δ centroids |
///
/// Before a switch the state holds at most `distinctCap` keys (with their text) and
/// `exactPercentileCap` doubles (800 KB at the default), so a table's statistics cost at
/// most about 1–2 MB per column.
///
/// When two results are merged, the receiver's limits win.
public struct StatisticsLimits: Codable, Sendable, Hashable {
    /// Distinct values counted exactly (with exact per-value counts for top values) before
    /// switching to HyperLogLog and Misra–Gries. Default 10,000.
    public var distinctCap: Int
    /// Numeric values kept for exact percentiles and the exact histogram before switching to
    /// a t-digest. Default 100,000.
    public var exactPercentileCap: Int
    /// The t-digest compression δ used beyond `exactPercentileCap`. Default 100.
    public var digestCompression: Int
    /// Counters of the Misra–Gries summary used beyond `distinctCap`. Default 1,000; any
    /// value occurring in more than `n / (k + 1)` rows is guaranteed to be kept.
    public var heavyHitterCapacity: Int
    /// How many of the most frequent values a summary lists. Default 10.
    public var topValueCount: Int
    /// Equal-width bins of the numeric histogram. Default 20.
    public var histogramBins: Int

    /// Limits with the documented defaults unless overridden; values are clamped to sane
    /// minimums (at least 1 bin, 10 digest compression, and so on).
    public init(
        distinctCap: Int = 10_000,
        exactPercentileCap: Int = 100_000,
        digestCompression: Int = 100,
        heavyHitterCapacity: Int = 1_000,
        topValueCount: Int = 10,
        histogramBins: Int = 20
    ) {
        self.distinctCap = max(distinctCap, 1)
        self.exactPercentileCap = max(exactPercentileCap, 1)
        self.digestCompression = max(digestCompression, 10)
        self.heavyHitterCapacity = max(heavyHitterCapacity, topValueCount, 1)
        self.topValueCount = max(topValueCount, 0)
        self.histogramBins = max(histogramBins, 1)
    }

    /// The defaults: 10,000 distinct, 100,000 exact values, δ = 100, k = 1,000, top 10, 20 bins.
    public static let `default` = StatisticsLimits()

    /// The `percentileMethod` written once the digest is in use, e.g. `t-digest(δ=100)`.
    public var digestMethodName: String { "t-digest(δ=\(digestCompression))" }

    /// The `topValuesMethod` written once Misra–Gries is in use, e.g. `misra-gries(k=1000)`.
    public var heavyHitterMethodName: String { "misra-gries(k=\(heavyHitterCapacity))" }

    /// The method name for anything still computed from all values.
    public static let exactMethodName = "exact"
}
