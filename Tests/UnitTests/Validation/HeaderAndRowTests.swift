import Testing
@testable import Validation
import Contracts
import Tabular

@Suite("Header check and row check")
struct HeaderAndRowTests {
    typealias Field = TableSchema.Field

    private let schema = TableSchema(fields: [
        Field(name: "id", type: "integer"), Field(name: "name", type: "string"),
        Field(name: "when", type: "date"),
    ])

    @Test func matchingHeaderInAnyOrder() {
        let check = HeaderCheck(header: ["when", "id", "name"], schema: schema)
        #expect(check.isValid)
        #expect(check.columnFields == [2, 0, 1])
    }

    @Test func headerProblems() {
        let check = HeaderCheck(header: ["id", "ID", "", "id", "extra"], schema: schema)
        #expect(check.problems.map(\.code)
                == ["extra-label", "blank-label", "duplicate-label", "extra-label", "missing-label", "missing-label"])
        #expect(check.problems.filter { $0.code == "missing-label" }.map(\.field) == ["name", "when"])
        #expect(check.problems.first { $0.code == "duplicate-label" }?.position == 4)
        #expect(check.columnFields == [0, nil, nil, nil, nil])
        #expect(check.problems.allSatisfy { !$0.message.isEmpty })
    }

    @Test func labelsMatchExactly() {
        let check = HeaderCheck(header: ["id", "name", "whe\u{301}n"], schema: TableSchema(fields: [
            Field(name: "id"), Field(name: "name"), Field(name: "whén"),
        ]))
        #expect(check.problems.map(\.code) == ["extra-label", "missing-label"])
    }

    @Test func rowsAreReadByName() throws {
        let checker = try CompiledSchema(schema: schema).rowChecker(header: ["when", "extra", "id", "name"])
        let outcome = checker.check(line: 7, cells: ["2024-1-2", "kept", "42", ""])
        #expect(outcome.values == [.string("2024-01-02"), .string("kept"), .integer(42), .null])
        #expect(outcome.isValid)
        #expect(outcome.line == 7)
    }

    @Test func missingExtraAndBlank() throws {
        let checker = try CompiledSchema(schema: schema).rowChecker(header: ["id", "name", "when"])
        let short = checker.check(line: 2, cells: ["1"])
        #expect(short.errors.map(\.code) == ["missing-cell", "missing-cell"])
        #expect(short.errors.map(\.field) == ["name", "when"])
        let long = checker.check(line: 3, cells: ["1", "a", "2024-01-01", "x", ""])
        #expect(long.errors.map(\.code) == ["extra-cell", "extra-cell"])
        #expect(long.errors.first?.value == "x")
        #expect(long.values.count == 3)
        let blank = checker.check(line: 4, cells: [])
        #expect(blank.errors.map(\.code) == ["blank-row"])
        let blankWithExtra = checker.check(line: 5, cells: ["", "", "", "x"])
        #expect(blankWithExtra.errors.map(\.code) == ["blank-row"])
        let gap = checker.check(line: 6, cells: ["1", nil, "2024-01-01"])
        #expect(gap.errors.map(\.code) == ["missing-cell"])
    }

    @Test func typeErrorsKeepTheText() throws {
        let checker = try CompiledSchema(schema: schema).rowChecker(header: ["id", "name", "when"])
        let outcome = checker.check(line: 9, cells: ["4x", "a", "2023-02-29"])
        #expect(outcome.errors.map(\.code) == ["type-error", "type-error"])
        #expect(outcome.errors.map(\.value) == ["4x", "2023-02-29"])
        #expect(outcome.values == [.string("4x"), .string("a"), .string("2023-02-29")])
        #expect(outcome.errors.allSatisfy { $0.line == 9 && $0.message.contains($0.value!) })
    }

    @Test func missingValuesMakeNulls() throws {
        let compiled = try SchemaTestSupport.compile([
            Field(name: "a", type: "number"), Field(name: "b", type: "string", missingValues: ["?"]),
        ], missingValues: ["NA", ""])
        let checker = compiled.rowChecker(header: ["a", "b"])
        #expect(checker.check(line: 1, cells: ["NA", "?"]).errors.map(\.code) == ["blank-row"])
        let outcome = checker.check(line: 2, cells: [" NA", "NA"])
        #expect(outcome.errors.map(\.code) == ["type-error"])
        #expect(outcome.values[1] == .string("NA"))
    }
}
