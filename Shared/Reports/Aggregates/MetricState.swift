import Contracts
import Tabular
/// The running value of one metric for one group.
///
/// One type serves every `AggregateFunction` so a group's metrics sit in one flat array;
/// each function reads the fields it needs. Sums use Neumaier's compensated summation so a
/// million small decimals do not drift, and integer sums stay exact in `Int64` until they
/// would overflow.
struct MetricState: Sendable, Equatable {
    /// Rows of the group seen by this metric (the `rate` denominator, the `count` without a
    /// column).
    var rows = 0
    /// Non-null cells (the `count` with a column).
    var nonNull = 0
    /// Numeric cells folded into sum, mean, min and max.
    var numeric = 0
    /// Hits for `rate`.
    var hits = 0
    /// The compensated decimal sum and its running compensation.
    var sum = 0.0
    private var compensation = 0.0
    /// The exact integer sum, valid while `integersOnly`.
    var integerSum: Int64 = 0
    /// Whether every numeric cell was an integer and `integerSum` has not overflowed.
    var integersOnly = true
    /// The smallest and largest numeric cell, kept as cells so integers stay integers.
    var minimum: CellValue = .null
    var maximum: CellValue = .null

    /// Folds one cell in for `function`; `equals` is the rate's condition, if any.
    @inline(__always)
    mutating func add(_ cell: CellValue, function: AggregateFunction, equals: String?) {
        rows += 1
        if cell.isNull { return }
        nonNull += 1
        switch function {
        case .count: return
        case .rate:
            if let equals {
                if cell.csvText == equals { hits += 1 }
            } else if AggregateFunction.isTruthy(cell) {
                hits += 1
            }
        case .mean, .sum, .min, .max:
            switch cell {
            case .integer(let number): addNumber(Double(number), cell: cell, integer: number)
            case .number(let number) where number.isFinite: addNumber(number, cell: cell, integer: nil)
            default: return
            }
        }
    }

    /// Adds a numeric cell to the sum and extremes.
    private mutating func addNumber(_ number: Double, cell: CellValue, integer: Int64?) {
        numeric += 1
        addToSum(number)
        if let integer, integersOnly {
            let (total, overflow) = integerSum.addingReportingOverflow(integer)
            if overflow { integersOnly = false } else { integerSum = total }
        } else {
            integersOnly = false
        }
        if minimum.isNull || number < minimum.doubleValue! { minimum = cell }
        if maximum.isNull || number > maximum.doubleValue! { maximum = cell }
    }

    /// Neumaier's variant of Kahan summation.
    private mutating func addToSum(_ number: Double) {
        let total = sum + number
        if abs(sum) >= abs(number) {
            compensation += (sum - total) + number
        } else {
            compensation += (number - total) + sum
        }
        sum = total
    }

    /// Combines the same metric of the same group from another chunk.
    mutating func merge(_ other: MetricState) {
        rows += other.rows
        nonNull += other.nonNull
        numeric += other.numeric
        hits += other.hits
        addToSum(other.sum)
        addToSum(other.compensation)
        if integersOnly, other.integersOnly {
            let (total, overflow) = integerSum.addingReportingOverflow(other.integerSum)
            if overflow { integersOnly = false } else { integerSum = total }
        } else {
            integersOnly = false
        }
        if let theirs = other.minimum.doubleValue, minimum.isNull || theirs < minimum.doubleValue! {
            minimum = other.minimum
        }
        if let theirs = other.maximum.doubleValue, maximum.isNull || theirs > maximum.doubleValue! {
            maximum = other.maximum
        }
    }

    /// The metric's value; `.null` when there is nothing to report (or it overflowed).
    func result(_ function: AggregateFunction, hasColumn: Bool) -> CellValue {
        func finite(_ number: Double) -> CellValue { number.isFinite ? .number(number) : .null }
        switch function {
        case .count: return .integer(Int64(hasColumn ? nonNull : rows))
        case .rate: return rows == 0 ? .null : .number(Double(hits) / Double(rows))
        case .min: return minimum
        case .max: return maximum
        case .sum:
            if numeric == 0 { return .null }
            return integersOnly ? .integer(integerSum) : finite(sum + compensation)
        case .mean:
            return numeric == 0 ? .null : finite((sum + compensation) / Double(numeric))
        }
    }
}
