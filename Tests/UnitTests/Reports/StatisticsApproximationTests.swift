import Foundation
import Reports
import Contracts
import Tabular
import Testing

/// Approximate mode of `ColumnStatistics`, past the caps.
///
/// Tolerances, stated once:
/// - percentiles (t-digest, δ = 100): the estimate's rank in the true sorted data is within
///   ±0.5 percentage points of the requested quantile (|F(estimate) − q| ≤ 0.005);
/// - histogram from the digest: each bin within ±1 % of the total count of the exact bin;
/// - distinct (HyperLogLog, p = 14, σ ≈ 0.81 %): within ±3 % of the true count;
/// - top values (Misra–Gries, k = 1,000): the true heavy hitters in order, each count at
///   most n/(k + 1) below the truth and never above it.
@Suite struct StatisticsApproximationTests {
    /// 300,000 values from a skewed mixture (log-normal body, a second mode, a few outliers).
    static let values: [Double] = {
        var random = SplitMix64(seed: 2024)
        return (0..<300_000).map { index in
            switch index % 10 {
            case 0: 500 + random.normal() * 20
            case 1 where index % 1_000 == 1: 10_000 * random.unit()
            default: exp(3 + random.normal() * 0.6)
            }
        }
    }()

    /// The statistics of `values`, computed once for the suite.
    static let statistics: ColumnStatistics = {
        var stats = ColumnStatistics(name: "amount")
        for value in values { stats.add(.number(value)) }
        return stats
    }()

    /// The share of values ≤ `x`.
    static func rank(of x: Double, in sorted: [Double]) -> Double {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] <= x { low = middle + 1 } else { high = middle }
        }
        return Double(low) / Double(sorted.count)
    }

    @Test func percentilesWithinTolerance() throws {
        let numeric = try #require(Self.statistics.summary.numeric)
        #expect(numeric.percentileMethod == "t-digest(δ=100)")
        #expect(numeric.count == 300_000)
        let sorted = Self.values.sorted()
        for (q, estimate) in [(0.5, numeric.p50), (0.9, numeric.p90), (0.99, numeric.p99)] {
            let error = abs(Self.rank(of: estimate, in: sorted) - q)
            #expect(error <= 0.005, "q=\(q) estimate=\(estimate) rank error=\(error)")
        }
        // Moments stay exact (Welford) beyond the cap.
        let mean = Self.values.reduce(0, +) / Double(Self.values.count)
        #expect(abs(numeric.mean! - mean) < 1e-9 * mean)
        #expect(numeric.min == sorted.first)
        #expect(numeric.max == sorted.last)
    }

    @Test func histogramWithinTolerance() throws {
        let histogram = try #require(Self.statistics.summary.numeric?.histogram)
        #expect(histogram.method == "t-digest(δ=100)")
        #expect(histogram.counts.reduce(0, +) == Self.values.count)
        var exact = [Int](repeating: 0, count: histogram.counts.count)
        for value in Self.values {
            let bin = min(Int((value - histogram.min) / histogram.binWidth), exact.count - 1)
            exact[bin] += 1
        }
        for (approximate, truth) in zip(histogram.counts, exact) {
            #expect(abs(approximate - truth) <= Self.values.count / 100, "\(histogram.counts) vs \(exact)")
        }
    }

    /// The saved state of a 300,000-value column stays small.
    @Test func stateIsBounded() throws {
        let bytes = try ReportTestSupport.json(Self.statistics).count
        #expect(bytes < 100_000, "state is \(bytes) bytes")
    }

    @Test func distinctCountWithHyperLogLog() throws {
        var stats = ColumnStatistics(name: "id")
        let distinct = 60_000
        for index in 0..<150_000 { stats.add(.string("user-\(index % distinct)")) }
        let summary = stats.summary
        #expect(summary.distinctApproximate)
        #expect(summary.distinctMethod == "hyperloglog(p=14)")
        let error = abs(Double(summary.distinct - distinct)) / Double(distinct)
        #expect(error <= 0.03, "estimate \(summary.distinct) for \(distinct)")
    }

    @Test func topValuesWithMisraGries() throws {
        var stats = ColumnStatistics(name: "city")
        var truth: [String: Int] = [:]
        var random = SplitMix64(seed: 5)
        let total = 200_000
        for index in 0..<total {
            let roll = random.unit()
            let city = roll < 0.2 ? "Zürich" : roll < 0.32 ? "Genève" : roll < 0.4 ? "Bern" : "town-\(index % 30_000)"
            truth[city, default: 0] += 1
            stats.add(.string(city))
        }
        let summary = stats.summary
        #expect(summary.topValuesMethod == "misra-gries(k=1000)")
        #expect(summary.topValues.prefix(3).map(\.value) == ["Zürich", "Genève", "Bern"])
        for top in summary.topValues {
            let actual = truth[top.value.csvText]!
            #expect(top.count <= actual)
            #expect(actual - top.count <= total / 1_001)
        }
    }

    /// Merging approximate chunks: distinct registers union exactly, so the estimate equals
    /// the sequential one; percentiles stay within tolerance.
    @Test func approximateMergeMatchesSequential() throws {
        let limits = StatisticsLimits(distinctCap: 500, exactPercentileCap: 2_000)
        var random = SplitMix64(seed: 77)
        let values = (0..<40_000).map { _ in CellValue.integer(Int64(random.next() % 5_000)) }
        var sequential = ColumnStatistics(name: "v", limits: limits)
        sequential.add(contentsOf: values)
        var merged = ColumnStatistics(name: "v", limits: limits)
        for start in stride(from: 0, to: values.count, by: 7_000) {
            var chunk = ColumnStatistics(name: "v", limits: limits)
            chunk.add(contentsOf: values[start..<min(start + 7_000, values.count)])
            merged.merge(chunk)
        }
        let a = sequential.summary, b = merged.summary
        #expect(a.distinct == b.distinct)
        #expect(b.distinctApproximate && b.numeric?.percentileMethod == "t-digest(δ=100)")
        #expect(a.count == b.count && a.numeric?.min == b.numeric?.min && a.numeric?.max == b.numeric?.max)
        let sorted = values.map { $0.doubleValue! }.sorted()
        for q in [0.5, 0.9, 0.99] {
            let estimate = q == 0.5 ? b.numeric!.p50 : q == 0.9 ? b.numeric!.p90 : b.numeric!.p99
            #expect(abs(Self.rank(of: estimate, in: sorted) - q) <= 0.005)
        }
    }

    /// Approximate state is as deterministic as exact state.
    @Test func approximateStateIsDeterministic() throws {
        let limits = StatisticsLimits(distinctCap: 100, exactPercentileCap: 1_000)
        func build() -> ColumnStatistics {
            var stats = ColumnStatistics(name: "v", limits: limits)
            var random = SplitMix64(seed: 9)
            for _ in 0..<20_000 { stats.add(.number(random.normal())) }
            return stats
        }
        let first = build(), second = build()
        #expect(try ReportTestSupport.json(first) == ReportTestSupport.json(second))
        #expect(try ReportTestSupport.json(first.summary) == ReportTestSupport.json(second.summary))
        let decoded = try JSONDecoder().decode(ColumnStatistics.self, from: ReportTestSupport.json(first))
        #expect(try ReportTestSupport.json(decoded.summary) == ReportTestSupport.json(first.summary))
    }
}
