/// One row read from a non-CSV source, before any validation.
///
/// Every reader in this module yields `SourceRow`s, and the first row a reader yields
/// is always the header. What `line` means depends on the format, chosen so that a
/// person can find the row again:
///
/// | reader | `line` |
/// | --- | --- |
/// | `JSONLinesReader` | the 1-based physical line of the object |
/// | `JSONArrayReader` | the 1-based index of the element in the array (the 3rd object is 3) |
/// | `TextLinesReader` | the 1-based physical line of the item |
/// | `XLSXReader` | the spreadsheet row number (gaps in numbering are kept) |
///
/// Readers whose header is not a row of the file (JSON keys, the text column name)
/// give the header the `line` of the first record it was taken from or precedes.
public struct SourceRow: Sendable, Hashable {
    /// Where the row came from; see the table above for each format.
    public var line: Int

    /// The cell texts in column order; `nil` is a null or absent value.
    ///
    /// Rows may be longer or shorter than the header: the validation stage, which
    /// knows the schema, decides what that means (`extra-cell`, `missing-cell`).
    public var cells: [String?]

    /// For JSON records: the keys that the header lacks, in order of appearance.
    ///
    /// Their values are the trailing `extraKeys.count` cells of `cells`, after one cell
    /// per header column, so validation flags them as `extra-cell` and can name the key.
    /// Always empty for the header row and for the other formats.
    public var extraKeys: [String]

    /// Creates a row; mostly useful for tests and for stages that synthesise rows.
    public init(line: Int, cells: [String?], extraKeys: [String] = []) {
        self.line = line
        self.cells = cells
        self.extraKeys = extraKeys
    }

    /// The cell at `index`, or `nil` when the row is too short or the cell is null.
    public func cell(at index: Int) -> String? {
        cells.indices.contains(index) ? cells[index] : nil
    }
}
