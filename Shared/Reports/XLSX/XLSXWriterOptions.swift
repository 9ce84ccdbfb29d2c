import Contracts
import Tabular
/// Settings of an `XLSXStreamWriter`.
///
/// The defaults suit the publish stage: constant memory, Excel's full row limit, a bold and
/// frozen header row, and column widths from the header text.
public struct XLSXWriterOptions: Sendable, Hashable {
    /// Excel's hard limit of rows per worksheet, header included.
    public static let excelMaxRows = 1_048_576
    /// Excel's hard limit of columns per worksheet.
    public static let excelMaxColumns = 16_384
    /// Excel's limit on characters in one cell; longer text is cut to fit and ends in "…".
    public static let excelMaxCellCharacters = 32_767

    /// Where libxlsxwriter keeps its per-sheet temporary files while rows stream in. `nil`
    /// uses the system default (`tmpfile()`, usually `/tmp`). Set it on hosts whose `/tmp`
    /// is a RAM disk: a million-row sheet needs roughly its XML size there (often hundreds
    /// of MB) until `close()`.
    public var temporaryDirectory: String?
    /// Rows per sheet, header included, before the writer continues on a new sheet with the
    /// same header ("Data", "Data (2)", …). Clamped to 2…`excelMaxRows`; lowering it is
    /// mainly useful in tests.
    public var maxRowsPerSheet: Int
    /// Whether to allow ZIP64 extensions, needed only for files over 4 GB. Off by default
    /// because some older readers reject ZIP64 archives.
    public var useZip64: Bool
    /// Whether the header row is bold.
    public var boldHeader: Bool
    /// Whether the header row stays visible when scrolling.
    public var freezeHeader: Bool
    /// Column width (in Excel character units) bounds; each column is sized to its header
    /// text within them.
    public var columnWidths: ClosedRange<Double>

    /// Options with the documented defaults unless overridden.
    public init(
        temporaryDirectory: String? = nil,
        maxRowsPerSheet: Int = XLSXWriterOptions.excelMaxRows,
        useZip64: Bool = false,
        boldHeader: Bool = true,
        freezeHeader: Bool = true,
        columnWidths: ClosedRange<Double> = 8...40
    ) {
        self.temporaryDirectory = temporaryDirectory
        self.maxRowsPerSheet = min(max(maxRowsPerSheet, 2), Self.excelMaxRows)
        self.useZip64 = useZip64
        self.boldHeader = boldHeader
        self.freezeHeader = freezeHeader
        self.columnWidths = columnWidths
    }

    /// A sheet name Excel accepts: `[]:*?/\` replaced by `_`, no leading or trailing
    /// apostrophe, at most 31 characters, and not empty (then `fallback`).
    public static func sanitizedSheetName(_ name: String, fallback: String = "Sheet") -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var cleaned = String(name.map { forbidden.contains($0) || $0.isNewline ? "_" : $0 })
        while cleaned.hasPrefix("'") { cleaned.removeFirst() }
        while cleaned.hasSuffix("'") { cleaned.removeLast() }
        cleaned = clipped(cleaned, to: 31)
        while cleaned.hasSuffix("'") { cleaned.removeLast() }
        return cleaned.isEmpty ? fallback : cleaned
    }

    /// `name` with a ` (n)` suffix, clipped so the whole stays within 31 characters.
    public static func numberedSheetName(_ name: String, _ number: Int) -> String {
        let suffix = " (\(number))"
        return clipped(name, to: 31 - suffix.count) + suffix
    }

    /// At most `limit` Unicode scalars (libxlsxwriter counts UTF-8 code points), without
    /// splitting a character.
    private static func clipped(_ text: String, to limit: Int) -> String {
        var result = ""
        var scalars = 0
        for character in text {
            let size = character.unicodeScalars.count
            if scalars + size > limit { break }
            result.append(character)
            scalars += size
        }
        return result
    }
}
