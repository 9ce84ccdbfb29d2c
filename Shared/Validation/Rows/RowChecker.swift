import Contracts
import Tabular
/// Checks rows against a compiled schema, one row at a time, with frictionless's
/// per-row semantics.
///
/// A checker is bound to one header (see ``HeaderCheck``); cells arrive in header order.
/// Columns bound to a field are read by it; other columns are passed through as text,
/// like frictionless's implicit `any` fields. The checker is a `Sendable` value with no
/// mutable state, so chunks can be checked in parallel; only uniqueness needs to see all
/// rows in order, which is ``UniqueTracker``'s job.
public struct RowChecker: Sendable {
    /// The compiled schema.
    public let schema: CompiledSchema
    /// The header this checker reads.
    public let header: HeaderCheck
    private let columns: [CompiledField?]
    private let names: [String]
    private let passThrough: MissingValues
    /// Per unique constraint, the header column of each key field (nil if not in the header).
    private let keyColumns: [[Int]?]
    /// Whether a column takes part in any key; equality keys are only built for those.
    private let isKeyColumn: [Bool]
    /// Per header column, whether a valid row's value there is its cell text as is, or null:
    /// `string` and `any` fields, and columns no field reads. A stage may carry such a column
    /// into its output without encoding it again, as long as no kept cell with a text was
    /// read as missing (null).
    public let keepsText: [Bool]
    /// Per header column, whether it is a `date` field: a valid row's value there is an ISO
    /// date (`YYYY-MM-DD`) or null, which a stage may store as a typed date column.
    public let isDate: [Bool]

    /// Creates a checker for rows laid out like `header`.
    public init(schema: CompiledSchema, header: HeaderCheck) {
        self.schema = schema
        self.header = header
        columns = header.columnFields.map { $0.map { schema.fields[$0] } }
        names = header.header.enumerated().map { offset, label in
            header.columnFields[offset].map { schema.schema.fields[$0].name } ?? label
        }
        passThrough = MissingValues(schema.schema.missingValues ?? [""])
        keyColumns = schema.uniqueConstraints.map { constraint in
            // frictionless skips a key entirely when one of its fields is not in the data.
            var found: [Int] = []
            for index in constraint.fieldIndexes {
                guard let column = header.columnFields.firstIndex(of: index) else { return nil }
                found.append(column)
            }
            return found
        }
        var isKey = [Bool](repeating: false, count: header.header.count)
        for columnsOfKey in keyColumns { for column in columnsOfKey ?? [] { isKey[column] = true } }
        isKeyColumn = isKey
        isDate = header.columnFields.map { index in
            guard let index, case .date = schema.fields[index].caster.kind else { return false }
            return true
        }
        keepsText = header.columnFields.map { index in
            guard let index else { return true }
            switch schema.fields[index].caster.kind {
            case .string, .any: return true
            default: return false
            }
        }
    }

    /// Checks one row. `cells` are in header order; `nil` (or a short array) means the row
    /// has no such cell. `line` is copied into every error.
    public func check(line: Int, cells: [String?]) -> RowOutcome {
        let width = columns.count
        var values = [CellValue](repeating: .null, count: width)
        // Only rows of a schema with keys need equality keys at all.
        var keys = [String?](repeating: nil, count: keyColumns.isEmpty ? 0 : width)
        var errors: [RecordError] = []
        var nullCount = 0
        for column in 0..<width {
            let text = column < cells.count ? cells[column] : nil
            if text == nil {
                errors.append(RecordError(line: line, field: names[column], code: "missing-cell",
                    message: "The row has no cell for column \(column + 1) \"\(names[column])\"."))
            }
            guard let field = columns[column] else {
                if let text, !passThrough.contains(text) { values[column] = .string(text) } else { nullCount += 1 }
                continue
            }
            switch field.read(text) {
            case .null:
                nullCount += 1
                if field.isRequired {
                    errors.append(RecordError(line: line, field: field.name, code: "constraint-error",
                        message: "\"\(field.name)\" is required but the cell is empty or missing.", value: text))
                }
            case .typeError:
                values[column] = .string(text!)
                errors.append(RecordError(line: line, field: field.name, code: "type-error",
                    message: "\"\(text!)\" is not a valid \(field.typeName) (format \"\(field.formatName)\") "
                        + "for field \"\(field.name)\".", value: text))
            case .value(let value, let failed):
                values[column] = value.cellValue
                if isKeyColumn[column] { keys[column] = value.hashKey ?? Self.unequal }
                for violation in failed {
                    errors.append(RecordError(line: line, field: field.name, code: "constraint-error",
                        message: "Field \"\(field.name)\": \(violation.message) (constraint \"\(violation.constraint)\").",
                        value: text))
                }
            }
        }
        for column in width..<max(width, cells.count) {
            errors.append(RecordError(line: line, field: nil, code: "extra-cell",
                message: "Cell \(column + 1) is beyond the \(width) columns of the header.", value: cells[column]))
        }
        if nullCount == width {
            // frictionless reports a blank row alone, whatever else is wrong with it.
            errors = [RecordError(line: line, field: nil, code: "blank-row",
                message: "The row is blank: every cell is empty or missing.")]
        }
        var fingerprints: [String?] = []
        fingerprints.reserveCapacity(keyColumns.count)
        for (constraint, columnsOfKey) in zip(schema.uniqueConstraints, keyColumns) {
            guard let columnsOfKey else { fingerprints.append(nil); continue }
            let parts = columnsOfKey.map { keys[$0] }
            if constraint.kind == .primaryKey, parts.allSatisfy({ $0 == nil }) {
                errors.append(RecordError(line: line, field: nil, code: "primary-key",
                    message: "Every field of the \(constraint.label) is empty or invalid; a primary key needs a value."))
                fingerprints.append(nil)
            } else if parts.contains(where: { $0 == Self.unequal })
                        || (constraint.kind != .primaryKey && parts.contains(where: { $0 == nil })) {
                fingerprints.append(nil)
            } else {
                fingerprints.append(KeyFingerprint.make(parts))
            }
        }
        return RowOutcome(line: line, values: values, errors: errors, fingerprints: fingerprints)
    }

    /// Marks a value that equals nothing, not even itself (NaN): never a duplicate.
    private static let unequal = "\u{0}nan"
}

/// Everything ``RowChecker/check(line:cells:)`` learned about one row.
public struct RowOutcome: Sendable, Hashable {
    /// The row's source line (as passed in).
    public var line: Int
    /// One typed cell per header column, in header order.
    ///
    /// - `integer` → `.integer` (or `.string` of the digits beyond 64 bits);
    /// - `number` → `.number`; `boolean` → `.bool`;
    /// - `date`, `time`, `datetime`, `year`, `yearmonth`, `duration` → canonical ISO text;
    /// - `geopoint` → `"lon,lat"`; `object`/`array` → the original JSON text;
    /// - `string`, `any` and columns the schema does not know → the text as is;
    /// - missing or absent cells → `.null`;
    /// - cells with a type error keep their original text, so a rejected row can be
    ///   reported with what the file actually contained.
    public var values: [CellValue]
    /// The row's problems, with Frictionless codes (`type-error`, `constraint-error`,
    /// `missing-cell`, `extra-cell`, `blank-row`, and `primary-key` for an all-null key).
    /// Duplicate keys are not detected here; see ``UniqueTracker``.
    public var errors: [RecordError]
    /// One fingerprint per ``CompiledSchema/uniqueConstraints`` entry, `nil` when the row
    /// does not take part in that constraint (null value, null key part where nulls are
    /// skipped, NaN, or a key column missing from the header).
    public var fingerprints: [String?]

    /// Creates an outcome.
    public init(line: Int, values: [CellValue], errors: [RecordError], fingerprints: [String?]) {
        self.line = line
        self.values = values
        self.errors = errors
        self.fingerprints = fingerprints
    }

    /// Whether the row passed every per-row check.
    public var isValid: Bool { errors.isEmpty }

    /// The row as a contract ``Record``: typed values, with the fingerprints as its `keys`.
    public var record: Record {
        Record(line: line, values: values, keys: fingerprints.isEmpty ? nil : fingerprints)
    }
}
