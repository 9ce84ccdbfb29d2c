import Contracts
import Tabular
/// Distinct count and most frequent values of one column, exact up to a cap.
///
/// While the column has at most `distinctCap` distinct values, one dictionary holds every
/// value with its exact count; it answers both questions exactly. When one more distinct
/// value arrives, the dictionary is replaced by
/// - a `HyperLogLog` sketch fed with every key seen so far, for the distinct count, and
/// - a Misra–Gries summary (Misra & Gries, 1982) of `heavyHitterCapacity` counters, for the
///   top values. Its counts are lower bounds, each at most `n / (k + 1)` below the truth,
///   and it merges with the rule of Agarwal et al. ("Mergeable summaries", 2012): add the
///   counters, then subtract the (k+1)-th largest count from all and drop those ≤ 0.
///
/// Once approximate, always approximate: merging never returns to exact mode.
struct ValueFrequencies: Sendable, Equatable {
    /// Exact count per value; `nil` once the cap was exceeded.
    private var exact: ValueCounts? = ValueCounts()
    /// The distinct-count sketch, used once `exact` is `nil`.
    private var sketch: HyperLogLog?
    /// Misra–Gries counters, used once `exact` is `nil`.
    private var counters = ValueCounts()
    /// `exact == nil`, kept apart: comparing the optional with nil copied the table (four
    /// array retains) on every value added.
    private var approximate = false

    /// An empty, exact summary.
    init() {}

    /// Whether the distinct count and top values are still exact.
    var isExact: Bool { !approximate }

    /// Counts one occurrence of `key`.
    @inline(__always)
    mutating func add(_ key: ValueKey, limits: StatisticsLimits) {
        if !approximate {
            exact!.add(key)
            if exact!.count > limits.distinctCap { switchToApproximate(limits: limits) }
            return
        }
        sketch!.add(hash: key.stableHash)
        if !counters.add(key, 1, insertingBelow: limits.heavyHitterCapacity) {
            // Decrement every counter (and the newcomer) by one. Each such step removes
            // k + 1 from the counters' total, so it runs at most n / (k + 1) times: O(1)
            // amortised per value.
            counters.updateCounts { $0 > 1 ? $0 - 1 : nil }
        }
    }

    /// Combines the frequencies of another chunk of the same column.
    mutating func merge(_ other: ValueFrequencies, limits: StatisticsLimits) {
        if var mine = exact, let theirs = other.exact {
            for (key, count) in theirs.pairs { mine.add(key, count) }
            exact = mine
            if mine.count > limits.distinctCap { switchToApproximate(limits: limits) }
            return
        }
        if exact != nil { switchToApproximate(limits: limits) }
        let (theirSketch, theirCounters) = other.approximateParts(limits: limits)
        sketch!.merge(theirSketch)
        for (key, count) in theirCounters.pairs { counters.add(key, count) }
        counters = Self.reduced(counters, to: limits.heavyHitterCapacity)
    }

    /// The number of distinct values: exact, or the sketch's estimate.
    var distinctCount: Int {
        if let exact { return exact.count }
        return sketch?.estimate ?? 0
    }

    /// The `limit` most frequent values, by count descending and then by value ascending.
    func top(_ limit: Int) -> [(key: ValueKey, count: Int)] {
        let source = exact ?? counters
        let ordered = source.pairs.sorted { left, right in
            left.1 != right.1 ? left.1 > right.1 : left.0 < right.0
        }
        return ordered.prefix(limit).map { (key: $0.0, count: $0.1) }
    }

    /// Replaces the exact dictionary with a sketch and Misra–Gries counters.
    private mutating func switchToApproximate(limits: StatisticsLimits) {
        guard let values = exact else { return }
        let parts = Self.approximate(values, limits: limits)
        sketch = parts.sketch
        counters = parts.counters
        exact = nil
        approximate = true
    }

    /// This summary's sketch and counters, converting an exact one on the fly.
    private func approximateParts(limits: StatisticsLimits) -> (HyperLogLog, ValueCounts) {
        if let exact { return Self.approximate(exact, limits: limits) }
        return (sketch!, counters)
    }

    /// The sketch and reduced counters equivalent to exact counts. Keys are hashed in sorted
    /// order only for tidiness: register maxima do not depend on order.
    private static func approximate(
        _ values: ValueCounts, limits: StatisticsLimits
    ) -> (sketch: HyperLogLog, counters: ValueCounts) {
        var sketch = HyperLogLog()
        for key in values.keys { sketch.add(hash: key.stableHash) }
        return (sketch, reduced(values, to: limits.heavyHitterCapacity))
    }

    /// Misra–Gries reduction to at most `capacity` counters: subtract the (capacity+1)-th
    /// largest count from every counter and keep only those still positive.
    private static func reduced(_ counts: ValueCounts, to capacity: Int) -> ValueCounts {
        guard counts.count > capacity else { return counts }
        let threshold = counts.counts.sorted(by: >)[capacity]
        var reduced = counts
        reduced.updateCounts { $0 > threshold ? $0 - threshold : nil }
        return reduced
    }
}

extension ValueFrequencies: Codable {
    private enum CodingKeys: String, CodingKey { case exact, sketch, counters }

    /// One saved value and its count; entries are written sorted by value, because a
    /// dictionary's iteration order differs from process to process.
    private struct Entry: Codable {
        var value: ValueKey
        var count: Int
    }

    /// Decodes the mode and its entries.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let entries = try container.decodeIfPresent([Entry].self, forKey: .exact) {
            exact = ValueCounts(entries.map { ($0.value, $0.count) })
        } else {
            exact = nil
            approximate = true
            sketch = try container.decode(HyperLogLog.self, forKey: .sketch)
            let entries = try container.decode([Entry].self, forKey: .counters)
            counters = ValueCounts(entries.map { ($0.value, $0.count) })
        }
    }

    /// Encodes either the exact entries or the sketch and counters, in value order.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        func entries(_ counts: ValueCounts) -> [Entry] {
            counts.pairs.sorted { $0.0 < $1.0 }.map { Entry(value: $0.0, count: $0.1) }
        }
        if let exact {
            try container.encode(entries(exact), forKey: .exact)
        } else {
            try container.encode(sketch, forKey: .sketch)
            try container.encode(entries(counters), forKey: .counters)
        }
    }
}
