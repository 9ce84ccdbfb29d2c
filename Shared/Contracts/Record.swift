import Tabular

/// One record in a chunk, with its source line so lineage survives every stage.
public struct Record: Codable, Sendable, Hashable {
    /// The 1-based physical line in the source where the record starts.
    public var line: Int
    /// The cells, in the chunk's column order.
    public var values: [CellValue]

    /// Creates a record.
    public init(line: Int, values: [CellValue]) {
        self.line = line
        self.values = values
    }
}

/// A per-record problem: the record is reported, never silently dropped.
public struct RecordError: Codable, Sendable, Hashable {
    /// The source line of the record.
    public var line: Int
    /// The column, when the problem is about one cell.
    public var field: String?
    /// A stable code in the spirit of Frictionless (`missing-cell`, `constraint-error`, …).
    public var code: String
    /// What is wrong, for a person.
    public var message: String
    /// The offending cell text, if any.
    public var value: String?

    /// Creates a record error.
    public init(line: Int, field: String?, code: String, message: String, value: String? = nil) {
        self.line = line
        self.field = field
        self.code = code
        self.message = message
        self.value = value
    }
}
