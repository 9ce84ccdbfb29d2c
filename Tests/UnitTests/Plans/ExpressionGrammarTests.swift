import Testing
@testable import Plans
import Contracts
import Tabular

@Suite("expression grammar")
struct ExpressionGrammarTests {
    @Test(arguments: [
        ("1 + 2 * 3", CellValue.integer(7)),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),              // left associative
        ("100 / 10 / 5", 2.0),           // left associative, `/` gives a number
        ("2 * 3 % 4", 2),                // same level, left to right
        ("-2 * 3", -6),
        ("- -2", 2),
        ("-(1 + 2)", -3),
        ("+3", 3),
        ("7 % 3", 1),
        ("-7 % 3", -1),
        ("7.5 % 2", 1.5),
        ("1 + 2 & 3 * 2", "36"),         // & binds looser than arithmetic
        ("'a' & 1 + 1 = 'a2'", true),    // and tighter than comparison
        ("1 < 2 and 2 < 3", true),
        ("not 1 > 2", true),
        ("not true or true", true),      // not binds tighter than or
        ("true or false and false", true), // and binds tighter than or
        ("(true or false) and false", false),
        ("not not true", true),
        ("1.5e2", 150.0),
        (".5 + 1", 1.5),
        ("9223372036854775807 + 1", 9.223372036854775808e18), // overflow falls back to floating point
        ("10 / 4", 2.5),
        ("3 * 1.5", 4.5),
    ])
    func precedenceAndAssociativity(expression: String, expected: CellValue) throws {
        #expect(try evaluate(expression) == expected)
    }

    @Test(arguments: [
        ("1 = 1", true), ("1 == 1.0", true), ("1 != 2", true), ("1 <> 1", false),
        ("2 < 10", true), ("'2' < '10'", false), ("'b' > 'a'", true), ("'2024-03-01' < '2024-10-01'", true),
        ("3 >= 3", true), ("3 <= 2", false), ("'abc' = 'ABC'", false), ("true = 'TRUE'", true),
        ("'x' = 1", false), ("'x' != 1", true), ("' 42 ' = 42", true), ("true = 1", false),
    ])
    func comparisons(expression: String, expected: Bool) throws {
        #expect(try evaluate(expression) == .bool(expected))
    }

    @Test func nullSemantics() throws {
        for text in ["null + 1", "1 - null", "null * 2", "null / 2", "-null", "null = null", "null != 1",
                     "null < 1", "1 >= null", "not null", "null and true", "true and null", "null or false",
                     "1 / 0", "5 % 0", "1.5 / 0", "round(null)", "upper(null)", "year(null)"] {
            #expect(try evaluate(text) == .null, "\(text)")
        }
        #expect(try evaluate("null and false") == false)
        #expect(try evaluate("false and null") == false)
        #expect(try evaluate("null or true") == true)
        #expect(try evaluate("true or null") == true)
        #expect(try evaluate("null & 'x' & null") == "x")
        #expect(try evaluate("coalesce(null, null, 3, 4)") == 3)
        #expect(try evaluate("coalesce(null)") == .null)
    }

    @Test func shortCircuitSkipsErrors() throws {
        #expect(try evaluate("false and 'a' * 2 > 1") == false)
        #expect(try evaluate("true or 'a' * 2 > 1") == true)
        #expect(try evaluate("if(true, 1, 'a' * 2)") == 1)
        #expect(try evaluate("coalesce(1, 'a' * 2)") == 1)
    }

    @Test func stringsAndQuoting() throws {
        #expect(try evaluate(#"'it''s' & " ""ok"" ""#) == #"it's "ok" "#)
        #expect(try evaluate(#"'C:\temp'"#) == #"C:\temp"#)
        #expect(try evaluate("'a' + 'b'") == "ab")
        #expect(try evaluate("'2' + '3'") == 5)
        #expect(try evaluate("'2' & '3'") == "23")
        let columns = ["Final Grade", "a]b", "x`y", "score_2", "Ünïcode"]
        let row: [CellValue] = [80, 1, 2, 3, 4]
        #expect(try evaluate("[Final Grade] + 1", columns: columns, row: row) == 81)
        #expect(try evaluate("`Final Grade` * 2", columns: columns, row: row) == 160)
        #expect(try evaluate("[a]]b] + `x``y`", columns: columns, row: row) == 3)
        #expect(try evaluate("score_2 + Ünïcode", columns: columns, row: row) == 7)
    }

    @Test func keywordsAndFunctionNamesIgnoreCase() throws {
        #expect(try evaluate("TRUE AND NOT False") == true)
        #expect(try evaluate("ROUND(2.5) + Abs(-1)") == 4)
        #expect(try evaluate("NULL") == .null)
    }

    @Test func columnsReferencedInOrder() throws {
        let expression = try PlanExpression("a + b * a - [c d]")
        #expect(expression.columnNames == ["a", "b", "c d"])
    }

    @Test func rawTextTakesPartInArithmetic() throws {
        #expect(try evaluate("score >= 50", columns: ["score"], row: [" 75 "]) == true)
        #expect(try evaluate("score * 2", columns: ["score"], row: ["007"]) == 14)
        #expect(try evaluate("score + 0.5", columns: ["score"], row: ["1e3"]) == 1000.5)
    }

    @Test func typeErrorsAreReported() throws {
        let error = try #require(try evaluationError("'a' * 2"))
        #expect(error.message == "'*' needs numbers, but got text 'a'")
        #expect(error.value == "a")
        #expect(try evaluationError("x < 5", columns: ["x"], row: ["abc"])?.message
            == "cannot use '<' on text 'abc' and integer 5; order compares numbers with numbers and text with text")
        #expect(try evaluationError("1 and true")?.message == "'and' needs true or false, but got integer 1")
        #expect(try evaluationError("-'a'")?.message == "'-' needs a number, but got text 'a'")
        #expect(try evaluationError("'a' + 1")?.message == "'+' needs numbers, but got text 'a' (use & to join text)")
        #expect(try evaluationError("if('maybe', 1, 2)")?.message == "if() needs true or false, but got text 'maybe'")
        #expect(try evaluationError("1e308 * 10")?.message == "the result of '*' is too large to represent")
    }

    @Test func outOfRangeColumnIndexReadsNull() throws {
        #expect(try PlanExpression("b").bind(columns: ["a", "b"]).evaluate(["only a"]) == .null)
    }
}
