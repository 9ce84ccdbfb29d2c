import Testing
@testable import Validation
import Contracts
import Tabular

@Suite("Schema compilation errors")
struct SchemaCompileTests {
    typealias Field = TableSchema.Field
    typealias Constraints = TableSchema.Constraints

    private func code(_ fields: [Field], primaryKey: [String]? = nil, uniqueKeys: [[String]]? = nil) -> String? {
        SchemaTestSupport.schemaError(fields, primaryKey: primaryKey, uniqueKeys: uniqueKeys)?.code
    }

    @Test func validSchemaCompiles() throws {
        let compiled = try SchemaTestSupport.compile([
            Field(name: "id", type: "integer", constraints: Constraints(unique: true)),
            Field(name: "d", type: "date", format: "%d/%m/%Y"), Field(name: "x"),
        ], primaryKey: ["id"], uniqueKeys: [["d", "x"]])
        #expect(compiled.uniqueConstraints.map(\.kind) == [.unique, .primaryKey, .uniqueKey])
        #expect(compiled.uniqueConstraints[2].fieldIndexes == [1, 2])
    }

    @Test func unknownType() {
        let error = SchemaTestSupport.schemaError([Field(name: "price", type: "money")])
        #expect(error?.code == "schema.unknown-type")
        #expect(error?.field == "price")
        #expect(error?.message.contains("\"price\"") == true)
        #expect(error?.message.contains("money") == true)
    }

    @Test func badFormats() {
        #expect(code([Field(name: "s", type: "string", format: "phone")]) == SchemaError.badFormat)
        #expect(code([Field(name: "s", type: "string", format: "wkt")]) == SchemaError.badFormat)
        #expect(code([Field(name: "g", type: "geopoint", format: "latlon")]) == SchemaError.badFormat)
        #expect(code([Field(name: "d", type: "date", format: "%d/%m/%")]) == SchemaError.badFormat)
        #expect(code([Field(name: "d", type: "date", format: "%Q")]) == SchemaError.badFormat)
        #expect(code([Field(name: "d", type: "date", format: "%d %d")]) == SchemaError.badFormat)
        #expect(code([Field(name: "n", type: "number", decimalChar: "")]) == SchemaError.badNumberFormat)
        #expect(code([Field(name: "n", type: "integer", format: "whatever")]) == nil)  // ignored, as frictionless
    }

    @Test func badPattern() {
        let error = SchemaTestSupport.schemaError([Field(name: "code", type: "string", constraints: Constraints(pattern: "[a-z"))])
        #expect(error?.code == "schema.bad-pattern")
        #expect(error?.field == "code")
    }

    @Test func unsupportedConstraints() {
        #expect(code([Field(name: "s", type: "string", constraints: Constraints(minimum: 1))])
                == SchemaError.unsupportedConstraint)
        #expect(code([Field(name: "n", type: "integer", constraints: Constraints(pattern: "\\d+"))])
                == SchemaError.unsupportedConstraint)
        #expect(code([Field(name: "b", type: "boolean", constraints: Constraints(maxLength: 1))])
                == SchemaError.unsupportedConstraint)
        #expect(code([Field(name: "d", type: "duration", constraints: Constraints(minimum: "P1D"))])
                == SchemaError.unsupportedConstraint)
    }

    @Test func badConstraintValues() {
        #expect(code([Field(name: "n", type: "integer", constraints: Constraints(minimum: 1.5))]) == SchemaError.badConstraint)
        #expect(code([Field(name: "n", type: "integer", constraints: Constraints(maximum: true))]) == SchemaError.badConstraint)
        #expect(code([Field(name: "d", type: "date", format: "%d/%m/%Y", constraints: Constraints(minimum: "2020-01-01"))])
                == SchemaError.badConstraint)
        #expect(code([Field(name: "b", type: "boolean", constraints: Constraints(enum: ["yes"]))]) == SchemaError.badConstraint)
        #expect(code([Field(name: "s", type: "string", constraints: Constraints(minLength: -1))]) == SchemaError.badConstraint)
        #expect(code([Field(name: "y", type: "year", constraints: Constraints(minimum: 1999.5))]) == SchemaError.badConstraint)
    }

    @Test func keys() {
        let fields = [Field(name: "a"), Field(name: "b")]
        let unknown = SchemaTestSupport.schemaError(fields, primaryKey: ["a", "c"])
        #expect(unknown?.code == "schema.unknown-field")
        #expect(unknown?.field == "c")
        #expect(code(fields, uniqueKeys: [["b"], ["z"]]) == SchemaError.unknownField)
        #expect(code(fields, uniqueKeys: [[]]) == SchemaError.badKey)
        #expect(code(fields, primaryKey: ["a", "a"]) == SchemaError.badKey)
        #expect(code([Field(name: "a"), Field(name: "a")]) == SchemaError.duplicateField)
    }

    @Test func everyTypeAndFormatCompiles() throws {
        var fields: [Field] = FieldType.allCases.map { Field(name: $0.rawValue, type: $0.rawValue) }
        for format in ["email", "uri", "uuid", "binary"] { fields.append(Field(name: format, type: "string", format: format)) }
        for format in ["array", "object"] { fields.append(Field(name: "g" + format, type: "geopoint", format: format)) }
        for (index, format) in ["any", "%Y-%m-%dT%H:%M:%S.%f%z", "%I%p %a %A %b %B %j %y %%"].enumerated() {
            fields.append(Field(name: "t\(index)", type: "datetime", format: format))
        }
        let compiled = try SchemaTestSupport.compile(fields)
        #expect(compiled.schema.fields.count == fields.count)
    }
}
