import Contracts
import Tabular

/// Settings of an `XLSXStreamWriter`.
///
/// The defaults suit the publish stage: fast compression, Excel's full row limit, a bold
/// and frozen header row, and column widths from the header text. ZIP64 extensions are used
/// by themselves, only where an entry or offset needs them (past 4 GiB).
public struct XLSXWriterOptions: Sendable, Hashable {
    /// Excel's hard limit of rows per worksheet, header included.
    public static let excelMaxRows = 1_048_576
    /// Excel's hard limit of columns per worksheet.
    public static let excelMaxColumns = 16_384
    /// Excel's limit on characters in one cell; longer text is cut to fit and ends in "…".
    public static let excelMaxCellCharacters = 32_767

    /// Rows per sheet, header included, before the writer continues on a new sheet with the
    /// same header ("Data", "Data (2)", …). Clamped to 2…`excelMaxRows`; lowering it is
    /// mainly useful in tests.
    public var maxRowsPerSheet: Int
    /// The zlib deflate level of the ZIP entries, clamped to 0…9 (0 stores without
    /// compressing, 9 is smallest and slowest).
    ///
    /// The default, 1, is chosen for speed: compression dominates the time of writing a
    /// large sheet. A 1,000,000-row × 8-column sheet (numbers, short text, booleans) took
    /// 2.3–4.1 s for 55 MB at level 1 against 6.1–8.6 s for 41 MB at level 6 on a 2-core
    /// machine: roughly 2–3× faster for a file about a third larger. Level 0 stores the
    /// XML as is (about 6.5× larger than level 1).
    public var deflateLevel: Int32
    /// Whether the header row is bold.
    public var boldHeader: Bool
    /// Whether the header row stays visible when scrolling.
    public var freezeHeader: Bool
    /// Column width (in Excel character units) bounds; each column is sized to its header
    /// text within them.
    public var columnWidths: ClosedRange<Double>

    /// Options with the documented defaults unless overridden.
    public init(
        maxRowsPerSheet: Int = XLSXWriterOptions.excelMaxRows,
        deflateLevel: Int32 = 1,
        boldHeader: Bool = true,
        freezeHeader: Bool = true,
        columnWidths: ClosedRange<Double> = 8...40
    ) {
        self.maxRowsPerSheet = min(max(maxRowsPerSheet, 2), Self.excelMaxRows)
        self.deflateLevel = min(max(deflateLevel, 0), 9)
        self.boldHeader = boldHeader
        self.freezeHeader = freezeHeader
        self.columnWidths = columnWidths
    }

    /// A sheet name Excel accepts: `[]:*?/\` and control characters (which XML cannot
    /// carry in an attribute) replaced by `_`, no leading or trailing apostrophe, at most
    /// 31 characters, and not empty (then `fallback`).
    public static func sanitizedSheetName(_ name: String, fallback: String = "Sheet") -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var cleaned = String(name.map { character in
            // Control characters and the noncharacters U+FFFE/U+FFFF cannot appear in XML.
            let control = character.unicodeScalars.contains {
                $0.properties.generalCategory == .control || $0.value == 0xFFFE || $0.value == 0xFFFF
            }
            return forbidden.contains(character) || character.isNewline || control ? "_" : character
        })
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

    /// At most `limit` UTF-16 code units (what Excel's 31-character limit counts: an emoji is
    /// two), without splitting a character.
    private static func clipped(_ text: String, to limit: Int) -> String {
        var result = ""
        var scalars = 0
        for character in text {
            let size = character.utf16.count
            if scalars + size > limit { break }
            result.append(character)
            scalars += size
        }
        return result
    }
}
