import Contracts
import Foundation
@testable import Plans
import Tabular
import Testing

/// `lookup`: a stored reference table joined on key columns, its columns added to each row,
/// and the planning-file case of the analytics users (assessments due by the run date).
@Suite("Lookup step")
struct LookupStepTests {
    /// The planning file: one row per course and assessment, with its due date.
    static let planning = """
        course,item,due_date,weight
        Algebra,Midterm,2026-11-20,0.4
        Algebra,Final,2026-12-18,0.6
        Physics,Lab 1,2026-11-02,0.2
        7,Quiz,2026-10-01,0.1
        """

    func tables(_ text: String = planning, as name: String = "planning") throws -> ReferenceTables {
        let table = try ReferenceTable.parse(Data(text.utf8))
        return ReferenceTables([name: ("\(name)@3", table)])
    }

    func run(_ steps: String, columns: [String], rows: [[CellValue]],
             tables: ReferenceTables) throws -> PlanResult {
        try compile(plan: try makePlan(steps), columns: columns, references: tables).run(makeRecords(rows))
    }

    @Test("joins on two keys with other names in the table, adds the listed columns, and a miss is null by default")
    func leftJoin() throws {
        let result = try run(#"{"op": "lookup", "table": "planning", "on": {"course": "course", "assessment": "item"}, "columns": ["due_date"]}"#,
                             columns: ["student", "course", "assessment", "grade"],
                             rows: [["ana", "Algebra", "Midterm", .integer(8)], ["bo", "Physics", "Lab 1", .integer(6)],
                                    ["cy", "Algebra", "Oral", .integer(9)], ["di", .null, "Midterm", .integer(5)]],
                             tables: try tables())
        #expect(values(result) == [["ana", "Algebra", "Midterm", .integer(8), "2026-11-20"],
                                   ["bo", "Physics", "Lab 1", .integer(6), "2026-11-02"],
                                   ["cy", "Algebra", "Oral", .integer(9), .null],
                                   ["di", .null, "Midterm", .integer(5), .null]])
        #expect(result.errors.isEmpty)
    }

    @Test("without columns every non-key column is added, typed as ingest types a file without a schema")
    func allColumnsTyped() throws {
        let result = try run(#"{"op": "lookup", "table": "planning", "on": {"course": "course", "item": "item"}}"#,
                             columns: ["course", "item"], rows: [["Algebra", "Final"]], tables: try tables())
        #expect(values(result) == [["Algebra", "Final", "2026-12-18", .number(0.6)]])
    }

    @Test("keys match on their text: an integer, a whole decimal and a text 7 all find the table's 7")
    func keyText() throws {
        let steps = #"{"op": "lookup", "table": "planning", "on": {"course": "course", "item": "item"}, "columns": ["weight"]}"#
        let result = try run(steps, columns: ["course", "item"],
                             rows: [[.integer(7), "Quiz"], [.number(7.0), "Quiz"], ["7", "Quiz"], [.number(7.5), "Quiz"]],
                             tables: try tables())
        #expect(values(result).map(\.last) == [.number(0.1), .number(0.1), .number(0.1), .null])
    }

    @Test("missing: drop reports the row, filter removes it silently")
    func missingPolicies() throws {
        let rows: [[CellValue]] = [["Algebra", "Midterm"], ["Chemistry", "Midterm"]]
        let dropped = try run(#"{"op": "lookup", "table": "planning", "on": {"course": "course", "item": "item"}, "missing": "drop"}"#,
                              columns: ["course", "item"], rows: rows, tables: try tables())
        #expect(dropped.records.count == 1 && dropped.dropped == 1)
        #expect(dropped.errors.map(\.code) == ["lookup-missing"])
        #expect(dropped.errors.first?.message.contains("no row of planning@3 has the key (Chemistry, Midterm)") == true)
        #expect(dropped.errors.first?.line == 3)
        let filtered = try run(#"{"op": "lookup", "table": "planning", "on": {"course": "course", "item": "item"}, "missing": "filter"}"#,
                               columns: ["course", "item"], rows: rows, tables: try tables())
        #expect(filtered.records.count == 1 && filtered.filtered == 1 && filtered.errors.isEmpty)
    }

    @Test("a plan counts the assessments due by the run date per row, with run_date()")
    func dueByRunDate() throws {
        let steps = """
            {"op": "lookup", "table": "planning", "on": {"course": "course", "assessment": "item"}, "columns": ["due_date"]},
            {"op": "derive", "column": "due", "expression": "if(due_date <= run_date(), 1, 0)"}
            """
        let rows: [[CellValue]] = [["Algebra", "Midterm"], ["Algebra", "Final"], ["Physics", "Lab 1"]]
        let result = try PlanDates.$current.withValue(PlanDates(submittedAt: nil, runDate: "2026-12-01")) {
            try run(steps, columns: ["course", "assessment"], rows: rows, tables: try tables())
        }
        #expect(values(result).map(\.last) == [.integer(1), .integer(0), .integer(1)])
    }

    @Test("compile errors: a table not supplied, an unknown column on either side, a key with two rows")
    func compileErrors() throws {
        func error(_ step: String, columns: [String] = ["course", "item"], tables: ReferenceTables) throws -> PlanError? {
            let plan = try makePlan(step)
            do { _ = try compile(plan: plan, columns: columns, references: tables); return nil } catch { return error }
        }
        let missing = try error(#"{"op": "lookup", "table": "planning", "on": ["course"]}"#, tables: .none)
        #expect(missing?.code == .unknownReference && missing?.step == 1)
        let rowSide = try error(#"{"op": "lookup", "table": "planning", "on": ["cours"]}"#, tables: try tables())
        #expect(rowSide?.code == .unknownColumn)
        let tableSide = try error(#"{"op": "lookup", "table": "planning", "on": {"course": "code"}}"#, tables: try tables())
        #expect(tableSide?.code == .unknownColumn && tableSide?.message.contains("planning@3 has no column 'code'") == true)
        let added = try error(#"{"op": "lookup", "table": "planning", "on": ["course", "item"], "columns": ["due"]}"#,
                              tables: try tables())
        #expect(added?.code == .unknownColumn)
        let twice = try error(#"{"op": "lookup", "table": "planning", "on": ["course"]}"#, tables: try tables())
        #expect(twice?.code == .invalidReference)
        #expect(twice?.message.contains("more than one row with the key (Algebra) (data rows 1 and 2)") == true)
    }

    @Test("the step decodes from a list or a map, rejects an empty key and unknown fields, and round-trips")
    func decoding() throws {
        let list = try makePlan(#"{"op": "lookup", "table": "planning@2", "on": ["course", "item"], "missing": "filter"}"#)
        guard case .lookup(let step) = list.steps[0] else { Issue.record("not a lookup"); return }
        #expect(step.on == ["course": "course", "item": "item"] && step.table == "planning@2" && step.missing == .filter)
        #expect(try ProcessingPlan.parse(text: list.jsonText()) == list)
        let map = try makePlan(#"{"op": "lookup", "table": "t", "on": {"b": "x", "a": "y"}, "columns": ["z"]}"#)
        #expect(try ProcessingPlan.parse(text: map.jsonText()) == map)
        #expect(throws: (any Error).self) { try makePlan(#"{"op": "lookup", "table": "t", "on": []}"#) }
        #expect(throws: (any Error).self) { try makePlan(#"{"op": "lookup", "table": "t", "on": ["a"], "missing": "skip"}"#) }
        #expect(throws: (any Error).self) { try makePlan(#"{"op": "lookup", "table": "t", "keys": ["a"]}"#) }
        #expect(list.lookupTables == ["planning@2"])
    }

    @Test("tables parse from CSV or JSON; a bad header or too many rows is refused with the reason")
    func parsing() throws {
        let json = try ReferenceTable.parse(Data(#"[{"code": "A1", "n": 3}, {"code": "B2", "extra": true}]"#.utf8))
        #expect(json.columns == ["code", "n", "extra"])
        #expect(json.rows == [["A1", .integer(3), .null], ["B2", .null, .bool(true)]])
        let csv = try ReferenceTable.parse(Data("\u{FEFF}id, name\n007,Bond\n1,\n".utf8))
        #expect(csv.columns == ["id", "name"] && csv.rows == [["007", "Bond"], [.integer(1), .null]])
        #expect(throws: PlanError.self) { try ReferenceTable.parse(Data("a,a\n1,2\n".utf8)) }
        #expect(throws: PlanError.self) { try ReferenceTable.parse(Data("a,\n1,2\n".utf8)) }
        #expect(throws: PlanError.self) { try ReferenceTable.parse(Data("".utf8)) }
        #expect(throws: PlanError.self) { try ReferenceTable.parse(Data("[1, 2]".utf8)) }
    }
}
