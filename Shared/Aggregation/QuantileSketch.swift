import Foundation

/// A DDSketch of the values seen, for percentiles: each value falls in a bucket whose bounds
/// are within a relative accuracy α = 1 % of it, so any percentile it answers is within 1 %
/// of the true value at that rank (for values of any sign; zero is kept exactly). Mergeable:
/// bucket counts add, so partials of many jobs combine into the percentiles of them all.
/// Count, minimum and maximum are kept exactly.
public struct QuantileSketch: Sendable, Hashable, Codable {
    /// The relative accuracy.
    public static let accuracy = 0.01
    static let gamma = (1 + accuracy) / (1 - accuracy)
    static let logGamma = log(gamma)

    private(set) var positive: [Int: UInt64] = [:]
    private(set) var negative: [Int: UInt64] = [:]
    private(set) var zeros: UInt64 = 0
    /// Values counted.
    public private(set) var count: UInt64 = 0
    /// The smallest and largest value counted.
    public private(set) var min: Double?
    public private(set) var max: Double?

    /// An empty sketch.
    public init() {}

    /// Counts `value` (NaN and infinities are not counted).
    public mutating func add(_ value: Double) {
        guard value.isFinite else { return }
        if value > 0 {
            positive[Self.index(value), default: 0] += 1
        } else if value < 0 {
            negative[Self.index(-value), default: 0] += 1
        } else {
            zeros += 1
        }
        count += 1
        min = Swift.min(min ?? value, value)
        max = Swift.max(max ?? value, value)
    }

    /// Both sketches as one.
    public mutating func merge(_ other: QuantileSketch) {
        for (i, n) in other.positive { positive[i, default: 0] += n }
        for (i, n) in other.negative { negative[i, default: 0] += n }
        zeros += other.zeros
        count += other.count
        if let m = other.min { min = Swift.min(min ?? m, m) }
        if let m = other.max { max = Swift.max(max ?? m, m) }
    }

    /// The value at rank ⌊q·(n−1)⌋ of the sorted values (pandas' `interpolation="lower"`),
    /// within 1 % relative error; the exact minimum and maximum at q = 0 and 1; nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0, (0...1).contains(q) else { return nil }
        if q == 0 { return min }
        if q == 1 { return max }
        let rank = UInt64((q * Double(count - 1)).rounded(.down))
        var seen: UInt64 = 0
        for i in negative.keys.sorted(by: >) {
            seen += negative[i] ?? 0
            if seen > rank { return clamp(-Self.value(i)) }
        }
        seen += zeros
        if seen > rank { return 0 }
        for i in positive.keys.sorted() {
            seen += positive[i] ?? 0
            if seen > rank { return clamp(Self.value(i)) }
        }
        return max
    }

    private func clamp(_ value: Double) -> Double { Swift.min(Swift.max(value, min ?? value), max ?? value) }

    static func index(_ magnitude: Double) -> Int { Int((log(magnitude) / logGamma).rounded(.up)) }

    /// The bucket's representative: within α of every value in it.
    static func value(_ index: Int) -> Double { 2 * pow(gamma, Double(index)) / (gamma + 1) }
}
