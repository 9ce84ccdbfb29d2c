import Testing
@testable import Validation
import Contracts
import Tabular

@Suite("Constraints")
struct ConstraintTests {
    typealias Field = TableSchema.Field
    typealias Constraints = TableSchema.Constraints

    private func codes(_ field: Field, _ text: String?) throws -> [String] {
        try SchemaTestSupport.read(field, text).codes
    }

    @Test func requiredOnlyFailsOnNull() throws {
        let field = Field(name: "x", type: "integer", constraints: Constraints(required: true, minimum: 5))
        #expect(try codes(field, "") == ["constraint-error"])
        #expect(try codes(field, nil) == ["missing-cell", "constraint-error"])
        #expect(try codes(field, "abc") == ["type-error"])  // type errors skip every constraint
        #expect(try codes(field, "7").isEmpty)
    }

    @Test func otherConstraintsSkipNull() throws {
        let field = Field(name: "x", type: "string",
                          constraints: Constraints(minLength: 3, pattern: "[a-z]+", enum: ["abc"]))
        #expect(try codes(field, "").isEmpty)
    }

    @Test func eachFailingConstraintIsReported() throws {
        let field = Field(name: "x", type: "string",
                          constraints: Constraints(minLength: 3, maxLength: 5, pattern: "[a-z]+", enum: ["abc"]))
        #expect(try codes(field, "AB") == ["constraint-error", "constraint-error", "constraint-error"])
        #expect(try codes(field, "abc").isEmpty)
    }

    @Test func lengthsCountCodePoints() throws {
        let field = Field(name: "x", type: "string", constraints: Constraints(maxLength: 2))
        #expect(try codes(field, "é").isEmpty)
        #expect(try codes(field, "e\u{301}e").count == 1)  // 3 code points, 2 characters
        let array = Field(name: "a", type: "array", constraints: Constraints(minLength: 1, maxLength: 2))
        #expect(try codes(array, "[1]").isEmpty)
        #expect(try codes(array, "[]").count == 1)
        #expect(try codes(array, "[1,2,3]").count == 1)
        let object = Field(name: "o", type: "object", constraints: Constraints(minLength: 2))
        #expect(try codes(object, "{\"a\":1,\"a\":2}").count == 1)
    }

    @Test func numericBoundsAreExact() throws {
        let field = Field(name: "x", type: "number", constraints: Constraints(minimum: 0.3, maximum: "1e3"))
        #expect(try codes(field, "0.3").isEmpty)
        #expect(try codes(field, "0.29999999999999999").count == 1)
        #expect(try codes(field, "1000.0000000000000001").count == 1)
        #expect(try codes(field, "nan").count == 2)  // NaN fails both bounds
        let integer = Field(name: "n", type: "integer",
                            constraints: Constraints(minimum: -5, maximum: "99999999999999999999"))
        #expect(try codes(integer, "99999999999999999999").isEmpty)
        #expect(try codes(integer, "100000000000000000000").count == 1)
        #expect(try codes(integer, "-6").count == 1)
    }

    @Test func exclusiveBounds() throws {
        let field = Field(name: "x", type: "integer",
                          constraints: Constraints(exclusiveMinimum: 0, exclusiveMaximum: 10.0))
        #expect(try codes(field, "0").count == 1)
        #expect(try codes(field, "10").count == 1)
        #expect(try codes(field, "5").isEmpty)
    }

    @Test func temporalBoundsUseTheFieldFormat() throws {
        let field = Field(name: "d", type: "date", format: "%d/%m/%Y",
                          constraints: Constraints(minimum: "01/01/2020", maximum: "31/12/2020"))
        #expect(try codes(field, "15/06/2020").isEmpty)
        #expect(try codes(field, "31/12/2019").count == 1)
        let aware = Field(name: "t", type: "datetime", constraints: Constraints(minimum: "2023-01-01T00:00:00Z"))
        #expect(try codes(aware, "2023-01-01T00:30:00+01:00").count == 1)  // 2022-12-31T23:30Z
        #expect(try codes(aware, "2023-01-01T00:00:00").count == 1)  // naive: not comparable
        let year = Field(name: "y", type: "year", constraints: Constraints(minimum: 1900, maximum: "2100"))
        #expect(try codes(year, "1899").count == 1)
        let month = Field(name: "m", type: "yearmonth", constraints: Constraints(exclusiveMaximum: "2024-02"))
        #expect(try codes(month, "2024-2").count == 1)
        let time = Field(name: "t", type: "time", constraints: Constraints(maximum: "12:00:00+00:00"))
        #expect(try codes(time, "12:30:00+01:00").isEmpty)
    }

    @Test func enumUsesPythonEquality() throws {
        let number = Field(name: "x", type: "number", constraints: Constraints(enum: [1, 2.5, "3.0"]))
        for text in ["1.0", "2.50", "3", "03.000"] { #expect(try codes(number, text).isEmpty, "\(text)") }
        #expect(try codes(number, "nan").count == 1)
        let boolean = Field(name: "b", type: "boolean", constraints: Constraints(enum: [true]))
        #expect(try codes(boolean, "1").isEmpty)
        #expect(try codes(boolean, "0").count == 1)
        let duration = Field(name: "d", type: "duration", constraints: Constraints(enum: ["P1Y", "PT36H"]))
        #expect(try codes(duration, "P12M").isEmpty)
        #expect(try codes(duration, "P1DT12H").isEmpty)
        let string = Field(name: "s", type: "string", constraints: Constraints(enum: ["café"]))
        #expect(try codes(string, "cafe\u{301}").count == 1)  // canonically equal, but not to Python
        let array = Field(name: "a", type: "array", constraints: Constraints(enum: [.array([1, 2]), "[\"a\"]"]))
        #expect(try codes(array, "[1.0, 2e0]").isEmpty)
        #expect(try codes(array, "[\"a\"]").isEmpty)
        let point = Field(name: "p", type: "geopoint", format: "array", constraints: Constraints(enum: [.array([1, 2])]))
        #expect(try codes(point, "[1.0, 2]").isEmpty)
    }

    @Test func patternIsAnchoredLikeFrictionless() throws {
        func matches(_ pattern: String, _ text: String) throws -> Bool {
            try codes(Field(name: "s", type: "string", constraints: Constraints(pattern: pattern)), text).isEmpty
        }
        #expect(try matches("[a-z]+", "abc"))
        #expect(try !matches("[a-z]+", "abc1"))
        #expect(try matches("abc", "abc\n"))  // Python's `$` before a final newline
        #expect(try matches("a|b", "axxx"))  // "^a|b$": frictionless does not group
        #expect(try !matches("a|b", "xax"))
        #expect(try matches("(?P<x>[a-z])(?P=x)", "aa"))
        #expect(try matches("\\d{3}", "١٢٣"))
        #expect(try !matches("abc\\Z", "abc\n"))
    }
}
