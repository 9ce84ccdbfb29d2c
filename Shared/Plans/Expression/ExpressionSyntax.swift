import Contracts
import Tabular
/// The parsed, unresolved form of an expression: what the user wrote, with positions.
///
/// Column names are still names here; `bind` turns this tree into a `BoundExpression.Node`
/// whose column references are slot indices, so evaluation never looks a name up.
indirect enum ExpressionSyntax: Sendable, Hashable {
    /// Prefix operators.
    enum UnaryOperator: String, Sendable, Hashable {
        case negate = "-", plus = "+", not
    }

    /// Infix operators, from loosest to tightest binding: `or`; `and`; comparisons;
    /// `&`; `+ -`; `* / %`.
    enum BinaryOperator: String, Sendable, Hashable {
        case or, and
        case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
        case concat = "&"
        case add = "+", subtract = "-"
        case multiply = "*", divide = "/", remainder = "%"

        /// Whether the operator compares two values.
        var isComparison: Bool {
            switch self {
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
            default: false
            }
        }
    }

    case literal(CellValue, position: Int)
    case column(String, position: Int)
    case unary(UnaryOperator, ExpressionSyntax, position: Int)
    case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax, position: Int)
    case call(ExpressionFunction, [ExpressionSyntax], position: Int)

    /// 1-based position of the node's token (the operator for operations, the name for calls).
    var position: Int {
        switch self {
        case .literal(_, let position), .column(_, let position), .unary(_, _, let position),
             .binary(_, _, _, let position), .call(_, _, let position):
            position
        }
    }

    /// Every column name referenced, with its position, in reading order.
    var columnReferences: [(name: String, position: Int)] {
        var result: [(name: String, position: Int)] = []
        collectColumns(into: &result)
        return result
    }

    private func collectColumns(into result: inout [(name: String, position: Int)]) {
        switch self {
        case .literal: break
        case .column(let name, let position): result.append((name, position))
        case .unary(_, let operand, _): operand.collectColumns(into: &result)
        case .binary(_, let lhs, let rhs, _):
            lhs.collectColumns(into: &result)
            rhs.collectColumns(into: &result)
        case .call(_, let arguments, _):
            for argument in arguments { argument.collectColumns(into: &result) }
        }
    }

    /// Resolves column names to slots with `resolve`, which throws for an unknown name.
    func bind(_ resolve: (String, Int) throws(PlanError) -> Int) throws(PlanError) -> BoundExpression.Node {
        switch self {
        case .literal(let value, _):
            return .literal(value)
        case .column(let name, let position):
            return .column(try resolve(name, position), name: name)
        case .unary(let op, let operand, _):
            let bound = try operand.bind(resolve)
            switch op {
            case .negate: return .negate(bound)
            case .plus: return .identity(bound)
            case .not: return .not(bound)
            }
        case .binary(let op, let lhs, let rhs, _):
            let left = try lhs.bind(resolve)
            let right = try rhs.bind(resolve)
            switch op {
            case .and: return .and(left, right)
            case .or: return .or(left, right)
            case .concat: return .concat(left, right)
            case .add, .subtract, .multiply, .divide, .remainder: return .arithmetic(op, left, right)
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return .compare(op, left, right)
            }
        case .call(let function, let arguments, _):
            var bound: [BoundExpression.Node] = []
            bound.reserveCapacity(arguments.count)
            for argument in arguments { bound.append(try argument.bind(resolve)) }
            return .call(function, bound)
        }
    }
}
