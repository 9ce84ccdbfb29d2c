import Testing
@testable import Plans
import Contracts
import Tabular

@Suite("cast step")
struct CastStepTests {
    private func cast(_ fields: String, _ cells: [CellValue]) throws -> PlanResult {
        try runPlan(#"{"op": "cast", "column": "v", \#(fields)}"#, columns: ["v"], rows: cells.map { [$0] }).1
    }

    @Test func toInteger() throws {
        let result = try cast(#""to": "integer""#, [" 42 ", "007", "12.0", 3.0, true, .null, "1.5", "x", 7])
        #expect(values(result) == [[42], [7], [12], [3], [1], [.null], [7]])
        #expect(result.dropped == 2)
        #expect(result.errors.map(\.line) == [8, 9])
        #expect(result.errors.allSatisfy { $0.code == "cast-error" && $0.field == "v" })
        #expect(result.errors[0].value == "1.5")
        #expect(result.errors[0].message == "step 1 (cast 'v'): cannot read '1.5' as a whole number; row removed")
    }

    @Test func toNumber() throws {
        let result = try cast(#""to": "number""#, ["3.5", " 1e3", 2, false, "abc"])
        #expect(values(result) == [[3.5], [1000.0], [2.0], [0.0]])
        #expect(result.dropped == 1)
    }

    @Test func toStringKeepsNulls() throws {
        let result = try cast(#""to": "string""#, [12, 2.5, true, .null])
        #expect(values(result) == [["12"], ["2.5"], ["true"], [.null]])
    }

    @Test func toBooleanDefaultsAndCustom() throws {
        let defaults = try cast(#""to": "boolean""#, ["Yes", "n", 1, "TRUE", "maybe"])
        #expect(values(defaults) == [[true], [false], [true], [true]])
        #expect(defaults.errors.first?.message.contains("true is one of 1, t, true, y, yes") == true)
        let custom = try cast(#""to": "boolean", "trueValues": ["oui"], "falseValues": ["non"], "onError": "null""#,
                              ["Oui", "non", "yes"])
        #expect(values(custom) == [[true], [false], [.null]])
        #expect(custom.dropped == 0)
        #expect(custom.errors.count == 1)
        #expect(custom.errors[0].message.hasSuffix("; cell set to null"))
    }

    @Test func toDateIsoAndFormats() throws {
        let iso = try cast(#""to": "date""#, ["2024-03-01", "2024-03-01T10:00:00+02:00", "2024-02-30", "01/03/2024"])
        #expect(values(iso) == [["2024-03-01"], ["2024-03-01"]])
        #expect(iso.dropped == 2)
        #expect(iso.errors.last?.message.contains("add a \"format\"") == true)

        let dmy = try cast(#""to": "date", "format": "%d/%m/%Y""#, ["1/3/2024", "31/12/1999", "29/02/2023", "1/3/24"])
        #expect(values(dmy) == [["2024-03-01"], ["1999-12-31"]])
        #expect(dmy.errors.first?.message == "step 1 (cast 'v'): cannot read '29/02/2023' as a date with format "
            + "'%d/%m/%Y'; row removed")

        let named = try cast(#""to": "date", "format": "%d %b %y""#, ["5 mar 24", "17 September 70", "5 Foo 24"])
        #expect(values(named) == [["2024-03-05"], ["1970-09-17"]])

        let compact = try cast(#""to": "date", "format": "%Y%m%d""#, [20240301])
        #expect(values(compact) == [["2024-03-01"]])
    }

    @Test func toDatetime() throws {
        let iso = try cast(#""to": "datetime""#, ["2024-03-01T08:30:05.250", "2024-03-01 23:30-02:00",
                                                  "2024-03-01", "2024-03-01T25:00"])
        #expect(values(iso) == [["2024-03-01T08:30:05.250"], ["2024-03-02T01:30:00Z"], ["2024-03-01T00:00:00"]])
        let formatted = try cast(#""to": "datetime", "format": "%d.%m.%Y %H:%M""#, ["01.03.2024 8:05"])
        #expect(values(formatted) == [["2024-03-01T08:05:00"]])
    }

    @Test func onErrorKeepLeavesValue() throws {
        let result = try cast(#""to": "integer", "onError": "keep""#, ["x"])
        #expect(values(result) == [["x"]])
        #expect(result.errors.first?.message.hasSuffix("; cell left unchanged") == true)
    }

    @Test func invalidParameters() throws {
        let format = try #require(try compileError(#"{"op": "cast", "column": "v", "to": "integer", "format": "%Y"}"#,
                                                   columns: ["v"]))
        #expect(format.code == .invalidStep)
        let directive = try #require(try compileError(#"{"op": "cast", "column": "v", "to": "date", "format": "%d/%q/%Y"}"#,
                                                      columns: ["v"]))
        #expect(directive.code == .invalidFormat)
        #expect(directive.message.hasPrefix("step 1 (cast 'v'): unknown directive '%q' at position 4"))
        let missing = try #require(try compileError(#"{"op": "cast", "column": "v", "to": "date", "format": "%m/%Y"}"#,
                                                    columns: ["v"]))
        #expect(missing.code == .invalidFormat)
        let overlap = try #require(try compileError(
            #"{"op": "cast", "column": "v", "to": "boolean", "trueValues": ["Y"], "falseValues": ["y"]}"#, columns: ["v"]))
        #expect(overlap.code == .invalidStep)
        let unknown = try #require(try compileError(#"{"op": "cast", "column": "w", "to": "date"}"#, columns: ["v"]))
        #expect(unknown.code == .unknownColumn)
        #expect(unknown.message == "step 1 (cast 'w'): unknown column 'w'; did you mean 'v'?; columns at this step are: v")
    }
}
