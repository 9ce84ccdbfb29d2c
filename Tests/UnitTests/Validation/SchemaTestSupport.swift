@testable import Validation
import Contracts
import Tabular

/// Helpers shared by the unit tests: one-field schemas read through the public API.
enum SchemaTestSupport {
    typealias Field = TableSchema.Field

    /// Compiles a schema made of `fields`, failing the test on a schema error.
    static func compile(_ fields: [Field], primaryKey: [String]? = nil, uniqueKeys: [[String]]? = nil,
                        missingValues: [String]? = nil) throws -> CompiledSchema {
        try CompiledSchema(schema: TableSchema(fields: fields, missingValues: missingValues,
                                               primaryKey: primaryKey, uniqueKeys: uniqueKeys))
    }

    /// Reads one cell through a one-field schema: the typed value and the error codes.
    static func read(_ field: Field, _ text: String?) throws -> (value: CellValue, codes: [String]) {
        let checker = try compile([field, Field(name: "_pad")]).rowChecker(header: [field.name, "_pad"])
        // The pad column keeps rows from being blank when the field's cell is missing.
        let outcome = checker.check(line: 1, cells: [text, "x"])
        return (outcome.values[0], outcome.errors.map(\.code))
    }

    /// The typed value of a valid cell, or `nil` if the cell has a type error.
    static func value(_ field: Field, _ text: String) throws -> CellValue? {
        let result = try read(field, text)
        return result.codes.contains("type-error") ? nil : result.value
    }

    /// Whether the cell is accepted without any error.
    static func accepts(_ field: Field, _ text: String) throws -> Bool {
        try read(field, text).codes.isEmpty
    }

    /// The schema error thrown for `fields`, if any.
    static func schemaError(_ fields: [Field], primaryKey: [String]? = nil,
                            uniqueKeys: [[String]]? = nil) -> SchemaError? {
        if case .failure(let error) = CompiledSchema.compile(
            TableSchema(fields: fields, primaryKey: primaryKey, uniqueKeys: uniqueKeys)) {
            return error
        }
        return nil
    }
}

/// A minimal CSV splitter for the oracle fixtures, behaving like Python's `csv.reader`
/// with the excel dialect (comma, double quote, doubled quotes inside quotes).
///
/// Only the test corpus goes through it; the product has its own CSV reader. It mirrors
/// Python where the fixtures rely on it: an empty line is a record with no cells, a quote
/// only opens a quoted field at the start of the field, text after a closing quote is
/// appended, and a quoted field may span lines.
enum CSVTestReader {
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var atFieldStart = true
        var lineHasContent = false
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func endLine() {
            if lineHasContent { record.append(field) }
            records.append(record)
            record = []
            field = ""
            atFieldStart = true
            lineHasContent = false
        }
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if inQuotes {
                if scalar == "\"" {
                    if index < scalars.count, scalars[index] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atFieldStart:
                inQuotes = true
                atFieldStart = false
                lineHasContent = true
            case ",":
                record.append(field)
                field = ""
                atFieldStart = true
                lineHasContent = true
            case "\r":
                if index < scalars.count, scalars[index] == "\n" { index += 1 }
                endLine()
            case "\n":
                endLine()
            default:
                field.unicodeScalars.append(scalar)
                atFieldStart = false
                lineHasContent = true
            }
        }
        if lineHasContent { endLine() }
        return records
    }
}
