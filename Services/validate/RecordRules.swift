import Contracts
import Tabular

/// The structural rules for a job without a Table Schema, as a plain function so they are
/// tested directly. Codes follow Frictionless: `blank-row`, `extra-cell`, `missing-cell`.
/// With a schema, the `Validation` module's row checker applies these and every field rule.
enum RecordRules {
    /// Every structural problem with one record; empty when it is valid.
    static func check(_ record: Record, header: [String]) -> [RecordError] {
        if record.values.allSatisfy(\.isNull) {
            return [RecordError(line: record.line, field: nil, code: "blank-row", message: "the row is blank")]
        }
        var errors: [RecordError] = []
        if record.values.count > header.count {
            for index in header.count..<record.values.count {
                errors.append(RecordError(line: record.line, field: nil, code: "extra-cell",
                    message: "cell \(index + 1) has no column (the header has \(header.count))",
                    value: record.values[index].isNull ? nil : record.values[index].csvText))
            }
        } else if record.values.count < header.count {
            for index in record.values.count..<header.count {
                errors.append(RecordError(line: record.line, field: header[index], code: "missing-cell",
                    message: "the row has no cell for column '\(header[index])'"))
            }
        }
        return errors
    }
}
