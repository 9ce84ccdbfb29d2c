import Testing
@testable import Plans
import Contracts
import Tabular

@Suite("compiling plans")
struct PlanCompileTests {
    @Test func unknownColumnInDeriveHasStepPositionAndColumns() throws {
        let steps = """
            {"op": "select", "columns": ["name", "score"]},
            {"op": "note", "text": "grades are 0-100"},
            {"op": "derive", "column": "pass", "expression": "grade >= 50"}
            """
        let error = try #require(try compileError(steps, columns: ["name", "score", "grade_letter"]))
        #expect(error.code == .unknownColumn)
        #expect(error.step == 3)
        #expect(error.op == "derive")
        #expect(error.subject == "pass")
        #expect(error.position == 1)
        #expect(error.expression == "grade >= 50")
        #expect(error.message == "step 3 (derive 'pass'): unknown column 'grade' at position 1 in `grade >= 50`; "
            + "columns at this step are: name, score")
        #expect(error.description == error.message + "\ngrade >= 50\n^")
    }

    @Test func namesAreResolvedAsColumnsEvolve() throws {
        let renamedAway = try #require(try compileError("""
            {"op": "rename", "columns": {"score": "points"}},
            {"op": "filter", "keep": {"column": "score", "operator": ">", "value": 1}}
            """, columns: ["score"]))
        #expect(renamedAway.code == .unknownColumn)
        #expect(renamedAway.step == 2)
        #expect(renamedAway.message == "step 2 (filter): unknown column 'score'; columns at this step are: points")

        let derivedLater = try #require(try compileError("""
            {"op": "derive", "column": "b", "expression": "c + 1"},
            {"op": "derive", "column": "c", "expression": "a + 1"}
            """, columns: ["a"]))
        #expect(derivedLater.step == 1)
        #expect(derivedLater.position == 1)

        let selfReference = try #require(try compileError(#"{"op": "derive", "column": "n", "expression": "n + 1"}"#,
                                                          columns: ["a"]))
        #expect(selfReference.code == .unknownColumn)

        #expect(try compileError(#"{"op": "derive", "column": "a", "expression": "a + 1"}"#, columns: ["a"]) == nil)
    }

    @Test func expressionErrorsCarryTheStep() throws {
        let cases: [(String, PlanError.Code, Int)] = [
            ("score >= ", .syntaxError, 10),
            ("rund(score)", .unknownFunction, 1),
            ("score + substr(name)", .arity, 9),
            ("date_diff('hours', a, b)", .invalidArgument, 11),
        ]
        for (expression, code, position) in cases {
            let steps = #"{"op": "trim"}, {"op": "derive", "column": "x", "expression": "\#(expression)"}"#
            let error = try #require(try compileError(steps, columns: ["name", "score"]))
            #expect(error.code == code, "\(expression)")
            #expect(error.step == 2)
            #expect(error.op == "derive")
            #expect(error.position == position, "\(expression)")
            #expect(error.message.hasPrefix("step 2 (derive 'x'): "))
        }
    }

    @Test func oneDedupeOnly() throws {
        let error = try #require(try compileError("""
            {"op": "dedupe", "columns": ["a"]}, {"op": "note", "text": "n"}, {"op": "dedupe", "columns": ["b"]}
            """, columns: ["a", "b"]))
        #expect(error.code == .invalidStep)
        #expect(error.step == 3)
        #expect(error.message == "step 3 (dedupe): a plan can have only one dedupe step, and step 1 is one already; "
            + "list all key columns in a single dedupe")
    }

    @Test func invalidSteps() throws {
        let cases: [(String, PlanError.Code)] = [
            (#"{"op": "select", "columns": []}"#, .invalidStep),
            (#"{"op": "rename", "columns": {}}"#, .invalidStep),
            (#"{"op": "rename", "columns": {"a": ""}}"#, .invalidStep),
            (#"{"op": "case", "columns": ["zz"], "to": "upper"}"#, .unknownColumn),
            (#"{"op": "derive", "column": "", "expression": "1"}"#, .invalidStep),
            (#"{"op": "append", "records": []}"#, .invalidStep),
            (#"{"op": "append", "records": [{"a": 1}, {"nope": 2}]}"#, .unknownColumn),
            (#"{"op": "replace", "column": "a", "with": "x", "map": {"a": 1}}"#, .invalidStep),
            (#"{"op": "dedupe", "columns": ["a", "a"]}"#, .invalidStep),
        ]
        for (step, code) in cases {
            let error = try #require(try compileError(step, columns: ["a", "b"]), "\(step)")
            #expect(error.code == code, "\(step)")
            #expect(error.step == 1)
        }
        let append = try #require(try compileError(#"{"op": "append", "records": [{"a": 1}, {"nope": 2}]}"#,
                                                   columns: ["a", "b"]))
        #expect(append.message == "step 1 (append): unknown column 'nope' in record 2; columns at this step are: a, b")
    }

    @Test func duplicateInputColumns() throws {
        let error = try #require(try compileError(#"{"op": "trim"}"#, columns: ["a", "b", "a"]))
        #expect(error.code == .duplicateColumn)
        #expect(error.step == nil)
        #expect(error.message == "the input has two columns named 'a' (columns 1 and 3); give them distinct names "
            + "before the plan runs")
    }

    @Test func planErrorEncodesMessageAndCaret() throws {
        let error = try #require(try compileError(#"{"op": "derive", "column": "x", "expression": "1 +"}"#, columns: ["a"]))
        let json = String(decoding: try JSONEncoderForTests.encode(error), as: UTF8.self)
        #expect(json.contains(#""code":"plan.syntax-error""#))
        #expect(json.contains(#""message":"step 1 (derive 'x'): expression ends where a value was expected at position 4"#))
        #expect(json.contains(#""caret":"1 +\n   ^""#))
    }
}
