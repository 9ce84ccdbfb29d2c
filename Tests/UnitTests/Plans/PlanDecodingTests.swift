import Foundation
import Testing
@testable import Plans
import Contracts
import Tabular

@Suite("plan decoding")
struct PlanDecodingTests {
    static let json = #"""
    {
      "name": "every op",
      "version": 1,
      "description": "One of each",
      "steps": [
        {"op": "rename", "columns": {"Student ID": "student_id"}},
        {"op": "select", "columns": ["student_id", "score", "status", "born", "flag"]},
        {"op": "drop", "columns": ["flag"]},
        {"op": "reorder", "columns": ["score"]},
        {"op": "trim"},
        {"op": "trim", "columns": ["status"]},
        {"op": "case", "columns": ["status"], "to": "lower"},
        {"op": "cast", "column": "born", "to": "date", "format": "%d/%m/%Y", "onError": "null"},
        {"op": "cast", "column": "score", "to": "boolean", "trueValues": ["yes", "on"], "falseValues": ["no", "off"]},
        {"op": "fill", "column": "status", "value": "active"},
        {"op": "replace", "column": "status", "map": {"W": "withdrawn", "": null, "1": 1}},
        {"op": "replace", "column": "status", "pattern": "\\s+", "with": " "},
        {"op": "derive", "column": "pass", "expression": "score >= 50", "onError": "keep"},
        {"op": "filter", "delete": {"any": [
          {"column": "status", "operator": "=", "value": "withdrawn"},
          {"column": "score", "operator": "is_null"},
          {"all": [{"column": "status", "operator": "in", "value": ["a", "b", "007"]}, "score > 2"]}
        ]}},
        {"op": "filter", "keep": "not is_null(student_id)"},
        {"op": "append", "records": [{"student_id": "TOTAL", "score": 0.5}, {"status": true}]},
        {"op": "dedupe", "columns": ["student_id"]},
        {"op": "note", "text": "yes, no and on stay text: 'quoted'"}
      ]
    }
    """#

    static let yaml = #"""
    # The same plan as `json`, in YAML.
    name: every op
    version: 1
    description: One of each
    steps:
      - op: rename
        columns: {Student ID: student_id}
      - op: select
        columns: [student_id, score, status, born, flag]
      - {op: drop, columns: [flag]}
      - op: reorder
        columns:
          - score
      - op: trim
      - op: trim
        columns: [status]
      - op: case
        columns: [status]
        to: lower
      - op: cast
        column: born
        to: date
        format: "%d/%m/%Y"
        onError: "null"
      - op: cast
        column: score
        to: boolean
        trueValues: [yes, on]
        falseValues: [no, off]
      - op: fill
        column: status
        value: active
      - op: replace
        column: status
        map:
          W: withdrawn
          "": ~
          "1": 1
      - op: replace
        column: status
        pattern: '\s+'
        with: " "
      - op: derive
        column: pass
        expression: score >= 50
        onError: keep
      - op: filter
        delete:
          any:
            - {column: status, operator: "=", value: withdrawn}
            - {column: score, operator: is_null}
            - all:
                - {column: status, operator: in, value: [a, b, "007"]}
                - score > 2
      - op: filter
        keep: not is_null(student_id)
      - op: append
        records:
          - student_id: TOTAL
            score: 0.5
          - status: true
      - op: dedupe
        columns: [student_id]
      - op: note
        text: "yes, no and on stay text: 'quoted'"
    """#

    @Test func yamlAndJsonDecodeToTheSameValue() throws {
        let fromJSON = try ProcessingPlan.parse(text: Self.json)
        let fromYAML = try ProcessingPlan.parse(text: Self.yaml)
        #expect(fromJSON.steps.count == 18)
        for (index, (a, b)) in zip(fromJSON.steps, fromYAML.steps).enumerated() {
            #expect(a == b, "step \(index + 1)")
        }
        #expect(fromJSON == fromYAML)
        guard case .filter(let filter) = fromYAML.steps[13], case .any(let conditions) = filter.condition,
              case .all(let inner) = conditions[2], case .rule(let rule) = inner[0] else {
            Issue.record("unexpected filter shape")
            return
        }
        #expect(rule.value == .list(["a", "b", "007"]))
    }

    @Test func jsonRoundTrip() throws {
        let plan = try ProcessingPlan.parse(text: Self.json)
        let encoded = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(ProcessingPlan.self, from: encoded) == plan)
        #expect(try ProcessingPlan.parse(text: plan.jsonText()) == plan)
        #expect(plan.jsonText().contains(#""op" : "case""#))
    }

    @Test func codableModelMatchesSwiftValues() throws {
        let plan = try makePlan(#"""
            {"op": "cast", "column": "d", "to": "date"},
            {"op": "derive", "column": "x", "expression": "1"},
            {"op": "filter", "keep": {"column": "d", "operator": "<>", "value": "2024-01-01"}},
            {"op": "case", "columns": ["d"], "to": "title"}
            """#)
        #expect(plan.version == 1)
        #expect(try ProcessingPlan.parse(text: #"{"name": "p", "version": 3, "steps": []}"#).version == 3)
        #expect(plan.steps == [
            .cast(CastStep(column: "d", to: .date)),
            .derive(DeriveStep(column: "x", expression: "1")),
            .filter(FilterStep(.keep, .rule(FilterRule(column: "d", .notEqual, .scalar("2024-01-01"))))),
            .changeCase(columns: ["d"], to: .title),
        ])
        #expect(plan.steps.map(\.op) == ["cast", "derive", "filter", "case"])
    }

    @Test(arguments: [
        (#"{"name": "p", "steps": [{"op": "note", "text": "x"}, {"op": "frobnicate"}]}"#,
         "step 2: unknown op 'frobnicate'", 2),
        (#"{"name": "p", "steps": [{"op": "slect", "columns": ["a"]}]}"#, "did you mean 'select'?", 1),
        (#"{"name": "p", "steps": [{"op": "trim", "colums": ["a"]}]}"#,
         "step 1 (trim): unknown field 'colums' (did you mean 'columns'?); fields are: op, columns", 1),
        (#"{"name": "p", "steps": [{"columns": ["a"]}]}"#, "step 1 has no \"op\"", 1),
        (#"{"name": "p", "steps": [{"op": "filter", "keep": "a", "delete": "b"}]}"#,
         "step 1 (filter) needs exactly one of \"keep\" and \"delete\"", 1),
        (#"{"name": "p", "steps": [{"op": "filter", "keep": {"column": "a", "operator": "like", "value": 1}}]}"#,
         "unknown filter operator 'like'", 1),
        (#"{"name": "p", "steps": [{"op": "case", "columns": ["a"], "to": "snake"}]}"#, "steps[0].to", 1),
        (#"{"name": "p", "steps": [{"op": "select", "columns": "a"}]}"#, "step 1: expected a list (", 1),
        (#"{"name": "p", "steps": [{"op": "derive", "column": "a"}]}"#, "step 1: missing field 'expression'", 1),
        (#"{"name": "p", "steps": [{"op": "fill", "column": "a"}]}"#, "step 1 (fill) needs a \"value\"", 1),
        (#"{"name": "p", "version": 0, "steps": []}"#, "plan version must be 1 or more, not 0", nil),
        (#"{"name": "p", "stpes": []}"#, "plan: unknown field 'stpes' (did you mean 'steps'?)", nil),
        (#"{"name": "p", "steps": [}"#, "not valid JSON", nil),
        ("name: p\nsteps: [\n", "not valid YAML", nil),
    ] as [(String, String, Int?)])
    func invalidDocuments(text: String, fragment: String, step: Int?) {
        do {
            _ = try ProcessingPlan.parse(text: text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.code == .invalidDocument)
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.step == step)
            #expect(!error.message.contains("step 1: step") && !error.message.contains("step 2: step"))
        }
    }

    @Test func yamlScalarsFollowTheCoreSchema() throws {
        let plan = try ProcessingPlan.parse(text: """
            name: scalars
            steps:
              - op: append
                records:
                  - {a: yes, b: 'no', c: '', d: 007, e: 1.50, f: True, g: null, h: 2024-03-01, i: !!str 12, j: "12"}
            """)
        guard case .append(let records) = plan.steps[0] else {
            Issue.record("not an append")
            return
        }
        #expect(records[0] == ["a": "yes", "b": "no", "c": "", "d": "007", "e": 1.5, "f": true, "g": .null,
                               "h": "2024-03-01", "i": "12", "j": "12"])
    }
}
