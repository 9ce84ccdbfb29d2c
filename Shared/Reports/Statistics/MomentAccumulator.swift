import Contracts
import Tabular
/// Count, minimum, maximum, mean and variance of a stream of finite numbers.
///
/// Values are folded in with Welford's online update, which avoids the catastrophic
/// cancellation of the textbook `Σx² − (Σx)²/n` formula. Two partial results are combined
/// with the pairwise formula of Chan, Golub and LeVeque, so chunks can be reduced in any
/// tree shape; the result matches a sequential pass up to floating-point rounding.
struct MomentAccumulator: Codable, Sendable, Equatable {
    /// How many values were added.
    private(set) var count: Int = 0
    /// The running mean; 0 while `count` is 0.
    private(set) var mean: Double = 0
    /// The sum of squared differences from the mean (`M2` in Welford's notation).
    private(set) var sumOfSquares: Double = 0
    /// The smallest value, `nil` while empty (JSON has no infinity to start from).
    private(set) var minimum: Double?
    /// The largest value, `nil` while empty.
    private(set) var maximum: Double?

    /// Folds one finite value into the moments.
    @inline(__always)
    mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        sumOfSquares += delta * (value - mean)
        if let low = minimum {
            if value < low { minimum = value }
            if value > maximum! { maximum = value }
        } else {
            minimum = value
            maximum = value
        }
    }

    /// Combines another accumulator's values with these (Chan et al.'s parallel update).
    mutating func merge(_ other: MomentAccumulator) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let total = Double(count + other.count)
        let delta = other.mean - mean
        let ownShare = Double(count) / total
        let otherShare = Double(other.count) / total
        mean = mean * ownShare + other.mean * otherShare
        sumOfSquares += other.sumOfSquares + delta * delta * Double(count) * otherShare
        count += other.count
        minimum = Swift.min(minimum!, other.minimum!)
        maximum = Swift.max(maximum!, other.maximum!)
    }

    /// The sample variance (divisor `n − 1`, as pandas and R report it); `nil` below two values.
    var sampleVariance: Double? {
        count > 1 ? sumOfSquares / Double(count - 1) : nil
    }

    /// The sample standard deviation; `nil` below two values or if it overflowed.
    var sampleStandardDeviation: Double? {
        guard let variance = sampleVariance else { return nil }
        let deviation = variance.squareRoot()
        return deviation.isFinite ? deviation : nil
    }

    /// The mean, or `nil` when empty or when extreme inputs overflowed it.
    var finiteMean: Double? {
        count > 0 && mean.isFinite ? mean : nil
    }
}
