/// An incremental reader for plain text with one item per line (`text` sources).
///
/// The header is a single column named `columnName` (default `value`); every
/// non-blank line becomes a one-cell row.
///
/// - Each row's `line` is the 1-based physical line, counting blank lines, so it
///   matches what an editor shows. The header row carries the line of the first item.
/// - Blank lines (empty or whitespace only) are skipped; trailing whitespace is
///   trimmed (including a CR of a CRLF line end and Unicode spaces such as U+00A0);
///   leading whitespace is kept, since indentation may be meaningful.
/// - A UTF-8 byte-order mark at the start is stripped. Input must be UTF-8: convert
///   Windows-1252 or UTF-16 input first (`TextEncoding`, `Windows1252Transcoder`,
///   `UTF16Transcoder`).
/// - Empty input (or only blank lines) yields no rows at all, not even the header,
///   like an empty CSV file.
///
/// Failures are sticky: once `feed` or `finish` has thrown, later calls throw again.
public struct TextLinesReader: BufferScanningReader {
    /// The name of the single column.
    public let columnName: String

    /// The limits this reader enforces: a line may be at most `maxRecordBytes` long
    /// as read and `maxFieldBytes` once trimmed.
    public let limits: FormatLimits

    /// The first error met so far, if any; once set, the stream is abandoned.
    public internal(set) var failure: FormatError?

    private var splitter: LineSplitter
    private var headerDone = false

    /// Creates a reader for one stream; feed it blocks, then call `finish()` once.
    public init(columnName: String = "value", limits: FormatLimits = .default) {
        self.columnName = columnName
        self.limits = limits
        splitter = LineSplitter(maxLineBytes: limits.maxRecordBytes)
    }

    /// Ends the stream: returns the row of a last line without a line break. The
    /// reader is then reset for reuse.
    public mutating func finish() throws(FormatError) -> [SourceRow] {
        if let failure { throw failure }
        var rows: [SourceRow] = []
        var splitter = self.splitter
        self.splitter = LineSplitter(maxLineBytes: 0)
        do {
            try splitter.finish { (line, number) throws(FormatError) in
                try handle(line, number: number, into: &rows)
            }
        } catch {
            failure = error
            throw error
        }
        self = TextLinesReader(columnName: columnName, limits: limits)
        return rows
    }

    /// Reads a complete in-memory file; convenient for small files and tests.
    public static func parse(
        _ data: some Collection<UInt8>, columnName: String = "value", limits: FormatLimits = .default
    ) throws(FormatError) -> [SourceRow] {
        var reader = TextLinesReader(columnName: columnName, limits: limits)
        return try reader.readAll(data)
    }

    /// Parses the next block of bytes, appending the rows it completes (see ``StreamingRowReader``).
    public mutating func ingest(
        _ buffer: UnsafeBufferPointer<UInt8>, into rows: inout [SourceRow]
    ) throws(FormatError) {
        var splitter = self.splitter
        self.splitter = LineSplitter(maxLineBytes: 0)
        defer { self.splitter = splitter }
        try splitter.split(buffer) { (line, number) throws(FormatError) in
            try handle(line, number: number, into: &rows)
        }
    }

    /// Turns one line into a row unless it is blank.
    private mutating func handle(
        _ line: UnsafeBufferPointer<UInt8>, number: Int, into rows: inout [SourceRow]
    ) throws(FormatError) {
        // Trim ASCII whitespace bytewise first: the common case needs no more.
        var end = line.count
        while end > 0, Self.isASCIISpace(line[end - 1]) { end -= 1 }
        guard end > 0 else { return }
        let trimmed = UnsafeBufferPointer(rebasing: line[0..<end])
        guard var text = UTF8Text.decode(trimmed) else {
            throw FormatError(.invalidUTF8, line: number, message: "Line \(number) is not valid "
                + "UTF-8. Re-save the file as UTF-8, or submit it with encoding "
                + "\"windows-1252\" if it comes from an older Windows program.")
        }
        if line[end - 1] >= 0x80 {
            while let last = text.last, last.isWhitespace { text.removeLast() }
            guard !text.isEmpty else { return }
        }
        guard text.utf8.count <= limits.maxFieldBytes else {
            throw FormatError(.fieldTooLong, line: number, message: "Line \(number) is longer "
                + "than the limit of \(limits.maxFieldBytes) bytes. Check that the file has one "
                + "item per line, or raise the field size limit.")
        }
        if !headerDone {
            headerDone = true
            rows.append(SourceRow(line: number, cells: [columnName]))
        }
        rows.append(SourceRow(line: number, cells: [text]))
    }

    @inline(__always)
    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}
