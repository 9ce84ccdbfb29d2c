import Testing
@testable import Plans
import Contracts
import Tabular

@Suite("filter step")
struct FilterStepTests {
    let columns = ["name", "score", "status"]
    let rows: [[CellValue]] = [
        ["ada", 90, "active"],
        ["bob", 45, "withdrawn"],
        ["cy", .null, "active"],
        ["dee", "61", .null],
        ["eve", 50.0, "Active"],
    ]

    private func kept(_ filter: String) throws -> [String] {
        let (_, result) = try runPlan(#"{"op": "filter", \#(filter)}"#, columns: columns, rows: rows)
        return result.records.map { $0.values[0].csvText }
    }

    @Test func comparisonOperators() throws {
        #expect(try kept(#""keep": {"column": "score", "operator": ">=", "value": 50}"#) == ["ada", "dee", "eve"])
        #expect(try kept(#""keep": {"column": "score", "operator": "<", "value": 50}"#) == ["bob"])
        #expect(try kept(#""keep": {"column": "score", "operator": "=", "value": 50}"#) == ["eve"])
        #expect(try kept(#""keep": {"column": "score", "operator": "==", "value": 61}"#) == ["dee"])
        #expect(try kept(#""keep": {"column": "status", "operator": "!=", "value": "active"}"#) == ["bob", "eve"])
        #expect(try kept(#""keep": {"column": "score", "operator": "<=", "value": 45}"#) == ["bob"])
        #expect(try kept(#""keep": {"column": "score", "operator": ">", "value": 61}"#) == ["ada"])
    }

    @Test func listAndTextOperators() throws {
        #expect(try kept(#""keep": {"column": "name", "operator": "in", "value": ["ada", "cy"]}"#) == ["ada", "cy"])
        #expect(try kept(#""keep": {"column": "score", "operator": "in", "value": [45, 61]}"#) == ["bob", "dee"])
        #expect(try kept(#""keep": {"column": "status", "operator": "not_in", "value": ["active"]}"#) == ["bob", "eve"])
        #expect(try kept(#""keep": {"column": "status", "operator": "contains", "value": "ctiv"}"#)
            == ["ada", "cy", "eve"])
        #expect(try kept(#""keep": {"column": "name", "operator": "starts_with", "value": "d"}"#) == ["dee"])
        #expect(try kept(#""keep": {"column": "name", "operator": "ends_with", "value": "e"}"#) == ["dee", "eve"])
        #expect(try kept(#""keep": {"column": "status", "operator": "matches", "value": "^[A-Z]"}"#) == ["eve"])
        #expect(try kept(#""keep": {"column": "score", "operator": "matches", "value": "^\\d+$"}"#) == ["ada", "bob", "dee"])
    }

    @Test func nullOperatorsAndNullNeverMatches() throws {
        #expect(try kept(#""keep": {"column": "score", "operator": "is_null"}"#) == ["cy"])
        #expect(try kept(#""delete": {"column": "status", "operator": "not_null"}"#) == ["dee"])
        #expect(try kept(#""keep": {"column": "status", "operator": "!=", "value": "withdrawn"}"#)
            == ["ada", "cy", "eve"])
    }

    @Test func nestedAllAny() throws {
        let filter = #""keep": {"any": [{"column": "name", "operator": "=", "value": "cy"},"#
            + #" {"all": [{"column": "score", "operator": ">", "value": 40}, "status = 'withdrawn'"]}]}"#
        #expect(try kept(filter) == ["bob", "cy"])
    }

    @Test func deleteWithAnyCountsFiltered() throws {
        let steps = #"{"op": "filter", "delete": {"any": [{"column": "status", "operator": "=", "value": "withdrawn"},"#
            + #" {"column": "score", "operator": "is_null"}]}}"#
        let (_, result) = try runPlan(steps, columns: columns, rows: rows)
        #expect(result.records.map(\.line) == [2, 5, 6])
        #expect(result.filtered == 2)
        #expect(result.dropped == 0)
    }

    @Test func expressionFilters() throws {
        #expect(try kept(#""keep": "score >= 50 and lower(status) = 'active'""#) == ["ada", "eve"])
        #expect(try kept(#""delete": "status = 'withdrawn' or is_null(score)""#) == ["ada", "dee", "eve"])
        // A null result does not match: keep drops the row, delete keeps it.
        #expect(try kept(#""keep": "status = 'active'""#) == ["ada", "cy"])
        #expect(try kept(#""delete": "status = 'active'""#) == ["bob", "dee", "eve"])
    }

    @Test func evaluationErrorDropsAndReports() throws {
        let (_, result) = try runPlan(#"{"op": "filter", "keep": "name * 2 > 1"}"#, columns: columns, rows: rows)
        #expect(result.records.isEmpty)
        #expect(result.dropped == 5)
        #expect(result.errors.count == 5)
        #expect(result.errors[0].code == "expression-error")
        #expect(result.errors[0].message == "step 1 (filter): '*' needs numbers, but got text 'ada' in `name * 2 > 1`; "
            + "row removed")
        #expect(result.errors[0].value == "ada")
    }

    @Test func ruleTypeErrorIsFilterError() throws {
        let (_, result) = try runPlan(#"{"op": "filter", "keep": {"column": "name", "operator": ">", "value": 3}}"#,
                                      columns: columns, rows: [["x", 1, "a"]])
        #expect(result.errors.first?.code == "filter-error")
        #expect(result.dropped == 1)
    }

    @Test func invalidRules() throws {
        let cases: [(String, PlanError.Code)] = [
            (#"{"column": "score", "operator": "is_null", "value": 1}"#, .invalidStep),
            (#"{"column": "score", "operator": ">"}"#, .invalidStep),
            (#"{"column": "score", "operator": "in", "value": 3}"#, .invalidStep),
            (#"{"column": "score", "operator": "=", "value": [1, 2]}"#, .invalidStep),
            (#"{"column": "score", "operator": "=", "value": null}"#, .invalidStep),
            (#"{"column": "score", "operator": "matches", "value": "("}"#, .invalidRegex),
            (#"{"column": "grade", "operator": "=", "value": 1}"#, .unknownColumn),
            (#"{"all": []}"#, .invalidStep),
        ]
        for (rule, code) in cases {
            let error = try #require(try compileError(#"{"op": "filter", "keep": \#(rule)}"#, columns: columns))
            #expect(error.code == code, "\(rule)")
            #expect(error.step == 1 && error.op == "filter")
        }
    }

    @Test func expressionCompileErrorInFilterHasPosition() throws {
        let error = try #require(try compileError(#"{"op": "note", "text": "x"}, {"op": "filter", "keep": "score > 1 and grade < 2"}"#,
                                                  columns: columns))
        #expect(error.code == .unknownColumn)
        #expect(error.position == 15)
        #expect(error.message == "step 2 (filter): unknown column 'grade' at position 15 in `score > 1 and grade < 2`; "
            + "columns at this step are: name, score, status")
        #expect(error.caret == "score > 1 and grade < 2\n              ^")
    }
}
