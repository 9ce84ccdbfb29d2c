/// Parameters of a `lookup` step: join a stored reference table on key columns and add
/// its columns to each row (docs/plans.md#lookup).
///
///     {"op": "lookup", "table": "planning", "on": {"course": "course", "assessment": "item"},
///      "columns": ["due_date"], "missing": "null"}
///
/// The table is stored in the transform service (`sluice references put NAME FILE`) and
/// versioned; `NAME` is pinned to its latest version the first time a job uses it, so every
/// chunk and retry of the job joins the same rows. Keys match on their text (an integer 7
/// matches a table cell `7`; a null key matches nothing); the table must hold one row per key.
public struct LookupStep: Sendable, Hashable {
    /// `NAME` or `NAME@VERSION` of a stored reference table.
    public var table: String
    /// Row column → table column, for each key column (a list names columns alike in both).
    public var on: [String: String]
    /// The row's key columns, sorted (the order of key columns does not change a match).
    public var keyOrder: [String]
    /// The table columns to add (absent: every column that is not a key). A column the row
    /// already has is overwritten in place, as `derive` does.
    public var columns: [String]?
    /// What happens to a row without a matching table row; default `null`.
    public var missing: LookupMissing

    /// Creates lookup parameters; `on` pairs row columns with table columns, in key order.
    public init(table: String, on: [(row: String, table: String)], columns: [String]? = nil,
                missing: LookupMissing = .null) {
        self.table = table
        self.on = Dictionary(on.map { ($0.row, $0.table) }, uniquingKeysWith: { first, _ in first })
        self.keyOrder = self.on.keys.sorted()
        self.columns = columns
        self.missing = missing
    }
}

/// What a `lookup` does with a row whose key is not in the table.
public enum LookupMissing: String, Sendable, Hashable, Codable, CaseIterable {
    /// Keep the row with the added columns null (a left join). The default.
    case null
    /// Remove the row and report it as a row error (`lookup-missing`).
    case drop
    /// Remove the row silently, as a filter does (an inner join).
    case filter
}
