/// An incremental reader for JSON Lines (`jsonl`): one JSON object per line.
///
/// Feed it blocks of bytes as they arrive; it returns the rows completed so far and
/// buffers only the unfinished line (at most `FormatLimits.maxRecordBytes`).
///
/// - The first row is the header: the keys of the first object, in order. That row
///   and the first data row both carry the first object's line number.
/// - Every row's `line` is the 1-based physical line of its object, counting blank
///   lines, so it matches what an editor shows.
/// - Blank (or whitespace-only) lines are skipped; CRLF and LF line ends are both
///   fine; a UTF-8 byte-order mark at the start is stripped.
/// - Values become cells as described for `JSONRecordParser`: strings as is, numbers
///   as written, booleans as `true`/`false`, `null` as `nil`, nested values as compact
///   JSON text. Missing keys are `nil`; keys the header lacks are appended and named in
///   `SourceRow.extraKeys` (see `JSONRowShaper`).
///
/// Errors (`FormatError`) name the line and column; a line that is not an object is
/// `format.not-an-object`. Failures are sticky: once `feed` or `finish` has thrown,
/// every later call throws the same error.
public struct JSONLinesReader: Sendable {
    /// The limits this reader enforces.
    public let limits: FormatLimits

    /// The first error met so far, if any; once set, the stream is abandoned.
    public internal(set) var failure: FormatError?

    private var splitter: LineSplitter
    private var parser: JSONRecordParser
    private var shaper: JSONRowShaper

    /// Creates a reader for one stream; feed it blocks, then call `finish()` once.
    public init(limits: FormatLimits = .default) {
        self.limits = limits
        splitter = LineSplitter(maxLineBytes: limits.maxRecordBytes)
        parser = JSONRecordParser(limits: limits)
        shaper = JSONRowShaper(limits: limits)
    }

    /// Ends the stream: returns the row of a last line without a line break, or throws
    /// the first error met. The reader is then reset for reuse.
    public mutating func finish() throws(FormatError) -> [SourceRow] {
        if let failure { throw failure }
        var rows: [SourceRow] = []
        var splitter = self.splitter
        self.splitter = LineSplitter(maxLineBytes: 0)
        do {
            try splitter.finish { (line, number) throws(FormatError) in
                try handle(line, number: number, isLast: true, into: &rows)
            }
        } catch {
            failure = error
            throw error
        }
        self = JSONLinesReader(limits: limits)
        return rows
    }

    /// Parses a complete in-memory file; convenient for small files and tests.
    public static func parse(
        _ data: some Collection<UInt8>, limits: FormatLimits = .default
    ) throws(FormatError) -> [SourceRow] {
        var reader = JSONLinesReader(limits: limits)
        var rows = try reader.feed(data)
        try rows.append(contentsOf: reader.finish())
        return rows
    }

    /// Parses the next block of bytes, appending the rows it completes (see ``StreamingRowReader``).
    public mutating func ingest(
        _ buffer: UnsafeBufferPointer<UInt8>, into rows: inout [SourceRow]
    ) throws(FormatError) {
        // Moved out while splitting, so the closure may mutate the rest of `self`.
        var splitter = self.splitter
        self.splitter = LineSplitter(maxLineBytes: 0)
        defer { self.splitter = splitter }
        try splitter.split(buffer) { (line, number) throws(FormatError) in
            try handle(line, number: number, isLast: false, into: &rows)
        }
    }

    /// Parses one line unless it is blank.
    private mutating func handle(
        _ line: UnsafeBufferPointer<UInt8>, number: Int, isLast: Bool, into rows: inout [SourceRow]
    ) throws(FormatError) {
        guard !Self.isBlank(line) else { return }
        do {
            try parser.parse(line)
            try shaper.shape(parser, line: number, into: &rows)
        } catch {
            let column = error.offset.map { $0 + 1 }
            let place = column.map { "Line \(number), column \($0)" } ?? "Line \(number)"
            if case .endOfInput = error, !isLast {
                throw FormatError(.jsonSyntax, line: number, message: "\(place): the line ends "
                    + "before the JSON object is complete. In JSON Lines every object must be "
                    + "on a single line.")
            }
            throw error.formatError(place: place, line: number, limits: limits)
        }
    }

    /// Whether a line holds only JSON whitespace.
    @inline(__always)
    private static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in line where byte != 0x20 && byte != 0x09 && byte != 0x0D {
            return false
        }
        return true
    }
}
