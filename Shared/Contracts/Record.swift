import Tabular

/// One record in a chunk, with its source line so lineage survives every stage.
public struct Record: Codable, Sendable, Hashable {
    /// The 1-based physical line in the source where the record starts.
    public var line: Int
    /// The cells, in the chunk's column order.
    public var values: [CellValue]
    /// Fingerprints of the record's unique keys (one per ``UniqueKey`` of the chunk; nil when
    /// the key is exempt, e.g. a null `unique` cell), set by validate; publish enforces
    /// uniqueness across the job.
    public var keys: [String?]?
    /// The fingerprint of a plan's `dedupe` columns, set by transform; publish keeps the
    /// first record of each fingerprint in source order.
    public var dedupe: String?

    /// Creates a record.
    public init(line: Int, values: [CellValue], keys: [String?]? = nil, dedupe: String? = nil) {
        self.line = line
        self.values = values
        self.keys = keys
        self.dedupe = dedupe
    }
}

/// A key that must be unique across a whole job (a field with `unique`, the primary key, or
/// one of `uniqueKeys`).
public struct UniqueKey: Codable, Sendable, Hashable {
    /// The fields forming the key.
    public var fields: [String]
    /// `primary-key`, `unique` (one field's `unique` constraint) or `unique-key` (an entry of
    /// `uniqueKeys`); a duplicate is reported as `primary-key` or `unique-error`.
    public var kind: String

    /// Creates a unique key.
    public init(fields: [String], kind: String) {
        self.fields = fields
        self.kind = kind
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
