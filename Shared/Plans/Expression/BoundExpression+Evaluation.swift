import CivilTime
import Contracts
import Tabular
/// Tree-walking evaluation of bound expressions.
///
/// The tree depth is capped by the parser, so the recursion here is bounded; every failure
/// is a thrown `ExpressionError`, never a trap (integer overflow falls back to floating
/// point, division by zero gives null, out-of-range indices read as null).
extension BoundExpression.Node {
    /// Evaluates the node over `row`.
    func evaluate(_ row: [CellValue]) throws(ExpressionError) -> CellValue {
        switch self {
        case .literal(let value):
            return value
        case .column(let index, _):
            return index < row.count ? row[index] : .null
        case .negate(let operand):
            return try ValueSemantics.negate(operand.evaluate(row))
        case .identity(let operand):
            return try ValueSemantics.identity(operand.evaluate(row))
        case .not(let operand):
            guard let truth = try ValueSemantics.truth(operand.evaluate(row), context: "'not'") else { return .null }
            return .bool(!truth)
        case .and(let lhs, let rhs):
            let left = try ValueSemantics.truth(lhs.evaluate(row), context: "'and'")
            if left == false { return .bool(false) }
            let right = try ValueSemantics.truth(rhs.evaluate(row), context: "'and'")
            if right == false { return .bool(false) }
            return left == true && right == true ? .bool(true) : .null
        case .or(let lhs, let rhs):
            let left = try ValueSemantics.truth(lhs.evaluate(row), context: "'or'")
            if left == true { return .bool(true) }
            let right = try ValueSemantics.truth(rhs.evaluate(row), context: "'or'")
            if right == true { return .bool(true) }
            return left == false && right == false ? .bool(false) : .null
        case .concat(let lhs, let rhs):
            return .string(try lhs.evaluate(row).csvText + rhs.evaluate(row).csvText)
        case .arithmetic(let op, let lhs, let rhs):
            return try ValueSemantics.arithmetic(op, lhs.evaluate(row), rhs.evaluate(row))
        case .compare(let op, let lhs, let rhs):
            return try ValueSemantics.compare(op, lhs.evaluate(row), rhs.evaluate(row))
        case .call(let function, let arguments):
            return try function.evaluate(arguments, row)
        }
    }

    /// Evaluates the node as a condition: `true` only for a true result; null is `false`.
    func isTrue(_ row: [CellValue]) throws(ExpressionError) -> Bool {
        try ValueSemantics.truth(evaluate(row), context: "a condition") ?? false
    }
}

/// Argument helpers shared by the function implementations.
extension ExpressionFunction {
    /// The text of a value for text functions (`12` → `"12"`); `nil` for null.
    static func text(_ value: CellValue) -> String? {
        value.isNull ? nil : value.csvText
    }

    /// A number argument; `nil` for null, throws for non-numbers.
    func number(_ value: CellValue, _ what: String) throws(ExpressionError) -> ValueSemantics.Numeric? {
        if value.isNull { return nil }
        guard let number = ValueSemantics.numeric(value) else {
            throw ExpressionError(message: "\(name)() needs a number for \(what), but got "
                + ValueSemantics.describe(value), value: value.csvText)
        }
        return number
    }

    /// A whole-number argument (an integral `.number` is accepted).
    func integer(_ value: CellValue, _ what: String) throws(ExpressionError) -> Int? {
        guard let number = try number(value, what) else { return nil }
        switch number {
        case .integer(let integer): return Int(integer)
        case .number(let double):
            if double.rounded() == double, Swift.abs(double) < 1e15 { return Int(double) }
            throw ExpressionError(message: "\(name)() needs a whole number for \(what), but got \(double)",
                                  value: String(double))
        }
    }

    /// A date argument: an ISO date or datetime text; `nil` for null, throws otherwise.
    func date(_ value: CellValue) throws(ExpressionError) -> CivilDate? {
        if value.isNull { return nil }
        if case .string(let text) = value, let date = CivilDate(iso: TextTransforms.trimmed(text)) {
            return date
        }
        throw ExpressionError(message: "\(name)() needs an ISO date such as 2024-03-01, but got "
            + ValueSemantics.describe(value) + " (cast the column to date first)", value: value.csvText)
    }

    /// A `Double` rounded to an integer cell when it fits, else kept as a number.
    static func integral(_ value: Double) -> CellValue {
        if value >= -9.2e18, value <= 9.2e18 { return .integer(Int64(value)) }
        return .number(value)
    }
}
