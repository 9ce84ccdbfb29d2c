import Contracts
import Tabular
/// How expression operators treat cell values: numbers, text, booleans and null.
///
/// - A number is an `.integer` or `.number`, or `.string` text that reads as one after
///   trimming (`" 42 "`, `"3.5"`, `"1e3"`, also `"007"` → 7). Integer arithmetic stays
///   integral unless it overflows, when it falls back to floating point; `/` always gives a
///   `.number`; dividing by zero (also `%`) gives null.
/// - A boolean is a `.bool`, or the text `true` / `false` in any letter case.
/// - Comparing a number with text that is not a number: `=` is false, `!=` true, and
///   ordering is an error. Two texts compare exactly, by Unicode order (ISO dates
///   therefore compare chronologically).
enum ValueSemantics {
    /// A value in arithmetic.
    enum Numeric {
        case integer(Int64)
        case number(Double)

        var double: Double {
            switch self {
            case .integer(let value): Double(value)
            case .number(let value): value
            }
        }

        var cell: CellValue {
            switch self {
            case .integer(let value): .integer(value)
            case .number(let value): .number(value)
            }
        }
    }

    /// The number in a value, or `nil` when it has none (null, booleans, other text).
    static func numeric(_ value: CellValue) -> Numeric? {
        switch value {
        case .integer(let integer): return .integer(integer)
        case .number(let number): return .number(number)
        case .string(let text): return numeric(text: text)
        case .null, .bool: return nil
        }
    }

    /// Reads numeric text after trimming; leading zeros are accepted (`"007"` → 7).
    static func numeric(text: String) -> Numeric? {
        let trimmed = TextTransforms.trimmed(text)
        switch NumericText.shape(of: trimmed.utf8) {
        case .integer:
            if let integer = Int64(trimmed) { return .integer(integer) }
            if let number = Double(trimmed), number.isFinite { return .number(number) }
            return nil
        case .decimal:
            if let number = Double(trimmed), number.isFinite { return .number(number) }
            return nil
        case .other:
            return nil
        }
    }

    /// The truth of a value: `nil` for null; throws for anything not boolean.
    static func truth(_ value: CellValue, context: String) throws(ExpressionError) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .null: return nil
        case .string(let text):
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: break
            }
        case .integer, .number: break
        }
        throw ExpressionError(message: "\(context) needs true or false, but got \(describe(value))",
                              value: value.csvText)
    }

    /// A value for messages: `text 'a'`, `integer 2`, `null`.
    static func describe(_ value: CellValue) -> String {
        switch value {
        case .null: "null"
        case .string(let text): "text '\(text.count > 40 ? String(text.prefix(37)) + "..." : text)'"
        case .integer(let integer): "integer \(integer)"
        case .number(let number): "number \(number)"
        case .bool(let flag): "boolean \(flag)"
        }
    }

    /// `+ - * / %` with null propagation; `+` on two texts that are not both numbers joins them.
    static func arithmetic(_ op: ExpressionSyntax.BinaryOperator, _ lhs: CellValue,
                           _ rhs: CellValue) throws(ExpressionError) -> CellValue {
        if lhs.isNull || rhs.isNull { return .null }
        guard let left = numeric(lhs), let right = numeric(rhs) else {
            if op == .add, case .string(let a) = lhs, case .string(let b) = rhs { return .string(a + b) }
            let culprit = numeric(lhs) == nil ? lhs : rhs
            throw ExpressionError(message: "'\(op.rawValue)' needs numbers, but got \(describe(culprit))"
                + (op == .add ? " (use & to join text)" : ""), value: culprit.csvText)
        }
        if case .integer(let a) = left, case .integer(let b) = right, op != .divide {
            let result: (partialValue: Int64, overflow: Bool)
            switch op {
            case .add: result = a.addingReportingOverflow(b)
            case .subtract: result = a.subtractingReportingOverflow(b)
            case .multiply: result = a.multipliedReportingOverflow(by: b)
            default:
                if b == 0 { return .null }
                result = a.remainderReportingOverflow(dividingBy: b)
            }
            if !result.overflow { return .integer(result.partialValue) }
        }
        let a = left.double, b = right.double
        let value: Double
        switch op {
        case .add: value = a + b
        case .subtract: value = a - b
        case .multiply: value = a * b
        case .divide:
            if b == 0 { return .null }
            value = a / b
        default:
            if b == 0 { return .null }
            value = a.truncatingRemainder(dividingBy: b)
        }
        guard value.isFinite else {
            throw ExpressionError(message: "the result of '\(op.rawValue)' is too large to represent")
        }
        return .number(value)
    }

    /// Unary minus.
    static func negate(_ value: CellValue) throws(ExpressionError) -> CellValue {
        if value.isNull { return .null }
        switch numeric(value) {
        case .integer(let integer)?:
            return integer == .min ? .number(-Double(integer)) : .integer(-integer)
        case .number(let number)?:
            return .number(-number)
        case nil:
            throw ExpressionError(message: "'-' needs a number, but got \(describe(value))", value: value.csvText)
        }
    }

    /// Unary plus: the value as a number.
    static func identity(_ value: CellValue) throws(ExpressionError) -> CellValue {
        if value.isNull { return .null }
        guard let number = numeric(value) else {
            throw ExpressionError(message: "'+' needs a number, but got \(describe(value))", value: value.csvText)
        }
        return number.cell
    }
}
