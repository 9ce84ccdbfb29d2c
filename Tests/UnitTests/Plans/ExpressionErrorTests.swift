import Testing
@testable import Plans
import Contracts
import Tabular

@Suite("expression compile errors")
struct ExpressionErrorTests {
    @Test(arguments: [
        ("1 +", PlanError.Code.syntaxError, 4, "expression ends where a value was expected at position 4 in `1 +`"),
        ("(1 + 2", .syntaxError, 7,
         "missing ')' to close the '(' at position 1; found the end of the expression at position 7 in `(1 + 2`"),
        ("1 2", .syntaxError, 3,
         "unexpected '2'; expected an operator or the end of the expression at position 3 in `1 2`"),
        ("a $ b", .syntaxError, 3, "unexpected character '$' at position 3 in `a $ b`"),
        ("'abc", .syntaxError, 1, "unterminated string starting at position 1; close it with ' in `'abc`"),
        ("[Final Grade", .syntaxError, 1,
         "unterminated column name starting at position 1; close it with ] in `[Final Grade`"),
        ("1 < 2 < 3", .syntaxError, 7,
         "comparisons cannot be chained; combine them with 'and' (a < b and b < c) at position 7 in `1 < 2 < 3`"),
        ("rnd(2.5)", .unknownFunction, 1, "unknown function 'rnd' at position 1 in `rnd(2.5)`; did you mean 'round'?"),
        ("x + round(1, 2, 3)", .arity, 5,
         "round() takes 1 or 2 arguments, got 3 at position 5 in `x + round(1, 2, 3)`; call it as round(x[, digits])"),
        ("if(a, b)", .arity, 1, "if() takes 3 arguments, got 2 at position 1 in `if(a, b)`; call it as if(condition, then, else)"),
        ("coalesce()", .arity, 1,
         "coalesce() takes at least 1 argument, got 0 at position 1 in `coalesce()`; call it as coalesce(a, b, ...)"),
        ("date_diff('weeks', a, b)", .invalidArgument, 11,
         "date_diff() unit must be 'days', 'months' or 'years', not .string(\"weeks\") at position 11 in `date_diff('weeks', a, b)`"),
        ("2abc", .syntaxError, 1, "a name cannot start with a digit ('2a…'); write it as [2a…] at position 1 in `2abc`"),
        ("", .syntaxError, 1, "expression is empty"),
        ("frob(1,)", .unknownFunction, 1, "unknown function 'frob' at position 1 in `frob(1,)`; functions are: round, floor, ceil, "
            + "abs, min, max, upper, lower, trim, length, substr, replace, contains, starts_with, ends_with, coalesce, "
            + "if, is_null, to_number, to_string, to_integer, year, month, day, date_diff, concat, today, run_date"),
        ("max(1,)", .syntaxError, 7, "expected a value, column or function call but found ')' at position 7 in `max(1,)`"),
    ])
    func syntaxErrors(text: String, code: PlanError.Code, position: Int, detail: String) {
        let error = expressionError(text)
        #expect(error?.code == code)
        #expect(error?.position == position)
        #expect(error?.detail == detail)
    }

    @Test func unknownColumnSuggestsAndListsColumns() throws {
        let error = try #require(expressionError("[final grade] > 50", columns: ["name", "Final Grade"]))
        #expect(error.code == .unknownColumn)
        #expect(error.position == 1)
        #expect(error.detail == "unknown column 'final grade' at position 1 in `[final grade] > 50`; did you mean "
            + "'Final Grade' (write it as [Final Grade])?; columns at this step are: name, Final Grade")
        let later = try #require(expressionError("name & sorce", columns: ["name", "score"]))
        #expect(later.position == 8)
        #expect(later.detail.contains("did you mean 'score'?"))
    }

    @Test func caretPointsAtPosition() throws {
        let error = try #require(expressionError("score >= 50 and\tgrde", columns: ["score", "grade"]))
        #expect(error.caret == "score >= 50 and grde\n                ^")
        #expect(error.description == error.message + "\n" + error.caret!)
    }

    @Test func lengthAndNestingAreCapped() {
        let long = String(repeating: "1+", count: 2_100) + "1"
        #expect(expressionError(long)?.code == .expressionTooComplex)
        let nested = String(repeating: "(", count: 70) + "1" + String(repeating: ")", count: 70)
        #expect(expressionError(nested)?.code == .expressionTooComplex)
        let negations = String(repeating: "-", count: 100) + "1"
        #expect(expressionError(negations)?.code == .expressionTooComplex)
        let chain = Array(repeating: "a", count: 300).joined(separator: " & ")
        #expect(expressionError(chain, columns: ["a"])?.code == .expressionTooComplex)
        let fine = Array(repeating: "a", count: 100).joined(separator: " & ")
        #expect(expressionError(fine, columns: ["a"]) == nil)
    }
}
