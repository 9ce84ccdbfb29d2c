import Testing
@testable import Validation
import Contracts
import Tabular

@Suite("Uniqueness across rows")
struct UniqueTrackerTests {
    typealias Field = TableSchema.Field
    typealias Constraints = TableSchema.Constraints

    /// Runs rows through a checker and one tracker, returning (line, code, field) findings.
    private func findings(_ schema: CompiledSchema, _ header: [String], _ rows: [[String]])
        -> [(Int, String, String?)] {
        let checker = schema.rowChecker(header: header)
        var tracker = UniqueTracker(schema: schema)
        var result: [(Int, String, String?)] = []
        for (offset, row) in rows.enumerated() {
            let outcome = checker.check(line: offset + 1, cells: row)
            for error in outcome.errors + tracker.observe(line: offset + 1, fingerprints: outcome.fingerprints) {
                result.append((error.line, error.code, error.field))
            }
        }
        return result
    }

    @Test func uniqueFieldReportsLaterDuplicatesAndSkipsNulls() throws {
        let schema = try SchemaTestSupport.compile([
            Field(name: "n", type: "number", constraints: Constraints(unique: true)), Field(name: "x"),
        ])
        let result = findings(schema, ["n", "x"], [["1", "a"], ["1.0", "b"], ["", "c"], ["", "d"], ["1e0", "e"],
                                                   ["nan", "f"], ["nan", "g"]])
        #expect(result.map(\.0) == [2, 5])
        #expect(result.allSatisfy { $0.1 == "unique-error" && $0.2 == "n" })
    }

    @Test func primaryKeyDuplicatesAndNulls() throws {
        let schema = try SchemaTestSupport.compile([Field(name: "a"), Field(name: "b", type: "integer"), Field(name: "c")],
                                             primaryKey: ["a", "b"])
        let result = findings(schema, ["a", "b", "c"], [
            ["x", "1", "r1"], ["x", "01", "r2"], ["x", "", "r3"], ["x", "", "r4"], ["", "", "r5"], ["", "zz", "r6"],
        ])
        #expect(result.map(\.0) == [2, 4, 5, 6, 6])
        #expect(result.map(\.1) == ["primary-key", "primary-key", "primary-key", "type-error", "primary-key"])
        #expect(result.filter { $0.1 == "primary-key" }.allSatisfy { $0.2 == nil })
    }

    @Test func uniqueKeysIgnoreRowsWithNullParts() throws {
        let schema = try SchemaTestSupport.compile([Field(name: "a"), Field(name: "b"), Field(name: "c")],
                                             uniqueKeys: [["a", "b"], ["c"]])
        let result = findings(schema, ["a", "b", "c"], [
            ["x", "1", "p"], ["x", "1", "q"], ["x", "", "r"], ["x", "", "s"], ["y", "1", "p"],
        ])
        #expect(result.map(\.0) == [2, 5])
        #expect(result.allSatisfy { $0.1 == "unique-error" && $0.2 == nil })
    }

    @Test func keysSpanChunksAndCheckers() throws {
        let schema = try SchemaTestSupport.compile([Field(name: "id", type: "integer")], primaryKey: ["id"])
        let first = schema.rowChecker(header: ["id"])
        let second = schema.rowChecker(header: ["id"])
        var tracker = UniqueTracker(constraints: schema.uniqueConstraints)
        let a = first.check(line: 10, cells: ["7"])
        let b = second.check(line: 20_000, cells: ["+7"])
        #expect(a.fingerprints == b.fingerprints)
        #expect(tracker.observe(line: 10, fingerprints: a.fingerprints).isEmpty)
        let duplicate = tracker.observe(line: 20_000, fingerprints: b.fingerprints)
        #expect(duplicate.map(\.code) == ["primary-key"])
        #expect(duplicate.first?.message.contains("line 10") == true)
        #expect(tracker.distinctKeys == 1)
    }

    @Test func fingerprintsAreCompactAndUnambiguous() {
        let a = KeyFingerprint.make(["sa\u{1F}sb", "sc"])
        let b = KeyFingerprint.make(["sa", "sb\u{1F}sc"])
        #expect(a != b)
        #expect(a.utf8.count == 32)
        #expect(KeyFingerprint.make([nil, "x"]) != KeyFingerprint.make(["x", nil]))
        #expect(KeyFingerprint.value(of: a) != nil)
        var seen = Set<String>()
        for index in 0..<100_000 { seen.insert(KeyFingerprint.make(["i\(index)"])) }
        #expect(seen.count == 100_000)
    }

    @Test func missingKeyColumnDisablesTheKey() throws {
        let schema = try SchemaTestSupport.compile([Field(name: "a"), Field(name: "b")], primaryKey: ["a"])
        let checker = schema.rowChecker(header: ["b"])
        #expect(checker.header.problems.map(\.code) == ["missing-label"])
        #expect(checker.check(line: 1, cells: ["x"]).fingerprints == [nil])
    }

    @Test func fingerprintIsFNV1a128OfTheEncoding() {
        // Reference: FNV-1a 128 of 01 | 03 00 00 00 00 00 00 00 | "abc", computed in Python.
        #expect(KeyFingerprint.make(["abc"]) == "9fd44ecaa9fd8038e1e904f3f2822ad1")
        #expect(KeyFingerprint.value(of: "9fd44ecaa9fd8038e1e904f3f2822ad1").map(KeyFingerprint.hex)
                == "9fd44ecaa9fd8038e1e904f3f2822ad1")
        #expect(KeyFingerprint.value(of: "xyz") == nil)
    }

    @Test func outcomesConvertToContractTypes() throws {
        let schema = try SchemaTestSupport.compile([Field(name: "id", type: "integer"), Field(name: "v")],
                                             primaryKey: ["id"], uniqueKeys: [["v"]])
        #expect(schema.uniqueConstraints.map(\.uniqueKey) == [
            UniqueKey(fields: ["id"], kind: "primary-key"), UniqueKey(fields: ["v"], kind: "unique-key"),
        ])
        #expect(schema.uniqueConstraints.map { UniqueConstraint($0.uniqueKey).kind } == schema.uniqueConstraints.map(\.kind))
        let outcome = schema.rowChecker(header: ["id", "v"]).check(line: 3, cells: ["5", ""])
        #expect(outcome.record == Record(line: 3, values: [.integer(5), .null], keys: outcome.fingerprints))
        #expect(outcome.fingerprints[1] == nil)
    }
}
