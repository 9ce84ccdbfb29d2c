/// One logical CSV record together with where it came from.
///
/// Sluice reports every rejected row by its position in the uploaded file, so the
/// parser keeps the physical line on which each record starts (its lineage). A record
/// whose quoted field contains line breaks spans several physical lines; `line` is the
/// first of them, which is where a person opening the file in an editor should look.
public struct CSVRecord: Sendable, Hashable {
    /// The 1-based physical line on which the record starts.
    ///
    /// Line breaks are counted everywhere, including inside quoted fields and on
    /// skipped empty lines, so the number matches what a text editor shows.
    public var line: Int

    /// The decoded field values, in file order.
    ///
    /// Ragged rows are kept as they are: deciding whether a short or long row is an
    /// error belongs to the validation stage, which knows the expected schema.
    public var fields: [String]

    /// Creates a record; mostly useful for tests and for stages that synthesise rows.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }

    /// The field at `index`, or `nil` when this (ragged) record is too short.
    ///
    /// Lets callers map columns by header position without bounds-checking each access.
    public func field(at index: Int) -> String? {
        fields.indices.contains(index) ? fields[index] : nil
    }
}
