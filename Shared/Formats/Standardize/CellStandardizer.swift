/// Cleans up cell texts at ingest: trims whitespace and turns missing-value markers
/// into `nil`.
///
/// Mirrors the job option `standardize` (`trimCells`, default true; `missingValues`,
/// default `[""]`). Missing values are matched exactly (case-sensitive) against the
/// trimmed text when trimming is on, against the raw text otherwise; `nil` cells stay
/// `nil`. Trimming removes Unicode whitespace, including the non-breaking spaces
/// spreadsheets like to leave behind.
///
/// A pure value: the same input always gives the same output.
public struct CellStandardizer: Sendable, Hashable {
    /// Whether leading and trailing whitespace is removed.
    public var trimWhitespace: Bool

    /// Texts that mean "no value" and become `nil`.
    public var missingValues: Set<String> {
        didSet { missingLengths = Array(Set(missingValues.map(\.utf8.count))).sorted() }
    }
    /// The UTF-8 lengths of the missing values: a cell of another length cannot be one.
    private var missingLengths: [Int]

    /// Markers commonly used for "no value" in exported data; a suggestion for
    /// `missingValues`, not the default (`"NA"` is also Namibia's country code).
    public static let commonMissingValues: Set<String> = [
        "", "NA", "N/A", "n/a", "null", "NULL", "None", "NaN", "-",
    ]

    /// Creates a standardizer; by default it trims and treats only `""` as missing.
    public init(trimWhitespace: Bool = true, missingValues: some Sequence<String> = [""]) {
        self.trimWhitespace = trimWhitespace
        let values = Set(missingValues)
        self.missingValues = values
        missingLengths = Array(Set(values.map(\.utf8.count))).sorted()
    }

    /// Standardizes one cell.
    @inline(__always)
    public func standardize(_ cell: String?) -> String? {
        guard var text = cell else { return nil }
        if trimWhitespace { text = Self.trimmed(text) }
        // Most texts are not missing values; only hash those that could be (same length as one).
        guard missingLengths.contains(text.utf8.count) else { return text }
        return missingValues.contains(text) ? nil : text
    }

    /// Standardizes every cell of a row.
    public func standardize(_ cells: [String?]) -> [String?] {
        cells.map { standardize($0) }
    }

    /// Standardizes every cell of a source row, keeping its line and extra keys.
    public func standardize(_ row: SourceRow) -> SourceRow {
        SourceRow(line: row.line, cells: standardize(row.cells), extraKeys: row.extraKeys)
    }

    /// `text` without leading and trailing whitespace (`Character.isWhitespace`).
    ///
    /// Text that starts and ends with a visible ASCII character, the usual case, is
    /// returned as is without scanning it; ASCII whitespace around ASCII text is cut from
    /// the bytes. Only text whose ends, once trimmed, are not ASCII takes the walk through
    /// characters: a Unicode space, or a combining mark that would join the space before
    /// it into one character that is not whitespace.
    public static func trimmed(_ text: String) -> String {
        // One look at the stored bytes (the generic `utf8.last` walked back through an index).
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes -> String?? in
            guard let first = bytes.first, let last = bytes.last else { return .some(nil) }
            if isVisibleASCII(first) && isVisibleASCII(last) { return .some(nil) }
            var start = 0, end = bytes.count
            while start < end, isASCIISpace(bytes[start]) { start += 1 }
            while end > start, isASCIISpace(bytes[end - 1]) { end -= 1 }
            if start == end { return .some("") }
            guard bytes[start] < 0x80, bytes[end - 1] < 0x80 else { return nil }
            return .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        }
        switch fast {
        case .some(.some(.none)): return text
        case .some(.some(.some(let trimmed))): return trimmed
        default:
            guard let start = text.firstIndex(where: { !$0.isWhitespace }) else { return "" }
            let end = text.lastIndex(where: { !$0.isWhitespace })!
            return String(text[start...end])
        }
    }

    /// The ASCII characters that are whitespace: tab, line feed, vertical tab, form feed,
    /// carriage return and space.
    @inline(__always)
    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    @inline(__always)
    private static func isVisibleASCII(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }
}
