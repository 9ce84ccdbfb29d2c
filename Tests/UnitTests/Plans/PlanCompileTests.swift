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

/// Which columns a plan never looks at: a stage carries those through undecoded, so a column
/// wrongly counted as untouched would lose its changes.
@Suite("untouched columns")
struct UntouchedColumnTests {
    static let columns = ["id", "name", "course", "grade", "attendance", "comment", "spare"]

    @Test("every step kind that reads or writes a column touches it; renames and reorders do not; only written columns are not carried")
    func touched() throws {
        let plan = try makePlan("""
            {"op": "trim", "columns": ["comment"]}, {"op": "case", "columns": ["course"], "to": "upper"},
            {"op": "derive", "column": "passed", "expression": "grade >= 60"},
            {"op": "filter", "delete": {"column": "attendance", "operator": "<", "value": 0.2}},
            {"op": "rename", "columns": {"name": "full_name"}}, {"op": "reorder", "columns": ["spare"]},
            {"op": "dedupe", "columns": ["id"]}
            """)
        let compiled = try compile(plan: plan, columns: Self.columns)
        #expect(compiled.untouchedInputs == [1, 6])
        #expect(compiled.outputColumns == ["spare", "id", "full_name", "course", "grade", "attendance", "comment", "passed"])
        #expect(compiled.carriedColumns.map(\.output) == [0, 1, 2, 4, 5])
        #expect(compiled.carriedColumns.map(\.input) == [6, 0, 1, 3, 4])
    }

    @Test("fill, replace, cast and expressions in filters touch their columns; a trim of all columns touches all")
    func moreSteps() throws {
        let some = try compile(plan: try makePlan("""
            {"op": "fill", "column": "spare", "value": 0}, {"op": "replace", "column": "name", "map": {"a": "b"}},
            {"op": "cast", "column": "grade", "to": "number"},
            {"op": "filter", "keep": "attendance > 0 and length(comment) > 1"}
            """), columns: Self.columns)
        #expect(some.untouchedInputs == [0, 2])
        #expect(some.carriedColumns.map(\.input) == [0, 2, 4, 5])  // read-only columns are carried too
        let all = try compile(plan: try makePlan(#"{"op": "trim"}"#), columns: Self.columns)
        #expect(all.untouchedInputs.isEmpty && all.carriedColumns.isEmpty)
    }

    @Test("running with untouched cells as placeholders changes nothing else, and sourceRows names the kept rows")
    func placeholders() throws {
        let plan = try makePlan("""
            {"op": "derive", "column": "passed", "expression": "grade >= 60"},
            {"op": "filter", "delete": {"column": "passed", "operator": "=", "value": false}}
            """)
        let compiled = try compile(plan: plan, columns: ["id", "grade"])
        let rows: [[CellValue]] = [[.string("a"), .integer(70)], [.string("b"), .integer(10)], [.string("c"), .integer(60)]]
        let full = compiled.run(makeRecords(rows))
        let blanked = compiled.run(makeRecords(rows.map { [.null, $0[1]] }))
        #expect(full.sourceRows == [0, 2] && blanked.sourceRows == [0, 2])
        #expect(blanked.records.map { Array($0.values.dropFirst()) } == full.records.map { Array($0.values.dropFirst()) })
    }
}
