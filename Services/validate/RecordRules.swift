import Contracts
import Tabular

/// The validation rules as a plain function of a header, a record and a schema, so they
/// are tested directly. Codes follow Frictionless: `missing-label`, `blank-row`,
/// `extra-cell`, `missing-cell`, `constraint-error`.
enum RecordRules {
    /// Schema fields the header lacks (a job-level error).
    static func missingColumns(header: [String], schema: TableSchema?) -> [String] {
        guard let schema else { return [] }
        let present = Set(header)
        return schema.fields.map(\.name).filter { !present.contains($0) }
    }

    /// Every problem with one record; empty when it is valid.
    static func check(_ record: Record, header: [String], schema: TableSchema?) -> [RecordError] {
        let missing = schema?.effectiveMissingValues ?? [""]
        func isMissing(_ value: CellValue?) -> Bool {
            switch value {
            case nil, .null?: return true
            case .string(let text)?: return missing.contains(text)
            default: return false
            }
        }
        if record.values.allSatisfy({ isMissing($0) }) {
            return [RecordError(line: record.line, field: nil, code: "blank-row", message: "the row is blank")]
        }
        var errors: [RecordError] = []
        if record.values.count > header.count {
            for index in header.count..<record.values.count {
                errors.append(RecordError(line: record.line, field: nil, code: "extra-cell",
                    message: "cell \(index + 1) has no column (the header has \(header.count))",
                    value: text(record.values[index])))
            }
        } else if record.values.count < header.count {
            for index in record.values.count..<header.count {
                errors.append(RecordError(line: record.line, field: header[index], code: "missing-cell",
                    message: "the row has no cell for column '\(header[index])'"))
            }
        }
        for field in schema?.fields ?? [] where field.constraints?.required == true {
            guard let index = header.firstIndex(of: field.name), index < record.values.count else { continue }
            if isMissing(record.values[index]) {
                errors.append(RecordError(line: record.line, field: field.name, code: "constraint-error",
                    message: "'\(field.name)' is required but empty", value: text(record.values[index])))
            }
        }
        return errors
    }

    private static func text(_ value: CellValue) -> String? {
        if case .null = value { return nil }
        return value.csvText
    }
}
