import Testing
@testable import Plans
import Contracts
import Tabular

@Suite("expression functions")
struct ExpressionFunctionTests {
    @Test(arguments: [
        ("round(2.5)", CellValue.integer(3)), ("round(-2.5)", -3), ("round(2.345, 2)", 2.35),
        ("round(1234.5, -2)", 1200), ("round(7)", 7), ("round(7, 2)", 7), ("round('3.7')", 4),
        ("floor(2.7)", 2), ("floor(-2.2)", -3), ("ceil(2.1)", 3), ("ceil(5)", 5),
        ("abs(-3)", 3), ("abs(-2.5)", 2.5),
        ("min(3, 1, 2)", 1), ("max(3, 1.5, 2)", 3), ("min(null, 4)", 4), ("max('b', 'a')", "b"), ("max(null)", .null),
        ("upper('abc')", "ABC"), ("lower('ÀB')", "àb"), ("trim('  x y ')", "x y"), ("trim('   ')", ""),
        ("length('héllo')", 5), ("length(123)", 3), ("upper(12)", "12"),
        ("substr('abcdef', 2, 3)", "bcd"), ("substr('abcdef', 4)", "def"), ("substr('abc', 0, 2)", "a"),
        ("substr('abc', 5, 2)", ""), ("substr('abc', 2, 0)", ""),
        ("replace('a-b-c', '-', '+')", "a+b+c"), ("replace('abc', '', 'x')", "abc"),
        ("contains('hello', 'ell')", true), ("contains('hello', 'L')", false), ("contains('x', '')", true),
        ("starts_with('hello', 'he')", true), ("ends_with('hello', 'lo')", true), ("ends_with('hello', 'he')", false),
        ("coalesce(null, 'b')", "b"),
        ("if(1 > 2, 'y', 'n')", "n"), ("if(null, 'y', 'n')", "n"), ("if('true', 1, 2)", 1),
        ("is_null(null)", true), ("is_null(0)", false),
        ("to_number('3.5')", 3.5), ("to_number(' 42 ')", 42), ("to_number('abc')", .null), ("to_number(true)", 1),
        ("to_integer('3.9')", 3), ("to_integer(-3.9)", -3), ("to_integer('x')", .null),
        ("to_string(12)", "12"), ("to_string(2.0)", "2.0"), ("to_string(null)", .null), ("to_string(false)", "false"),
        ("year('2024-03-01')", 2024), ("month('2024-03-01T10:00:00Z')", 3), ("day('2024-03-09')", 9),
        ("date_diff('days', '2024-02-28', '2024-03-01')", 2),
        ("date_diff('days', '2024-03-01', '2024-02-28')", -2),
        ("date_diff('months', '2024-01-31', '2024-02-29')", 0),
        ("date_diff('months', '2024-01-15', '2024-03-15')", 2),
        ("date_diff('months', '2024-03-15', '2024-01-16')", -1),
        ("date_diff('years', '2000-02-29', '2024-02-28')", 23),
        ("date_diff('YEARS', '2000-02-29', '2024-02-29')", 24),
        ("date_diff('days', '1969-12-31', '2000-01-01')", 10958),
        ("date_diff('days', null, '2000-01-01')", .null),
        ("concat('a', null, 1, true)", "a1true"), ("concat(2.5)", "2.5"),
    ])
    func function(expression: String, expected: CellValue) throws {
        #expect(try evaluate(expression) == expected)
    }

    @Test func functionEvaluationErrors() throws {
        #expect(try evaluationError("round('x')")?.message == "round() needs a number for x, but got text 'x'")
        #expect(try evaluationError("round(1.5, 0.5)")?.message == "round() needs a whole number for digits, but got 0.5")
        #expect(try evaluationError("year('01/03/2024')")?.message
            == "year() needs an ISO date such as 2024-03-01, but got text '01/03/2024' (cast the column to date first)")
        #expect(try evaluationError("substr('abc', 1, -1)")?.message == "substr() needs a length of 0 or more, but got -1")
        #expect(try evaluationError("date_diff(u, '2024-01-01', '2024-01-02')", columns: ["u"], row: ["weeks"])?.message
            == "date_diff() unit must be 'days', 'months' or 'years', not 'weeks'")
        #expect(try evaluationError("min(1, 'a')")?.message.hasPrefix("cannot use 'min()' on text 'a' and integer 1") == true)
    }

    @Test func everyFunctionIsCovered() {
        let names = Set(ExpressionFunction.allCases.map(\.name))
        #expect(names == ["round", "floor", "ceil", "abs", "min", "max", "upper", "lower", "trim", "length", "substr",
                          "replace", "contains", "starts_with", "ends_with", "coalesce", "if", "is_null", "to_number",
                          "to_string", "to_integer", "year", "month", "day", "date_diff", "concat", "today", "run_date"])
    }
}
