import Contracts
import Tabular
/// The comparison of a file's header row with a schema: job-level problems and the
/// column-to-field binding that ``RowChecker`` uses.
///
/// Fields are matched to columns **by name**, exactly (case and Unicode form included),
/// so column order does not matter. Problems use Frictionless codes:
/// - `missing-label`: a schema field has no column;
/// - `extra-label`: a column has no schema field (its cells are kept as text);
/// - `duplicate-label`: a label repeats an earlier one (the first occurrence is bound);
/// - `blank-label`: a column has an empty label.
///
/// Problems are values, not thrown errors: the caller decides whether a header problem
/// fails the job.
public struct HeaderCheck: Sendable, Hashable {
    /// The header as read.
    public let header: [String]
    /// For each header column, the index of the schema field bound to it, or `nil`.
    public let columnFields: [Int?]
    /// Everything wrong with the header, in column order then schema order.
    public let problems: [HeaderProblem]

    /// Whether the header matches the schema exactly (in any order).
    public var isValid: Bool { problems.isEmpty }

    /// Compares `header` with `schema`'s field names.
    public init(header: [String], schema: TableSchema) {
        self.header = header
        var byName: [String: Int] = [:]
        for (index, field) in schema.fields.enumerated() where byName[PythonText.exactKey(field.name)] == nil {
            byName[PythonText.exactKey(field.name)] = index
        }
        var bound: [Int?] = []
        var seen: [String: Int] = [:]
        var problems: [HeaderProblem] = []
        for (offset, label) in header.enumerated() {
            let position = offset + 1
            let key = PythonText.exactKey(label)
            if label.isEmpty {
                bound.append(nil)
                problems.append(HeaderProblem(code: "blank-label",
                    message: "Column \(position) has an empty label; name it after a schema field or remove it.",
                    label: label, field: nil, position: position))
            } else if let first = seen[key] {
                bound.append(nil)
                problems.append(HeaderProblem(code: "duplicate-label",
                    message: "Column \(position) is labelled \"\(label)\" like column \(first); labels must be unique.",
                    label: label, field: byName[key].map { schema.fields[$0].name }, position: position))
            } else if let index = byName[key] {
                seen[key] = position
                bound.append(index)
            } else {
                seen[key] = position
                bound.append(nil)
                problems.append(HeaderProblem(code: "extra-label",
                    message: "Column \(position) \"\(label)\" is not a field of the schema; add it to the schema "
                        + "or remove the column.",
                    label: label, field: nil, position: position))
            }
        }
        let present = Set(bound.compactMap { $0 })
        for (index, field) in schema.fields.enumerated() where !present.contains(index) {
            problems.append(HeaderProblem(code: "missing-label",
                message: "The schema field \"\(field.name)\" has no column in the header; add a column "
                    + "labelled \"\(field.name)\" or remove the field from the schema.",
                label: nil, field: field.name, position: nil))
        }
        self.columnFields = bound
        self.problems = problems
    }
}

/// One problem with a header row.
public struct HeaderProblem: Codable, Sendable, Hashable {
    /// `missing-label`, `extra-label`, `duplicate-label` or `blank-label`.
    public var code: String
    /// What is wrong and what to do, for a person.
    public var message: String
    /// The header label concerned, if any.
    public var label: String?
    /// The schema field concerned, if any.
    public var field: String?
    /// The 1-based column, if the problem is about a column.
    public var position: Int?

    /// Creates a header problem.
    public init(code: String, message: String, label: String?, field: String?, position: Int?) {
        self.code = code
        self.message = message
        self.label = label
        self.field = field
        self.position = position
    }
}
