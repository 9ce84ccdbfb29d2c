/// Bounds that keep a hostile or broken upload from exhausting memory or time.
///
/// Every reader takes a `FormatLimits`; exceeding one is a `FormatError` whose code
/// names the limit, never a crash or an unbounded allocation. The defaults suit
/// real-world uploads of a few hundred megabytes and millions of rows; raise them per
/// job only when a legitimate file needs it.
public struct FormatLimits: Sendable, Hashable {
    /// How deeply JSON objects and arrays may nest; the record object itself is level 1.
    ///
    /// Default 64. Also bounds the recursion of the JSON value parser.
    public var maxDepth: Int

    /// The longest single value, in UTF-8 bytes after decoding (a JSON string, the
    /// compact text of a nested JSON value, a text line, a spreadsheet cell).
    ///
    /// Default 16 MiB.
    public var maxFieldBytes: Int

    /// The most cells one row may have (header columns plus extra keys, or the
    /// highest spreadsheet column used). Default 16,384, Excel's own column limit.
    public var maxColumns: Int

    /// The longest single record as raw bytes: a JSON Lines line or one element of a
    /// JSON array. The reader buffers one record, so this bounds its memory.
    ///
    /// Default 64 MiB.
    public var maxRecordBytes: Int

    /// XLSX: the most bytes the workbook may unpack to, as declared by the zip and as
    /// actually produced while extracting (whichever is larger). Default 2 GiB.
    public var maxUncompressedBytes: Int

    /// XLSX: the most entries (files) the zip may hold. Default 10,000.
    public var maxArchiveEntries: Int

    /// XLSX: the most an entry may expand (uncompressed ÷ compressed size), checked for
    /// entries that unpack to more than `compressionRatioFloor` bytes. Default 200;
    /// real sheets stay well below 100, zip bombs reach thousands.
    public var maxCompressionRatio: Int

    /// XLSX: the shared strings table is held in memory; this bounds it, counted as
    /// UTF-8 text bytes plus 16 bytes per string. Default 512 MiB.
    public var maxSharedStringsBytes: Int

    /// Entries smaller than this many bytes (uncompressed) are exempt from the ratio
    /// check: a few kilobytes of repeated markup legitimately compress very well.
    public static let compressionRatioFloor = 1 << 20

    /// The defaults described on each property.
    public static let `default` = FormatLimits()

    /// Creates limits; every parameter defaults to the value documented above.
    public init(
        maxDepth: Int = 64,
        maxFieldBytes: Int = 16 << 20,
        maxColumns: Int = 16_384,
        maxRecordBytes: Int = 64 << 20,
        maxUncompressedBytes: Int = 2 << 30,
        maxArchiveEntries: Int = 10_000,
        maxCompressionRatio: Int = 200,
        maxSharedStringsBytes: Int = 512 << 20
    ) {
        self.maxDepth = maxDepth
        self.maxFieldBytes = maxFieldBytes
        self.maxColumns = maxColumns
        self.maxRecordBytes = maxRecordBytes
        self.maxUncompressedBytes = maxUncompressedBytes
        self.maxArchiveEntries = maxArchiveEntries
        self.maxCompressionRatio = maxCompressionRatio
        self.maxSharedStringsBytes = maxSharedStringsBytes
    }
}
