import Contracts
import Tabular
import Foundation

/// A merging t-digest (Dunning & Ertl, 2019): a small, mergeable summary of a numeric
/// distribution that answers quantile and CDF queries with error that shrinks towards the
/// tails, where p99 lives.
///
/// Values are buffered and, when the buffer fills, merged with the existing centroids in one
/// sorted pass that packs neighbours into a centroid while the `k₁` scale function
/// `k(q) = δ/(2π)·asin(2q − 1)` grows by at most 1 across it. With compression `δ = 100` a
/// digest holds at most about 100 centroids however many values it has seen.
///
/// Everything is deterministic: no sampling, no random seeds, and Swift's sort is a pure
/// function of its input, so the same values in the same order give the same centroids.
struct TDigest: Codable, Sendable, Equatable {
    /// The compression parameter δ; larger keeps more centroids and is more precise.
    let compression: Double
    /// Centroid means, ascending. Only meaningful once the buffer is flushed.
    private var means: [Double] = []
    /// Centroid weights (how many values each centroid stands for), parallel to `means`.
    private var weights: [Double] = []
    /// Values added since the last flush.
    private var buffer: [Double] = []
    /// The smallest value seen, exact.
    private(set) var minimum: Double = 0
    /// The largest value seen, exact.
    private(set) var maximum: Double = 0
    /// The number of values summarised, including the buffer.
    private(set) var count: Int = 0

    /// An empty digest with compression `δ`.
    init(compression: Double) {
        self.compression = compression
    }

    /// How many values are buffered before a merge pass; 10·δ amortises the sort well.
    private var bufferLimit: Int { Int(compression) * 10 }

    /// Adds one finite value.
    mutating func add(_ value: Double) {
        if count == 0 {
            minimum = value
            maximum = value
        } else {
            minimum = Swift.min(minimum, value)
            maximum = Swift.max(maximum, value)
        }
        count += 1
        buffer.append(value)
        if buffer.count >= bufferLimit { flush() }
    }

    /// Folds another digest into this one; the result keeps this digest's compression.
    mutating func merge(_ other: TDigest) {
        guard other.count > 0 else { return }
        if count == 0 {
            minimum = other.minimum
            maximum = other.maximum
        } else {
            minimum = Swift.min(minimum, other.minimum)
            maximum = Swift.max(maximum, other.maximum)
        }
        count += other.count
        var points = zip(means, weights).map { (mean: $0, weight: $1) }
        points += zip(other.means, other.weights).map { (mean: $0, weight: $1) }
        points += (buffer + other.buffer).map { (mean: $0, weight: 1.0) }
        buffer.removeAll(keepingCapacity: true)
        compress(points)
    }

    /// Merges the buffer into the centroids.
    mutating func flush() {
        guard !buffer.isEmpty else { return }
        var points = zip(means, weights).map { (mean: $0, weight: $1) }
        points += buffer.map { (mean: $0, weight: 1.0) }
        buffer.removeAll(keepingCapacity: true)
        compress(points)
    }

    /// The digest with its buffer merged, for read-only queries on a `let`.
    var flushed: TDigest {
        var copy = self
        copy.flush()
        return copy
    }

    /// One merge pass over weighted points (sorted here) into new centroids.
    private mutating func compress(_ unsorted: [(mean: Double, weight: Double)]) {
        let points = unsorted.sorted { $0.mean < $1.mean }
        let total = points.reduce(0) { $0 + $1.weight }
        var newMeans: [Double] = []
        var newWeights: [Double] = []
        newMeans.reserveCapacity(Int(compression))
        newWeights.reserveCapacity(Int(compression))
        var currentMean = points[0].mean
        var currentWeight = points[0].weight
        var weightSoFar = 0.0
        var limit = total * inverseScale(scale(0) + 1)
        for point in points.dropFirst() {
            if weightSoFar + currentWeight + point.weight <= limit {
                currentWeight += point.weight
                currentMean += (point.mean - currentMean) * point.weight / currentWeight
            } else {
                weightSoFar += currentWeight
                newMeans.append(currentMean)
                newWeights.append(currentWeight)
                limit = total * inverseScale(scale(weightSoFar / total) + 1)
                currentMean = point.mean
                currentWeight = point.weight
            }
        }
        newMeans.append(currentMean)
        newWeights.append(currentWeight)
        means = newMeans
        weights = newWeights
    }

    /// The `k₁` scale function: quantile to centroid index space.
    private func scale(_ quantile: Double) -> Double {
        compression / (2 * Double.pi) * asin(2 * Swift.min(Swift.max(quantile, 0), 1) - 1)
    }

    /// The inverse of `scale`, clamped to [0, 1].
    private func inverseScale(_ index: Double) -> Double {
        let angle = Swift.min(Swift.max(index * 2 * Double.pi / compression, -Double.pi / 2), Double.pi / 2)
        return (sin(angle) + 1) / 2
    }

    /// The anchors of the piecewise-linear CDF: (value, cumulative weight) at the minimum,
    /// at every centroid's centre, and at the maximum. Call on a flushed digest.
    private var anchors: [(value: Double, rank: Double)] {
        var result: [(value: Double, rank: Double)] = [(minimum, 0)]
        var cumulative = 0.0
        for (mean, weight) in zip(means, weights) {
            result.append((mean, cumulative + weight / 2))
            cumulative += weight
        }
        result.append((maximum, cumulative))
        return result
    }

    /// The estimated value at quantile `q` ∈ [0, 1]; 0 for an empty digest.
    func quantile(_ q: Double) -> Double {
        guard count > 0 else { return 0 }
        let points = flushed.anchors
        let target = Swift.min(Swift.max(q, 0), 1) * Double(count)
        for index in 1..<points.count where target <= points[index].rank {
            let low = points[index - 1], high = points[index]
            let span = high.rank - low.rank
            let fraction = span > 0 ? (target - low.rank) / span : 0
            return low.value * (1 - fraction) + high.value * fraction
        }
        return maximum
    }

    /// The estimated share of values ≤ `value`, in [0, 1].
    func cumulativeShare(atOrBelow value: Double) -> Double {
        guard count > 0 else { return 0 }
        if value < minimum { return 0 }
        if value >= maximum { return 1 }
        let points = flushed.anchors
        for index in 1..<points.count where value < points[index].value {
            let low = points[index - 1], high = points[index]
            let span = high.value - low.value
            let fraction = span > 0 ? (value - low.value) / span : 1
            return (low.rank + (high.rank - low.rank) * fraction) / Double(count)
        }
        return 1
    }

    /// Encodes a flushed copy, so the saved form never carries a buffer.
    func encode(to encoder: any Encoder) throws {
        let digest = flushed
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(digest.compression, forKey: .compression)
        try container.encode(digest.means, forKey: .means)
        try container.encode(digest.weights, forKey: .weights)
        try container.encode(digest.buffer, forKey: .buffer)
        try container.encode(digest.minimum, forKey: .minimum)
        try container.encode(digest.maximum, forKey: .maximum)
        try container.encode(digest.count, forKey: .count)
    }
}
