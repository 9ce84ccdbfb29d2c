import Columnar
import Contracts

/// Record errors ⇄ bytes: an Arrow stream with the columns `line` (int64), `field`, `code`,
/// `message` and `value` (utf8; `field` and `value` nullable), one row per problem.
public enum RecordErrorCodec {
    /// The bytes of `errors`.
    public static func encode(_ errors: [RecordError]) -> [UInt8] {
        var line = ArrowBuilder(.int64, capacity: errors.count), field = ArrowBuilder(.utf8, capacity: errors.count)
        var code = ArrowBuilder(.utf8, capacity: errors.count), message = ArrowBuilder(.utf8, capacity: errors.count)
        var value = ArrowBuilder(.utf8, capacity: errors.count)
        for error in errors {
            line.append(Int64(error.line))
            if let name = error.field { field.append(name) } else { field.appendNull() }
            code.append(error.code)
            message.append(error.message)
            if let text = error.value { value.append(text) } else { value.appendNull() }
        }
        return ArrowStream.encode(ArrowTable(
            fields: [ArrowField(name: "line", type: .int64, nullable: false), ArrowField(name: "field", type: .utf8),
                     ArrowField(name: "code", type: .utf8, nullable: false),
                     ArrowField(name: "message", type: .utf8, nullable: false), ArrowField(name: "value", type: .utf8)],
            columns: [line.finish(), field.finish(), code.finish(), message.finish(), value.finish()],
            metadata: [("sluice.errors.version", ChunkCodec.version)]))
    }

    /// The errors in `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(ArrowFormatError) -> [RecordError] {
        let table = try ArrowStream.decodeTable(bytes)
        let names = table.fields.map(\.name)
        guard names == ["line", "field", "code", "message", "value"],
              table.fields.map(\.type) == [.int64, .utf8, .utf8, .utf8, .utf8] else {
            throw .malformed("a record-error object needs the columns line, field, code, message, value")
        }
        let (line, field, code, message, value) = (table.columns[0], table.columns[1], table.columns[2],
                                                   table.columns[3], table.columns[4])
        return (0..<table.rowCount).map { row in
            RecordError(line: Int(line.int64(row)), field: field.isNull(row) ? nil : field.string(row),
                        code: code.string(row), message: message.string(row),
                        value: value.isNull(row) ? nil : value.string(row))
        }
    }
}
