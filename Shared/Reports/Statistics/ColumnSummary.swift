import Contracts
import Tabular
/// The reportable statistics of one column: what `summary.json`, the CSV summary, the XLSX
/// "Summary" sheet and the PDF report show.
///
/// Optional parts are omitted from JSON when they do not apply (`numeric` for a column
/// without numbers, `textLength` for one without text). Every approximate figure names its
/// method next to it, so a reader never mistakes an estimate for a count.
public struct ColumnSummary: Codable, Sendable, Equatable {
    /// The column's name.
    public var name: String
    /// What the non-null cells mostly are; decides which chart the report draws.
    public var kind: Kind
    /// Non-null cells.
    public var count: Int
    /// `.null` cells.
    public var nulls: Int
    /// Distinct non-null values (exact, or estimated when `distinctApproximate`).
    public var distinct: Int
    /// Whether `distinct` is an estimate.
    public var distinctApproximate: Bool
    /// `exact` or `hyperloglog(p=14)`.
    public var distinctMethod: String
    /// Non-null cells per type.
    public var valueTypes: ValueTypes
    /// Statistics of the finite numeric cells, if there were any.
    public var numeric: Numeric?
    /// Shortest and longest text cell in characters, if there was text.
    public var textLength: TextLength?
    /// The most frequent values, by count descending and then by value.
    public var topValues: [TopValue]
    /// `exact` or `misra-gries(k=…)`; with Misra–Gries the counts are lower bounds.
    public var topValuesMethod: String

    /// The dominant type of a column's non-null cells.
    public enum Kind: String, Codable, Sendable {
        /// Every cell was null.
        case empty
        /// Only integers and decimals.
        case numeric
        /// Only text.
        case text
        /// Only booleans.
        case boolean
        /// More than one of the above.
        case mixed
    }

    /// Non-null cells per type.
    public struct ValueTypes: Codable, Sendable, Equatable {
        /// `.integer` cells.
        public var integer = 0
        /// Finite `.number` cells.
        public var number = 0
        /// `.number` cells holding NaN or ±infinity, left out of numeric statistics.
        public var nonFinite = 0
        /// `.string` cells.
        public var string = 0
        /// `.bool` cells.
        public var boolean = 0
        /// `.bool(true)` cells, so a boolean column's true rate needs no top-values lookup.
        public var booleanTrue = 0

        /// All zero.
        public init() {}

        /// Adds another chunk's counts.
        mutating func merge(_ other: ValueTypes) {
            integer += other.integer
            number += other.number
            nonFinite += other.nonFinite
            string += other.string
            boolean += other.boolean
            booleanTrue += other.booleanTrue
        }

        /// The column kind these counts describe.
        var kind: Kind {
            let numeric = integer + number + nonFinite
            let present = [numeric, string, boolean].filter { $0 > 0 }.count
            if present == 0 { return .empty }
            if present > 1 { return .mixed }
            return numeric > 0 ? .numeric : string > 0 ? .text : .boolean
        }
    }

    /// Statistics of the finite numeric cells.
    public struct Numeric: Codable, Sendable, Equatable {
        /// How many values these statistics cover.
        public var count: Int
        /// The smallest value.
        public var min: Double
        /// The largest value.
        public var max: Double
        /// The arithmetic mean; omitted if extreme values overflowed it.
        public var mean: Double?
        /// The sample standard deviation (divisor n − 1); omitted below two values.
        public var stddev: Double?
        /// The median.
        public var p50: Double
        /// The 90th percentile.
        public var p90: Double
        /// The 99th percentile.
        public var p99: Double
        /// `exact` (linear interpolation between closest ranks, numpy's default) or
        /// `t-digest(δ=…)`.
        public var percentileMethod: String
        /// Equal-width bins between `min` and `max`.
        public var histogram: Histogram
    }

    /// A histogram of equal-width bins; the last bin includes the column's maximum.
    ///
    /// For a column of integers spanning fewer values than bins, `binWidth` is 1 and bin `i`
    /// holds exactly the value `min + i` (see `ColumnStatistics.summary`).
    public struct Histogram: Codable, Sendable, Equatable {
        /// The lower edge of the first bin.
        public var min: Double
        /// The upper edge of the last bin: the column's maximum, or maximum + 1 for
        /// one-per-integer bins.
        public var max: Double
        /// The width of every bin (0 when all values are equal and there is one bin).
        public var binWidth: Double
        /// Values per bin; they add up to `Numeric.count`.
        public var counts: [Int]
        /// `exact`, or `t-digest(δ=…)` when the counts were read off the digest's CDF.
        public var method: String

        /// A histogram from its parts.
        public init(min: Double, max: Double, binWidth: Double, counts: [Int], method: String) {
            self.min = min
            self.max = max
            self.binWidth = binWidth
            self.counts = counts
            self.method = method
        }

        /// The lower edge of bin `index`.
        public func lowerEdge(ofBin index: Int) -> Double { min + binWidth * Double(index) }
    }

    /// One frequent value and how often it occurred.
    public struct TopValue: Codable, Sendable, Equatable {
        /// The value as plain JSON (non-finite numbers as their text, which JSON lacks).
        public var value: CellValue
        /// Occurrences (a lower bound under Misra–Gries).
        public var count: Int

        /// A top value from its parts.
        public init(value: CellValue, count: Int) {
            self.value = value
            self.count = count
        }
    }

    /// The shortest and longest text cell.
    public struct TextLength: Codable, Sendable, Equatable {
        /// Characters in the shortest text cell.
        public var min: Int
        /// Characters in the longest text cell.
        public var max: Int

        /// A length range from its parts.
        public init(min: Int, max: Int) {
            self.min = min
            self.max = max
        }
    }
}
