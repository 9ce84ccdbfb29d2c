import Contracts
import Tabular
/// Equality and ordering of cell values, shared by expressions, filter rules and `min`/`max`.
extension ValueSemantics {
    /// A comparison operator applied with null propagation: null on either side gives null.
    static func compare(_ op: ExpressionSyntax.BinaryOperator, _ lhs: CellValue,
                        _ rhs: CellValue) throws(ExpressionError) -> CellValue {
        if lhs.isNull || rhs.isNull { return .null }
        switch op {
        case .equal: return .bool(equals(lhs, rhs))
        case .notEqual: return .bool(!equals(lhs, rhs))
        default: break
        }
        let order = try ordering(lhs, rhs, operator: op.rawValue)
        switch op {
        case .less: return .bool(order < 0)
        case .lessEqual: return .bool(order <= 0)
        case .greater: return .bool(order > 0)
        default: return .bool(order >= 0)
        }
    }

    /// Whether two non-null values are equal: numbers by value (`1 = 1.0`, `'7' = 7`),
    /// texts exactly, booleans with booleans or the text `true`/`false`; any other pair is
    /// unequal.
    static func equals(_ lhs: CellValue, _ rhs: CellValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.bool(let flag), .string(let text)), (.string(let text), .bool(let flag)):
            let lowered = text.lowercased()
            return (flag && lowered == "true") || (!flag && lowered == "false")
        case (.integer(let a), .integer(let b)): return a == b
        case (.integer, _), (.number, _), (_, .integer), (_, .number):
            guard let a = numeric(lhs), let b = numeric(rhs) else { return false }
            return numericOrder(a, b) == 0
        default:
            return false
        }
    }

    /// Orders two non-null values: -1, 0 or 1. Numbers (and numeric text next to a number)
    /// numerically, two texts by Unicode order; anything else is an error naming `op`.
    static func ordering(_ lhs: CellValue, _ rhs: CellValue,
                         operator op: String) throws(ExpressionError) -> Int {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)):
            return a == b ? 0 : (a < b ? -1 : 1)
        case (.integer, _), (.number, _), (_, .integer), (_, .number):
            if let a = numeric(lhs), let b = numeric(rhs), !lhs.isBool, !rhs.isBool {
                return numericOrder(a, b)
            }
        default:
            break
        }
        let culprit = lhs.isNumeric ? rhs : lhs
        throw ExpressionError(message: "cannot use '\(op)' on \(describe(lhs)) and \(describe(rhs)); "
            + "order compares numbers with numbers and text with text", value: culprit.csvText)
    }

    /// Orders two numbers, exactly for two integers.
    static func numericOrder(_ lhs: Numeric, _ rhs: Numeric) -> Int {
        if case .integer(let a) = lhs, case .integer(let b) = rhs { return a == b ? 0 : (a < b ? -1 : 1) }
        let a = lhs.double, b = rhs.double
        return a == b ? 0 : (a < b ? -1 : 1)
    }
}

extension CellValue {
    /// Whether this is `.integer` or `.number`.
    var isNumeric: Bool {
        switch self {
        case .integer, .number: true
        default: false
        }
    }

    /// Whether this is `.bool`.
    var isBool: Bool {
        if case .bool = self { return true }
        return false
    }
}
