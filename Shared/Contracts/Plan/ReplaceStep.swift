import Tabular
/// Parameters of a `replace` step; at least one of `map` and `pattern` is required.
///
///     {"op": "replace", "column": "status", "map": {"W": "withdrawn", "-": null}}
///     {"op": "replace", "column": "phone", "pattern": "[^0-9+]", "with": ""}
///
/// `map` matches a non-null cell's whole text exactly (`1` matches an integer 1) and puts
/// the mapped value in its place. `pattern` then rewrites every match in text cells, with
/// `$0`–`$9` in `with` standing for the match and its groups (`$$` is a dollar sign);
/// numbers and booleans are left alone.
public struct ReplaceStep: Sendable, Hashable {
    /// The column to rewrite.
    public var column: String
    /// Whole-value replacements: cell text → new value.
    public var map: [String: CellValue]?
    /// A regular expression (Swift `Regex` syntax, similar to PCRE).
    public var pattern: String?
    /// The replacement for each `pattern` match; empty when omitted.
    public var with: String?

    /// Creates replace parameters.
    public init(column: String, map: [String: CellValue]? = nil, pattern: String? = nil, with: String? = nil) {
        self.column = column
        self.map = map
        self.pattern = pattern
        self.with = with
    }
}
