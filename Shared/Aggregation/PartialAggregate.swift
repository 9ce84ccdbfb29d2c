import Foundation
import Tabular

/// The mergeable state of one group of one metric: counts, sums, sums of squares, minimum
/// and maximum, true values, and sketches for distinct counts and percentiles. Publish builds
/// one per group and job; the metrics service adds them up over a period and reads the
/// value off the sum, so no dataset is read twice.
public struct PartialAggregate: Codable, Sendable, Hashable {
    /// Rows in the group.
    public var rows: Int = 0
    /// Non-empty values of the column.
    public var count: Int = 0
    /// Numeric values: their number, sum, sum of squares, extremes.
    public var numeric: Int = 0
    public var sum: Double = 0
    public var sumSquares: Double = 0
    public var min: Double?
    public var max: Double?
    /// Values that read as true (for `rate`).
    public var trues: Int = 0
    /// For `distinct`.
    public var distinct: DistinctSketch?
    /// For `percentile`.
    public var quantiles: QuantileSketch?

    /// An empty state, with the sketches `function` needs.
    public init(for function: MetricDefinition.Function? = nil) {
        if function == .distinct { distinct = DistinctSketch() }
        if function == .percentile { quantiles = QuantileSketch() }
    }

    /// Counts one row whose column holds `value` (`.null` without a column).
    public mutating func add(_ value: CellValue) {
        rows += 1
        if value.isNull { return }
        if case .string(let text) = value, text.isEmpty { return }
        count += 1
        if let number = Self.number(value) {
            numeric += 1
            sum += number
            sumSquares += number * number
            min = Swift.min(min ?? number, number)
            max = Swift.max(max ?? number, number)
            quantiles?.add(number)
        }
        if Self.isTrue(value) { trues += 1 }
        if distinct != nil { distinct?.add(Self.canonical(value)) }
    }

    /// Both states as one.
    public mutating func merge(_ other: PartialAggregate) {
        rows += other.rows
        count += other.count
        numeric += other.numeric
        sum += other.sum
        sumSquares += other.sumSquares
        if let m = other.min { min = Swift.min(min ?? m, m) }
        if let m = other.max { max = Swift.max(max ?? m, m) }
        trues += other.trues
        if let sketch = other.distinct {
            if distinct == nil { distinct = sketch } else { distinct?.merge(sketch) }
        }
        if let sketch = other.quantiles {
            if quantiles == nil { quantiles = sketch } else { quantiles?.merge(sketch) }
        }
    }

    /// The value of `function` over what was added; nil when there is none (no values).
    public func value(_ function: MetricDefinition.Function, percentile: Double? = nil, countsRows: Bool = false) -> Double? {
        switch function {
        case .count: return Double(countsRows ? rows : count)
        case .sum: return numeric > 0 ? sum : nil
        case .mean: return numeric > 0 ? sum / Double(numeric) : nil
        case .min: return min
        case .max: return max
        case .rate: return count > 0 ? Double(trues) / Double(count) : nil
        case .percentile: return quantiles?.quantile((percentile ?? 50) / 100)
        case .distinct: return distinct.map { $0.estimate.rounded() }
        case .rank: return nil
        }
    }

    /// The number a cell holds: numbers, and text that reads as one.
    static func number(_ value: CellValue) -> Double? {
        switch value {
        case .integer(let v): return Double(v)
        case .number(let v): return v.isFinite ? v : nil
        case .string(let text):
            // Most text is not a number: look at the first byte before trimming and parsing
            // (this runs for every cell a metric reads, a million times per million rows).
            guard let first = text.utf8.first, Self.mayStartNumber[Int(first)] else { return nil }
            return Double(text.trimmingCharacters(in: .whitespaces))
        case .bool, .null: return nil
        }
    }

    /// The bytes a number's text may start with: digits, a sign, a point, blanks.
    private static let mayStartNumber: [Bool] = (0..<256).map { byte in
        (0x30...0x39).contains(byte) || [0x2B, 0x2D, 0x2E, 0x20, 0x09].contains(byte)
            || ["i", "I", "n", "N"].map { Int(UInt8(ascii: $0)) }.contains(byte)
    }

    static func isTrue(_ value: CellValue) -> Bool {
        switch value {
        case .bool(let v): return v
        case .integer(let v): return v == 1
        case .number(let v): return v == 1
        case .string(let text):
            // Only `true`, `yes` and `1` in any letter case: nothing longer is lower-cased.
            guard text.utf8.count <= 4 else { return false }
            return ["true", "yes", "1"].contains(text.lowercased())
        case .null: return false
        }
    }

    /// The same text for the same value in every job: integral numbers without a fraction.
    static func canonical(_ value: CellValue) -> String {
        switch value {
        case .number(let v) where v.rounded() == v && abs(v) < 1e15: return String(Int64(v))
        default: return value.csvText
        }
    }
}
