import Foundation
@testable import Plans
import Contracts
import Tabular

/// Builds a plan from the JSON text of its steps.
func makePlan(_ steps: String, name: String = "test") throws -> ProcessingPlan {
    try ProcessingPlan.parse(text: #"{"name": "\#(name)", "steps": [\#(steps)]}"#)
}

/// Records with lines 2, 3, … as if read after a CSV header.
func makeRecords(_ rows: [[CellValue]]) -> [Record] {
    rows.enumerated().map { Record(line: $0.offset + 2, values: $0.element) }
}

/// Compiles `steps` against `columns` and runs `rows` through it.
func runPlan(_ steps: String, columns: [String], rows: [[CellValue]]) throws -> (CompiledPlan, PlanResult) {
    let compiled = try compile(plan: try makePlan(steps), columns: columns)
    return (compiled, compiled.run(makeRecords(rows)))
}

/// The output values of a result, for compact expectations.
func values(_ result: PlanResult) -> [[CellValue]] {
    result.records.map(\.values)
}

/// The compile error for `steps` against `columns`, or `nil` when it compiles.
func compileError(_ steps: String, columns: [String]) throws -> PlanError? {
    let plan = try makePlan(steps)
    do {
        _ = try compile(plan: plan, columns: columns)
        return nil
    } catch {
        return error
    }
}

/// Evaluates an expression over one row.
func evaluate(_ text: String, columns: [String] = [], row: [CellValue] = []) throws -> CellValue {
    try PlanExpression(text).bind(columns: columns).evaluate(row)
}

/// The parse or bind error of an expression, or `nil` when it is fine.
func expressionError(_ text: String, columns: [String] = []) -> PlanError? {
    do {
        _ = try PlanExpression(text).bind(columns: columns)
        return nil
    } catch {
        return error
    }
}

/// The evaluation error of an expression over one row, or `nil` when it evaluates.
func evaluationError(_ text: String, columns: [String] = [], row: [CellValue] = []) throws -> ExpressionError? {
    let bound = try PlanExpression(text).bind(columns: columns)
    do {
        _ = try bound.evaluate(row)
        return nil
    } catch {
        return error
    }
}

/// Compact, key-sorted JSON for string assertions.
enum JSONEncoderForTests {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
