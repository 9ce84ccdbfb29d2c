import Foundation
import Testing
@testable import Validation
import Contracts
import Tabular

@Suite("TableSchema JSON")
struct SchemaCodingTests {
    static let document = """
    {
      "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
      "title": "ignored",
      "fields": [
        {"name": "id", "type": "integer", "title": "Identifier", "description": "Row id",
         "constraints": {"required": true, "unique": true, "minimum": 1, "maximum": "999"},
         "rdfType": "ignored"},
        {"name": "price", "type": "number", "decimalChar": ",", "groupChar": ".", "bareNumber": false,
         "constraints": {"exclusiveMinimum": 0.5, "enum": [1, 2.5, "3,5"]}},
        {"name": "ok", "type": "boolean", "trueValues": ["y"], "falseValues": ["n"],
         "constraints": {"enum": [true]}},
        {"name": "code", "format": "default", "missingValues": ["-"],
         "constraints": {"minLength": 1, "maxLength": 5, "pattern": "[A-Z]+"}},
        {"name": "tags", "type": "array", "constraints": {"enum": [[1, "a"], [{"k": null}]]}}
      ],
      "missingValues": ["", "NA"],
      "primaryKey": "id",
      "uniqueKeys": [["price", "ok"]],
      "foreignKeys": [{"fields": "id", "reference": {"resource": "", "fields": "id"}}]
    }
    """

    @Test func decodesRealSchemas() throws {
        let schema = try JSONDecoder().decode(TableSchema.self, from: Data(Self.document.utf8))
        #expect(schema.fields.count == 5)
        #expect(schema.primaryKey == ["id"])
        #expect(schema.uniqueKeys == [["price", "ok"]])
        #expect(schema.missingValues == ["", "NA"])
        #expect(schema.fields[0].constraints?.maximum == .string("999"))
        #expect(schema.fields[1].constraints?.enum == [.integer(1), .number(2.5), .string("3,5")])
        #expect(schema.fields[1].bareNumber == false)
        #expect(schema.fields[2].trueValues == ["y"])
        #expect(schema.fields[3].effectiveType == "string")
        #expect(schema.fields[3].missingValues == ["-"])
        #expect(schema.fields[4].constraints?.enum?.first == .array([.integer(1), .string("a")]))
        #expect(schema.fields[0].title == "Identifier")
        _ = try CompiledSchema(schema: schema)
    }

    @Test func roundTripsThroughJSON() throws {
        let schema = try JSONDecoder().decode(TableSchema.self, from: Data(Self.document.utf8))
        for formatting in [JSONEncoder.OutputFormatting(), [.sortedKeys, .prettyPrinted]] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = formatting
            let data = try encoder.encode(schema)
            #expect(try JSONDecoder().decode(TableSchema.self, from: data) == schema)
        }
        let built = TableSchema(fields: [TableSchema.Field(name: "a", type: "date", format: "%d.%m.%Y",
            constraints: .init(minimum: "01.01.2020", enum: [.bool(false), .null, .object(["x": 1.5])]))])
        #expect(try JSONDecoder().decode(TableSchema.self, from: JSONEncoder().encode(built)) == built)
    }

    @Test func primaryKeyArrayAndAbsent() throws {
        let array = try JSONDecoder().decode(TableSchema.self,
            from: Data(#"{"fields":[{"name":"a"},{"name":"b"}],"primaryKey":["a","b"]}"#.utf8))
        #expect(array.primaryKey == ["a", "b"])
        let none = try JSONDecoder().decode(TableSchema.self, from: Data(#"{"fields":[]}"#.utf8))
        #expect(none.primaryKey == nil && none.effectiveMissingValues == [""])
    }

    @Test func badDocumentsFailToDecode() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TableSchema.self, from: Data(#"{"fields":[{"type":"string"}]}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TableSchema.self, from: Data(#"{"fields":[],"primaryKey":1}"#.utf8))
        }
    }

    @Test func schemaErrorsAndConstraintsAreCodable() throws {
        let error = SchemaError(code: SchemaError.unknownType, message: "m", field: "f")
        #expect(try JSONDecoder().decode(SchemaError.self, from: JSONEncoder().encode(error)) == error)
        let compiled = try SchemaTestSupport.compile([TableSchema.Field(name: "a")], primaryKey: ["a"])
        let data = try JSONEncoder().encode(compiled.uniqueConstraints)
        #expect(try JSONDecoder().decode([UniqueConstraint].self, from: data) == compiled.uniqueConstraints)
    }
}
