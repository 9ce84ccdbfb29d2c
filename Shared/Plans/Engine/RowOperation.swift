import Contracts
import Tabular
/// A step as the engine runs it: columns resolved to slots, expressions bound, patterns
/// compiled. Only steps that touch row data become operations; column-shaping steps,
/// notes and appends exist only at compile time.
///
/// Operations are final classes behind a protocol rather than enum cases so that running
/// one costs a single dynamic call, without copying (and reference-counting) the step's
/// parameters for every row.
protocol RowOperation: AnyObject, Sendable {
    /// Applies the operation to one working row; `.kept` lets the row go on to the next.
    func apply(_ row: inout [CellValue], line: Int, errors: inout [RecordError], key: inout String?) -> RowOutcome
}

/// What an operation did with a row.
enum RowOutcome {
    /// The row goes on.
    case kept
    /// A filter removed the row.
    case filtered
    /// A failure removed the row (already reported).
    case dropped
}

/// Where a step came from, for row error messages.
struct StepOrigin: Sendable {
    /// `step 4 (cast 'born')`.
    let label: String
    /// The column the step writes, if any.
    let column: String?
}

/// Runs `operations[start...]` over one working row.
func runOperations(_ operations: [any RowOperation], from start: Int, row: inout [CellValue], line: Int,
                   errors: inout [RecordError], key: inout String?) -> RowOutcome {
    var index = start
    while index < operations.count {
        let outcome = operations[index].apply(&row, line: line, errors: &errors, key: &key)
        guard case .kept = outcome else { return outcome }
        index += 1
    }
    return .kept
}

/// `trim`: text loses surrounding whitespace; blank text becomes null.
final class TrimOperation: RowOperation {
    let slots: [Int]
    init(slots: [Int]) { self.slots = slots }

    func apply(_ row: inout [CellValue], line: Int, errors: inout [RecordError], key: inout String?) -> RowOutcome {
        for slot in slots { row[slot] = TextTransforms.trim(row[slot]) }
        return .kept
    }
}

/// `case`: letter case of text cells.
final class CaseOperation: RowOperation {
    let slots: [Int]
    let style: TextCase
    init(slots: [Int], style: TextCase) { self.slots = slots; self.style = style }

    func apply(_ row: inout [CellValue], line: Int, errors: inout [RecordError], key: inout String?) -> RowOutcome {
        for slot in slots { row[slot] = TextTransforms.changeCase(row[slot], to: style) }
        return .kept
    }
}

/// `fill`: nulls become a value.
final class FillOperation: RowOperation {
    let slot: Int
    let value: CellValue
    init(slot: Int, value: CellValue) { self.slot = slot; self.value = value }

    func apply(_ row: inout [CellValue], line: Int, errors: inout [RecordError], key: inout String?) -> RowOutcome {
        if row[slot].isNull { row[slot] = value }
        return .kept
    }
}

/// `replace`: the map first, then the pattern on text.
final class ReplaceOperation: RowOperation {
    let slot: Int
    let map: [String: CellValue]?
    let pattern: SharedRegex?
    let template: TextTransforms.Template

    init(slot: Int, map: [String: CellValue]?, pattern: SharedRegex?, template: TextTransforms.Template) {
        self.slot = slot
        self.map = map
        self.pattern = pattern
        self.template = template
    }

    func apply(_ row: inout [CellValue], line: Int, errors: inout [RecordError], key: inout String?) -> RowOutcome {
        if let map, !row[slot].isNull, let mapped = map[row[slot].csvText] { row[slot] = mapped }
        if let pattern, case .string(let text) = row[slot] {
            row[slot] = .string(pattern.replacing(in: text, with: template))
        }
        return .kept
    }
}

/// `cast`: convert a cell, reporting failures per the step's policy.
final class CastOperation: RowOperation {
    let slot: Int
    let converter: CastConverter
    let policy: ErrorPolicy
    let origin: StepOrigin

    init(slot: Int, converter: CastConverter, policy: ErrorPolicy, origin: StepOrigin) {
        self.slot = slot
        self.converter = converter
        self.policy = policy
        self.origin = origin
    }

    func apply(_ row: inout [CellValue], line: Int, errors: inout [RecordError], key: inout String?) -> RowOutcome {
        let original = row[slot]
        if let converted = converter.convert(original) {
            row[slot] = converted
            return .kept
        }
        errors.append(RecordError(line: line, field: origin.column, code: "cast-error",
                                  message: "\(origin.label): \(converter.failure(original))" + policy.consequence,
                                  value: original.csvText))
        return policy.settle(&row[slot])
    }
}

/// `derive`: set a cell to an expression's value.
final class DeriveOperation: RowOperation {
    let slot: Int
    let expression: BoundExpression
    let policy: ErrorPolicy
    let origin: StepOrigin

    init(slot: Int, expression: BoundExpression, policy: ErrorPolicy, origin: StepOrigin) {
        self.slot = slot
        self.expression = expression
        self.policy = policy
        self.origin = origin
    }

    func apply(_ row: inout [CellValue], line: Int, errors: inout [RecordError], key: inout String?) -> RowOutcome {
        do {
            row[slot] = try expression.node.evaluate(row)
            return .kept
        } catch {
            errors.append(RecordError(line: line, field: origin.column, code: "expression-error",
                                      message: "\(origin.label): \(error.message) in `\(expression.text)`"
                                          + policy.consequence, value: error.value))
            return policy.settle(&row[slot])
        }
    }
}

/// `filter`: keep or delete matching rows; a failing condition drops and reports the row.
final class FilterOperation: RowOperation {
    let mode: FilterMode
    let condition: CompiledCondition
    let origin: StepOrigin

    init(mode: FilterMode, condition: CompiledCondition, origin: StepOrigin) {
        self.mode = mode
        self.condition = condition
        self.origin = origin
    }

    func apply(_ row: inout [CellValue], line: Int, errors: inout [RecordError], key: inout String?) -> RowOutcome {
        do {
            return try condition.matches(row) == (mode == .keep) ? .kept : .filtered
        } catch {
            errors.append(RecordError(line: line, field: nil, code: error.code,
                                      message: "\(origin.label): \(error.message)" + ErrorPolicy.drop.consequence,
                                      value: error.value))
            return .dropped
        }
    }
}

/// `dedupe`: record the row's key.
final class DedupeOperation: RowOperation {
    let slots: [Int]
    init(slots: [Int]) { self.slots = slots }

    func apply(_ row: inout [CellValue], line: Int, errors: inout [RecordError], key: inout String?) -> RowOutcome {
        key = DedupeKey.make(row, slots: slots)
        return .kept
    }
}

extension ErrorPolicy {
    /// The end of a row error message saying what happened to the row.
    var consequence: String {
        switch self {
        case .drop: "; row removed"
        case .null: "; cell set to null"
        case .keep: "; cell left unchanged"
        }
    }

    /// Applies the policy to a failed cell and says whether the row goes on.
    func settle(_ cell: inout CellValue) -> RowOutcome {
        switch self {
        case .drop: return .dropped
        case .null: cell = .null; return .kept
        case .keep: return .kept
        }
    }
}
