import Testing
@testable import Plans
import Contracts
import Tabular

@Suite("gradebook plan end to end")
struct GradebookPlanTests {
    static let plan = """
        name: Term 2 gradebook
        description: Clean the LMS export before publishing results
        steps:
          - op: rename
            columns:
              Student ID: student_id
              Full Name: name
              Final Score: score
              Submitted: submitted
              Status: status
          - op: trim
          - op: case
            columns: [name]
            to: title
          - op: cast
            column: submitted
            to: date
            format: "%d/%m/%Y"
            onError: drop
          - op: cast
            column: score
            to: number
            onError: "null"
          - op: derive
            column: pass
            expression: score >= 50
          - op: filter
            delete:
              any:
                - {column: status, operator: "=", value: withdrawn}
                - {column: score, operator: is_null}
          - op: derive
            column: days_late
            expression: "max(date_diff('days', '2024-03-01', submitted), 0)"
          - op: dedupe
            columns: [student_id]
          - op: drop
            columns: [status]
          - op: note
            text: Scores of students with extensions are reviewed by hand.
        """

    static let columns = ["Student ID", "Full Name", "Final Score", "Submitted", "Status"]

    static let rows: [[CellValue]] = [
        ["S001", "  ada LOVELACE ", "91", "28/02/2024", "active"],
        ["S002", "bob o'brien", "42.5", "01/03/2024", "active"],
        ["S003", "cy young", "77", "05/03/2024", "withdrawn"],
        ["S004", "dee", "", "01/03/2024", "active"],
        ["S005", "eve", "n/a", "02/03/2024", "active"],
        ["S006", "fay", "50", "31/02/2024", "active"],
        ["S001", "Ada Lovelace", "93", "03/03/2024", " active"],
        [" S007 ", "gus", "60", "4/3/2024", .null],
    ]

    @Test func runsTheWholePlan() throws {
        let plan = try ProcessingPlan.parse(text: Self.plan)
        #expect(plan.steps.count == 11)
        let compiled = try compile(plan: plan, columns: Self.columns)
        #expect(compiled.outputColumns == ["student_id", "name", "score", "submitted", "pass", "days_late"])
        #expect(compiled.notes == ["Scores of students with extensions are reviewed by hand."])
        #expect(compiled.dedupeColumns == ["student_id"])

        let result = compiled.run(makeRecords(Self.rows))
        #expect(result.records == [
            Record(line: 2, values: ["S001", "Ada Lovelace", 91.0, "2024-02-28", true, 0], dedupe: "s4:S001"),
            Record(line: 3, values: ["S002", "Bob O'brien", 42.5, "2024-03-01", false, 0], dedupe: "s4:S002"),
            Record(line: 8, values: ["S001", "Ada Lovelace", 93.0, "2024-03-03", true, 2], dedupe: "s4:S001"),
            Record(line: 9, values: ["S007", "Gus", 60.0, "2024-03-04", true, 3], dedupe: "s4:S007"),
        ])
        // Line 4 withdrawn; lines 5 (blank → null) and 6 (n/a → null, reported) have no score.
        #expect(result.filtered == 3)
        // Line 7 has an impossible date and is dropped by the cast.
        #expect(result.dropped == 1)
        #expect(result.errors == [
            RecordError(line: 6, field: "score", code: "cast-error",
                        message: "step 5 (cast 'score'): cannot read 'n/a' as a number; cell set to null", value: "n/a"),
            RecordError(line: 7, field: "submitted", code: "cast-error",
                        message: "step 4 (cast 'submitted'): cannot read '31/02/2024' as a date with format "
                            + "'%d/%m/%Y'; row removed", value: "31/02/2024"),
        ])
        // The later S001 shares the first one's key; the job-wide stage drops it.
        #expect(result.dedupeKeys == ["s4:S001", "s4:S002", "s4:S001", "s4:S007"])
    }

    @Test func sameResultFromJSONAndInChunks() throws {
        let yamlPlan = try ProcessingPlan.parse(text: Self.plan)
        let jsonPlan = try ProcessingPlan.parse(text: yamlPlan.jsonText())
        #expect(jsonPlan == yamlPlan)
        let compiled = try compile(plan: jsonPlan, columns: Self.columns)
        let records = makeRecords(Self.rows)
        let whole = compiled.run(records)
        let first = compiled.run(Array(records[0..<3]))
        let second = compiled.run(Array(records[3...]))
        #expect(first.records + second.records == whole.records)
        #expect(first.errors + second.errors == whole.errors)
        #expect((first.dedupeKeys ?? []) + (second.dedupeKeys ?? []) == whole.dedupeKeys)
        #expect(first.filtered + second.filtered == whole.filtered)
    }
}
