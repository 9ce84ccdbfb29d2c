import Contracts
import Tabular
/// A filter condition with columns resolved to slots and regexes compiled.
indirect enum CompiledCondition: Sendable {
    case all([CompiledCondition])
    case any([CompiledCondition])
    case expression(BoundExpression)
    case compare(slot: Int, ExpressionSyntax.BinaryOperator, CellValue)
    case member(slot: Int, MemberSet, negated: Bool)
    case text(slot: Int, FilterOperator, String)
    case isNull(slot: Int, Bool)
    case matches(slot: Int, SharedRegex)

    /// The values of an `in`/`not_in` rule: texts in a set for a fast exact check, other
    /// values (numbers, booleans) compared by `ValueSemantics.equals`.
    struct MemberSet: Sendable {
        let texts: Set<String>
        let others: [CellValue]

        init(_ values: [CellValue]) {
            var texts = Set<String>()
            for case .string(let text) in values { texts.insert(text) }
            self.texts = texts
            others = values.filter { !$0.isNull && !$0.isString }
        }

        func contains(_ value: CellValue) -> Bool {
            if case .string(let text) = value, texts.contains(text) { return true }
            return others.contains { ValueSemantics.equals(value, $0) }
                || (!value.isString && texts.contains { ValueSemantics.equals(value, .string($0)) })
        }
    }

    /// A row-level failure while evaluating a condition.
    struct Failure: Error {
        let code: String
        let message: String
        let value: String?
    }

    /// Whether `row` matches; a null comparison does not match.
    func matches(_ row: [CellValue]) throws(Failure) -> Bool {
        switch self {
        case .all(let conditions):
            for condition in conditions where try !condition.matches(row) { return false }
            return true
        case .any(let conditions):
            for condition in conditions where try condition.matches(row) { return true }
            return false
        case .expression(let expression):
            do {
                return try expression.node.isTrue(row)
            } catch {
                throw Failure(code: "expression-error", message: "\(error.message) in `\(expression.text)`",
                              value: error.value)
            }
        case .compare(let slot, let op, let operand):
            do {
                return try ValueSemantics.compare(op, row[slot], operand) == .bool(true)
            } catch {
                throw Failure(code: "filter-error", message: error.message, value: error.value)
            }
        case .member(let slot, let set, let negated):
            let value = row[slot]
            if value.isNull { return false }
            return set.contains(value) != negated
        case .text(let slot, let op, let part):
            let value = row[slot]
            if value.isNull { return false }
            let text = value.csvText
            switch op {
            case .startsWith: return text.hasPrefix(part)
            case .endsWith: return text.hasSuffix(part)
            default: return part.isEmpty || text.contains(part)
            }
        case .isNull(let slot, let wanted):
            return row[slot].isNull == wanted
        case .matches(let slot, let regex):
            let value = row[slot]
            if value.isNull { return false }
            return regex.matches(in: value.csvText)
        }
    }

    /// Compiles `condition` against the columns in `scope`.
    static func compile(_ condition: FilterCondition, scope: ColumnScope) throws(PlanError) -> CompiledCondition {
        switch condition {
        case .all(let list), .any(let list):
            guard !list.isEmpty else {
                throw PlanError(code: .invalidStep, detail: "an empty \(condition.groupName) group matches "
                    + (condition.groupName == "all" ? "every" : "no") + " row; list at least one condition")
            }
            var compiled: [CompiledCondition] = []
            for item in list { compiled.append(try compile(item, scope: scope)) }
            if case .all = condition { return .all(compiled) }
            return .any(compiled)
        case .expression(let text):
            return .expression(try PlanExpression(text).bind(columns: scope.names) { scope.slot(of: $0) })
        case .rule(let rule):
            return try compile(rule, scope: scope)
        }
    }

    private static func compile(_ rule: FilterRule, scope: ColumnScope) throws(PlanError) -> CompiledCondition {
        let slot = try scope.require(rule.column)
        let op = rule.comparison
        let name = "'\(op.rawValue)'"
        if op.isUnary {
            guard rule.value == nil else { throw invalid("\(name) takes no \"value\"") }
            return .isNull(slot: slot, op == .isNull)
        }
        guard let operand = rule.value else { throw invalid("\(name) needs a \"value\"") }
        if op.takesList {
            guard case .list(let values) = operand, !values.isEmpty else {
                throw invalid("\(name) needs a non-empty list in \"value\", such as [\"a\", \"b\"]")
            }
            return .member(slot: slot, MemberSet(values), negated: op == .notIn)
        }
        guard case .scalar(let value) = operand else { throw invalid("\(name) needs a single value, not a list") }
        guard !value.isNull else { throw invalid("\(name) cannot compare with null; use 'is_null' or 'not_null'") }
        switch op {
        case .equal: return .compare(slot: slot, .equal, value)
        case .notEqual: return .compare(slot: slot, .notEqual, value)
        case .less: return .compare(slot: slot, .less, value)
        case .lessEqual: return .compare(slot: slot, .lessEqual, value)
        case .greater: return .compare(slot: slot, .greater, value)
        case .greaterEqual: return .compare(slot: slot, .greaterEqual, value)
        case .matches:
            guard case .string(let pattern) = value else { throw invalid("'matches' needs a regular expression text") }
            return .matches(slot: slot, try SharedRegex(pattern))
        default:
            return .text(slot: slot, op, value.csvText)
        }
    }

    private static func invalid(_ detail: String) -> PlanError {
        PlanError(code: .invalidStep, detail: detail)
    }
}

extension FilterCondition {
    /// `all` or `any` for groups.
    var groupName: String {
        if case .all = self { return "all" }
        return "any"
    }
}

extension CellValue {
    /// Whether this is `.string`.
    var isString: Bool {
        if case .string = self { return true }
        return false
    }
}
