import Testing
@testable import Plans
import Contracts
import Tabular

@Suite("Column-shaping and cell steps")
struct ColumnStepTests {
    let columns = ["id", "name", "score"]
    let rows: [[CellValue]] = [[1, "  Ada ", 90], [2, "bob", .null]]

    @Test func renameIsSimultaneousAndKeepsData() throws {
        let (compiled, result) = try runPlan(#"{"op": "rename", "columns": {"id": "name", "name": "id"}}"#,
                                             columns: columns, rows: rows)
        #expect(compiled.outputColumns == ["name", "id", "score"])
        #expect(values(result) == rows)
    }

    @Test func renameCollisionIsDuplicateColumn() throws {
        let error = try #require(try compileError(#"{"op": "rename", "columns": {"id": "score"}}"#, columns: columns))
        #expect(error.code == .duplicateColumn)
        #expect(error.step == 1)
        #expect(error.message.contains("'id' and 'score'"))
    }

    @Test func selectKeepsAndReorders() throws {
        let (compiled, result) = try runPlan(#"{"op": "select", "columns": ["score", "id"]}"#,
                                             columns: columns, rows: rows)
        #expect(compiled.outputColumns == ["score", "id"])
        #expect(values(result) == [[90, 1], [.null, 2]])
        #expect(result.records.map(\.line) == [2, 3])
    }

    @Test func dropRemovesColumns() throws {
        let (compiled, result) = try runPlan(#"{"op": "drop", "columns": ["name"]}"#, columns: columns, rows: rows)
        #expect(compiled.outputColumns == ["id", "score"])
        #expect(values(result) == [[1, 90], [2, .null]])
    }

    @Test func dropEverythingIsInvalid() throws {
        let error = try #require(try compileError(#"{"op": "drop", "columns": ["id", "name", "score"]}"#, columns: columns))
        #expect(error.code == .invalidStep)
    }

    @Test func reorderMovesListedFirst() throws {
        let (compiled, result) = try runPlan(#"{"op": "reorder", "columns": ["score"]}"#, columns: columns, rows: rows)
        #expect(compiled.outputColumns == ["score", "id", "name"])
        #expect(values(result)[0] == [90, 1, "  Ada "])
    }

    @Test func listedTwiceIsInvalid() throws {
        let error = try #require(try compileError(#"{"op": "select", "columns": ["id", "id"]}"#, columns: columns))
        #expect(error.code == .invalidStep)
        #expect(error.message == "step 1 (select): column 'id' is listed twice")
    }

    @Test func trimAllTextColumnsAndBlankBecomesNull() throws {
        let (_, result) = try runPlan(#"{"op": "trim"}"#, columns: ["a", "b", "c"],
                                      rows: [["  x ", "   ", 5], ["\u{00A0}y\t", .null, " 7 "]])
        #expect(values(result) == [["x", .null, 5], ["y", .null, "7"]])
    }

    @Test func trimListedColumnsOnly() throws {
        let (_, result) = try runPlan(#"{"op": "trim", "columns": ["b"]}"#, columns: ["a", "b"], rows: [[" x ", " y "]])
        #expect(values(result) == [[" x ", "y"]])
    }

    @Test func caseUpperLowerTitle() throws {
        let steps = """
            {"op": "case", "columns": ["a"], "to": "upper"},
            {"op": "case", "columns": ["b"], "to": "lower"},
            {"op": "case", "columns": ["c"], "to": "title"}
            """
        let (_, result) = try runPlan(steps, columns: ["a", "b", "c", "d"],
                                      rows: [["straße", "ÉCOLE", "o'NEIL-smith 3rd grade", 4]])
        #expect(values(result) == [["STRASSE", "école", "O'neil-Smith 3rd Grade", 4]])
    }

    @Test func fillReplacesNullsOnly() throws {
        let (_, result) = try runPlan(#"{"op": "fill", "column": "score", "value": 0}"#, columns: columns, rows: rows)
        #expect(values(result).map { $0[2] } == [90, 0])
    }

    @Test func fillWithNullIsInvalid() throws {
        let error = try #require(try compileError(#"{"op": "fill", "column": "score", "value": null}"#, columns: columns))
        #expect(error.code == .invalidStep)
        #expect(error.message == "step 1 (fill 'score'): fill needs a non-null \"value\"")
    }

    @Test func replaceMapMatchesWholeText() throws {
        let steps = #"{"op": "replace", "column": "s", "map": {"W": "withdrawn", "-": null, "1": "one"}}"#
        let (_, result) = try runPlan(steps, columns: ["s"], rows: [["W"], ["-"], [1], ["Wx"], [.null]])
        #expect(values(result) == [["withdrawn"], [.null], ["one"], ["Wx"], [.null]])
    }

    @Test func replacePatternWithGroups() throws {
        let steps = #"{"op": "replace", "column": "d", "pattern": "(\\d{2})/(\\d{2})", "with": "$2-$1 $$"}"#
        let (_, result) = try runPlan(steps, columns: ["d"], rows: [["03/01 and 04/02"], [12]])
        #expect(values(result) == [["01-03 $ and 02-04 $"], [12]])
    }

    @Test func replaceMapThenPattern() throws {
        let steps = #"{"op": "replace", "column": "p", "map": {"n/a": ""}, "pattern": "[^0-9]"}"#
        let (_, result) = try runPlan(steps, columns: ["p"], rows: [["+44 (20) 7946"], ["n/a"]])
        #expect(values(result) == [["44207946"], [""]])
    }

    @Test func replaceInvalidRegexAndMissingParts() throws {
        let bad = try #require(try compileError(#"{"op": "replace", "column": "p", "pattern": "(["}"#, columns: ["p"]))
        #expect(bad.code == .invalidRegex)
        #expect(bad.step == 1)
        let empty = try #require(try compileError(#"{"op": "replace", "column": "p"}"#, columns: ["p"]))
        #expect(empty.code == .invalidStep)
    }

    @Test func noteChangesNothingAndIsListed() throws {
        let (compiled, result) = try runPlan(#"{"op": "note", "text": "Check with the registrar"}"#,
                                             columns: columns, rows: rows)
        #expect(compiled.notes == ["Check with the registrar"])
        #expect(values(result) == rows)
        #expect(result.dedupeKeys == nil)
    }

    @Test func shortRowsArePaddedAndLongRowsCut() throws {
        let (_, result) = try runPlan(#"{"op": "fill", "column": "c", "value": "x"}"#, columns: ["a", "b", "c"],
                                      rows: [[1], [1, 2, 3, 4]])
        #expect(values(result) == [[1, .null, "x"], [1, 2, 3]])
    }

    @Test func deriveNewAndExistingColumns() throws {
        let steps = """
            {"op": "derive", "column": "label", "expression": "upper(trim(name)) & ' (' & score & ')'"},
            {"op": "derive", "column": "score", "expression": "coalesce(score, 0) + 1"}
            """
        let (compiled, result) = try runPlan(steps, columns: columns, rows: rows)
        #expect(compiled.outputColumns == ["id", "name", "score", "label"])
        #expect(values(result) == [[1, "  Ada ", 91, "ADA (90)"], [2, "bob", 1, "BOB ()"]])
    }

    @Test func deriveErrorPolicies() throws {
        let rows: [[CellValue]] = [["x", 1], ["y", 2]]
        let drop = try runPlan(#"{"op": "derive", "column": "b", "expression": "a * 2"}"#,
                               columns: ["a", "b"], rows: rows).1
        #expect(drop.records.isEmpty)
        #expect(drop.dropped == 2)
        #expect(drop.errors[0] == RecordError(line: 2, field: "b", code: "expression-error",
                                              message: "step 1 (derive 'b'): '*' needs numbers, but got text 'x' "
                                                  + "in `a * 2`; row removed", value: "x"))
        let null = try runPlan(#"{"op": "derive", "column": "b", "expression": "a * 2", "onError": "null"}"#,
                               columns: ["a", "b"], rows: rows).1
        #expect(values(null) == [["x", .null], ["y", .null]])
        #expect(null.errors.count == 2 && null.dropped == 0)
        let keep = try runPlan(#"{"op": "derive", "column": "b", "expression": "a * 2", "onError": "keep"}"#,
                               columns: ["a", "b"], rows: rows).1
        #expect(values(keep) == rows)
        let newColumn = try runPlan(#"{"op": "derive", "column": "c", "expression": "a * 2", "onError": "keep"}"#,
                                    columns: ["a", "b"], rows: rows).1
        #expect(values(newColumn) == [["x", 1, .null], ["y", 2, .null]])
    }

    @Test func columnsTrackedThroughSteps() throws {
        let steps = """
            {"op": "rename", "columns": {"score": "points"}},
            {"op": "derive", "column": "double", "expression": "points * 2"},
            {"op": "drop", "columns": ["id"]},
            {"op": "derive", "column": "id", "expression": "upper(name)"},
            {"op": "select", "columns": ["id", "double"]}
            """
        let (compiled, result) = try runPlan(steps, columns: columns, rows: rows)
        #expect(compiled.outputColumns == ["id", "double"])
        #expect(values(result) == [["  ADA ", 180], ["BOB", .null]])
    }
}

@Suite("trimming")
struct TrimmingTests {
    @Test(arguments: [
        ("abc", CellValue.string("abc")), ("  abc\t", "abc"), ("\u{00A0}abc\u{00A0}", "abc"), (" é ", "é"),
        ("a b", "a b"), ("\n", .null), ("", .null), (" \u{2003}x\u{2003} ", "x"), ("x\u{0301} ", "x\u{0301}"),
        ("\r\nline\r\n", "line"),
    ])
    func trimStep(text: String, expected: CellValue) throws {
        let (_, result) = try runPlan(#"{"op": "trim"}"#, columns: ["a"], rows: [[.string(text)]])
        #expect(values(result) == [[expected]])
    }
}
