import Testing
@testable import Plans
import Contracts
import Tabular

@Suite("append and dedupe")
struct AppendDedupeTests {
    @Test func dedupeKeysAreTakenAtTheStepPosition() throws {
        let steps = """
            {"op": "dedupe", "columns": ["id", "term"]},
            {"op": "derive", "column": "id", "expression": "'changed'"}
            """
        let (compiled, result) = try runPlan(steps, columns: ["id", "term"],
                                             rows: [["S1", 1], ["S1", 1.0], ["S1", "1"], [.null, true], ["a|b", .null]])
        #expect(compiled.dedupeColumns == ["id", "term"])
        #expect(result.dedupeKeys == ["s2:S1|d1", "s2:S1|d1", "s2:S1|s1:1", "n|b1", "s3:a|b|n"])
        #expect(result.records.allSatisfy { $0.values[0] == "changed" })
    }

    @Test func recordsKeepUniqueKeysAndGetDedupeFingerprints() throws {
        let compiled = try compile(plan: try makePlan(#"{"op": "dedupe", "columns": ["id"]}"#), columns: ["id"])
        let input = [Record(line: 7, values: ["a"], keys: ["k1", nil])]
        #expect(compiled.run(input).records == [Record(line: 7, values: ["a"], keys: ["k1", nil], dedupe: "s1:a")])
        let plain = try compile(plan: try makePlan(#"{"op": "trim"}"#), columns: ["id"])
        let carried = [Record(line: 7, values: ["a"], keys: ["k1"], dedupe: "earlier")]
        #expect(plain.run(carried).records == carried)
    }

    @Test func dedupeKeysFollowOutputRecordsOnly() throws {
        let steps = """
            {"op": "dedupe", "columns": ["id"]},
            {"op": "filter", "delete": "id = 'x'"}
            """
        let (_, result) = try runPlan(steps, columns: ["id"], rows: [["a"], ["x"], ["b"]])
        #expect(result.dedupeKeys == ["s1:a", "s1:b"])
        #expect(result.dedupeKeys?.count == result.records.count)
    }

    @Test func keysAreUnambiguous() throws {
        let (_, result) = try runPlan(#"{"op": "dedupe", "columns": ["a", "b"]}"#, columns: ["a", "b"],
                                      rows: [["x|s1:y", "z"], ["x", "y|s1:z"]])
        let keys = try #require(result.dedupeKeys)
        #expect(keys[0] != keys[1])
    }

    @Test func appendedRecordsRunThroughLaterStepsOnly() throws {
        let steps = """
            {"op": "case", "columns": ["name"], "to": "upper"},
            {"op": "append", "records": [{"name": "total", "score": "10"}, {"name": "extra"}]},
            {"op": "cast", "column": "score", "to": "integer", "onError": "null"},
            {"op": "derive", "column": "double", "expression": "score * 2"},
            {"op": "append", "records": [{"name": "late", "double": 1}]},
            {"op": "filter", "delete": "name = 'extra'"}
            """
        let (compiled, result) = try runPlan(steps, columns: ["name", "score"], rows: [["ann", "4"]])
        #expect(compiled.outputColumns == ["name", "score", "double"])
        #expect(values(result) == [["ANN", 4, 8]])
        let appended = compiled.appendedRecords()
        #expect(appended.records == [
            Record(line: -1, values: ["total", 10, 20]),
            Record(line: -3, values: ["late", .null, 1]),
        ])
        #expect(appended.filtered == 1)
        #expect(appended.dedupeKeys == nil)
        #expect(compiled.appendedRecords() == appended)
    }

    @Test func appendedRecordErrorsUseSentinelLines() throws {
        let steps = """
            {"op": "append", "records": [{"v": "1"}, {"v": "oops"}]},
            {"op": "cast", "column": "v", "to": "integer"}
            """
        let (compiled, _) = try runPlan(steps, columns: ["v"], rows: [])
        let appended = compiled.appendedRecords()
        #expect(appended.records == [Record(line: -1, values: [1])])
        #expect(appended.dropped == 1)
        #expect(appended.errors.map(\.line) == [-2])
    }

    @Test func appendedDedupeKeys() throws {
        let steps = """
            {"op": "append", "records": [{"id": "S1"}]},
            {"op": "dedupe", "columns": ["id"]},
            {"op": "append", "records": [{"id": "S1"}, {"id": "S2"}]}
            """
        let (compiled, result) = try runPlan(steps, columns: ["id"], rows: [["S1"]])
        #expect(result.dedupeKeys == ["s2:S1"])
        // The first record went through dedupe and is keyed like data; the later ones
        // skipped it and get keys that can never collide.
        #expect(compiled.appendedRecords().dedupeKeys == ["s2:S1", "+append:2", "+append:3"])
    }

    @Test func noAppendGivesEmptyResult() throws {
        let (compiled, _) = try runPlan(#"{"op": "trim"}"#, columns: ["a"], rows: [])
        #expect(compiled.appendedRecords() == PlanResult())
    }

    @Test func chunksRunConcurrentlyAndDeterministically() async throws {
        let steps = """
            {"op": "replace", "column": "v", "pattern": "(\\\\d)", "with": "<$1>"},
            {"op": "filter", "keep": {"column": "v", "operator": "matches", "value": "<[0-4]>"}},
            {"op": "derive", "column": "n", "expression": "length(v) * 2"}
            """
        let compiled = try compile(plan: try makePlan(steps), columns: ["v"])
        let chunk = (0..<500).map { Record(line: $0 + 2, values: [.string(String($0))]) }
        let expected = compiled.run(chunk)
        let results = await withTaskGroup(of: PlanResult.self) { group in
            for _ in 0..<8 { group.addTask { compiled.run(chunk) } }
            var all: [PlanResult] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.allSatisfy { $0 == expected })
        #expect(expected.records.first == Record(line: 2, values: ["<0>", 6]))
    }
}
