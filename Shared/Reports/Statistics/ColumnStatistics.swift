import Contracts
import Tabular
/// Mergeable statistics of one column, fed one cell at a time.
///
/// The publish stage creates one value per output column, calls `add(_:)` for every cell in
/// row order, and combines results of separately processed chunks with `merge(_:)`. The
/// `summary` is the reportable result (`ColumnSummary`): counts, distinct values, numeric
/// moments, percentiles, a histogram, top values and text lengths.
///
/// What is counted:
/// - `count` is the number of non-null cells; `.null` cells are counted in `nulls` only.
/// - Numeric statistics use `.integer` and finite `.number` cells. NaN and ±infinity (which
///   `CellValue.coerce` never produces) are counted in `ColumnSummary.ValueTypes.nonFinite`
///   and excluded from them. Text that looks numeric is text: typing is the transform
///   stage's job.
/// - Distinct and top values compare cells as `CellValue` does, so `.integer(1)`,
///   `.number(1.0)` and `.string("1")` are three different values.
/// - Text lengths are counted in `Character`s (what a person sees as one letter).
///
/// Memory is bounded by `StatisticsLimits`; beyond the caps the summary says which
/// approximation was used (`distinctMethod`, `percentileMethod`, `topValuesMethod`).
///
/// The type is `Codable` so partial results can travel between workers. The same cells in
/// the same order always give the same state and the same summary, byte for byte once
/// encoded with sorted keys: no step uses randomness.
public struct ColumnStatistics: Codable, Sendable, Equatable {
    /// The column's name, carried into the summary.
    public private(set) var name: String
    /// The caps in force; on `merge` the receiver's limits win.
    public private(set) var limits: StatisticsLimits
    /// Non-null cells seen.
    public private(set) var count = 0
    /// `.null` cells seen.
    public private(set) var nulls = 0
    /// Cells per type, for the summary's `valueTypes`.
    private var types = ColumnSummary.ValueTypes()
    /// Moments of the finite numeric cells.
    private var moments = MomentAccumulator()
    /// Every finite numeric value in arrival order, while at most `exactPercentileCap`.
    private var exactValues: [Double]? = []
    /// The digest that replaces `exactValues` beyond the cap.
    private var digest: TDigest?
    /// Distinct and top values.
    private var frequencies = ValueFrequencies()
    /// The shortest and longest text cell, in characters.
    private var textLengths: ClosedRange<Int>?

    /// Empty statistics for the column `name`.
    public init(name: String, limits: StatisticsLimits = .default) {
        self.name = name
        self.limits = limits
    }

    /// Folds one cell into the statistics.
    public mutating func add(_ value: CellValue) {
        switch value {
        case .null:
            nulls += 1
            return
        case .integer(let number):
            types.integer += 1
            addNumber(Double(number))
            frequencies.add(.integer(number), limits: limits)
        case .number(let number):
            if number.isFinite {
                types.number += 1
                addNumber(number)
            } else {
                types.nonFinite += 1
            }
            frequencies.add(.number(ValueKey.canonicalBits(number)), limits: limits)
        case .string(let text):
            types.string += 1
            let length = Self.characterCount(text)
            if let range = textLengths {
                if length < range.lowerBound || length > range.upperBound {
                    textLengths = Swift.min(length, range.lowerBound)...Swift.max(length, range.upperBound)
                }
            } else {
                textLengths = length...length
            }
            frequencies.add(.string(text), limits: limits)
        case .bool(let flag):
            types.boolean += 1
            if flag { types.booleanTrue += 1 }
            frequencies.add(.bool(flag), limits: limits)
        }
        count += 1
    }

    /// `text.count` (user-perceived characters), without the grapheme walk for the common
    /// case: ASCII with no CR (CR LF is one character) has one character per byte.
    static func characterCount(_ text: String) -> Int {
        var text = text
        let fast = text.withUTF8 { bytes -> Int? in
            guard ASCIIText.isASCII(bytes), !bytes.contains(0x0D) else { return nil }
            return bytes.count
        }
        return fast ?? text.count
    }

    /// Folds in every cell of a sequence, in order.
    public mutating func add(contentsOf values: some Sequence<CellValue>) {
        for value in values { add(value) }
    }

    /// Combines the statistics of another chunk of the same column into these.
    ///
    /// Counts, moments, distinct and top values combine exactly while both sides are exact
    /// and the union stays under the caps; the result then equals one sequential pass (up
    /// to floating-point rounding of mean and standard deviation). Otherwise the union is
    /// approximated with the same methods `add` would have switched to.
    public mutating func merge(_ other: ColumnStatistics) {
        count += other.count
        nulls += other.nulls
        types.merge(other.types)
        moments.merge(other.moments)
        frequencies.merge(other.frequencies, limits: limits)
        if let theirs = other.textLengths {
            textLengths = textLengths.map {
                Swift.min($0.lowerBound, theirs.lowerBound)...Swift.max($0.upperBound, theirs.upperBound)
            } ?? theirs
        }
        mergeValues(of: other)
    }

    /// Records a finite number for moments and percentiles.
    @inline(__always)
    private mutating func addNumber(_ number: Double) {
        moments.add(number)
        if exactValues != nil {
            exactValues!.append(number)
            if exactValues!.count > limits.exactPercentileCap { switchToDigest() }
        } else {
            digest!.add(number)
        }
    }

    /// Combines the numeric values kept for percentiles and the histogram.
    private mutating func mergeValues(of other: ColumnStatistics) {
        if let theirs = other.exactValues, exactValues != nil,
            exactValues!.count + theirs.count <= limits.exactPercentileCap
        {
            exactValues!.append(contentsOf: theirs)
            return
        }
        switchToDigest()
        if let theirs = other.digest {
            digest!.merge(theirs)
        } else if let theirs = other.exactValues {
            var converted = TDigest(compression: Double(limits.digestCompression))
            for number in theirs { converted.add(number) }
            digest!.merge(converted)
        }
    }

    /// Moves the exact values into a new t-digest and stops keeping them.
    private mutating func switchToDigest() {
        guard let values = exactValues else { return }
        var created = TDigest(compression: Double(limits.digestCompression))
        for number in values { created.add(number) }
        digest = created
        exactValues = nil
    }

    /// The values for exact percentiles, or `nil` once a digest is in use.
    public var exactNumericValues: [Double]? { exactValues }
    /// The digest, once in use.
    var numericDigest: TDigest? { digest }
    /// The numeric moments.
    var numericMoments: MomentAccumulator { moments }
    /// Cells per type.
    public var valueTypes: ColumnSummary.ValueTypes { types }
    /// Distinct and top values.
    var valueFrequencies: ValueFrequencies { frequencies }
    /// The text length range, if any text was seen.
    public var textLengthRange: ClosedRange<Int>? { textLengths }
}
