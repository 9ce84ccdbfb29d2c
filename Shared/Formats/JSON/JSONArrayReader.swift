/// An incremental reader for a `json` source: one top-level array of objects.
///
/// The array is streamed element by element. A small byte scanner finds where each
/// element ends (tracking nesting depth, strings and escapes across blocks), buffering
/// only the element in progress (at most `FormatLimits.maxRecordBytes`); the complete
/// element then goes through `JSONRecordParser` and `JSONRowShaper`. Blocks may split
/// anywhere: inside a string, an escape, a `\uXXXX` surrogate pair or a UTF-8
/// character. Feeding a file one byte at a time yields exactly the rows of feeding it
/// whole.
///
/// - Each row's `line` is the element's 1-based index in the array (the third object
///   is record 3), not a physical line: a pretty-printed object spans many lines and
///   a minified file has only one. Error messages give both the record index and the
///   physical line and column.
/// - The first row is the header (the keys of the first object); it carries line 1,
///   like the first data row. Missing keys give `nil`; keys the header lacks are
///   appended and named in `SourceRow.extraKeys`.
/// - Whitespace is allowed anywhere JSON allows it; a UTF-8 byte-order mark is stripped.
/// - Empty input (or only whitespace) yields no rows, like an empty CSV file; `[]`
///   yields no rows either.
///
/// Failures are sticky: once `feed` or `finish` has thrown, later calls throw again.
public struct JSONArrayReader: Sendable {
    /// Where the scanner is in the document.
    public enum Phase: Sendable {
        /// Before the opening `[`.
        case start
        /// After `[`: an element or `]` may follow.
        case firstElement
        /// After `,`: an element must follow.
        case nextElement
        /// Inside an element.
        case element
        /// After an element: `,` or `]` must follow.
        case afterElement
        /// After the closing `]`: only whitespace may follow.
        case done
    }

    /// The limits this reader enforces.
    public let limits: FormatLimits

    /// The first error met so far, if any; once set, the stream is abandoned.
    public internal(set) var failure: FormatError?

    var phase = Phase.start
    /// Nesting depth inside the current element (1 inside its braces).
    public var depth = 0
    /// Whether the scanner is inside a string of the current element.
    public var inString = false
    /// Whether the previous byte was a backslash inside a string.
    public var escaped = false
    /// Bytes of the current element that arrived in earlier blocks.
    public var element: [UInt8] = []
    /// The 1-based index of the current (or last) element.
    public var record = 0
    /// The 1-based physical line the scanner is on.
    public var line = 1
    /// The stream offset of the first byte of the current physical line.
    public var lineStart = 0
    /// The stream offset of the first byte of the current block.
    public var blockOffset = 0
    /// Where the current element starts in the file.
    public var elementLine = 1
    var elementColumn = 1

    var bom = LeadingBOMFilter()
    var parser: JSONRecordParser
    var shaper: JSONRowShaper

    /// Creates a reader for one stream; feed it blocks, then call `finish()` once.
    public init(limits: FormatLimits = .default) {
        self.limits = limits
        parser = JSONRecordParser(limits: limits)
        shaper = JSONRowShaper(limits: limits)
    }

    /// Ends the stream, throwing if the array is incomplete. The reader is then reset.
    public mutating func finish() throws(FormatError) -> [SourceRow] {
        if let failure { throw failure }
        var rows: [SourceRow] = []
        let held = bom.flush()
        do throws(FormatError) {
            try held.withUnsafeBufferPointer { (buffer) throws(FormatError) in
                try scan(buffer, into: &rows)
            }
            try checkComplete()
        } catch {
            failure = error
            throw error
        }
        self = JSONArrayReader(limits: limits)
        return rows
    }

    /// Parses a complete in-memory document; convenient for small files and tests.
    public static func parse(
        _ data: some Collection<UInt8>, limits: FormatLimits = .default
    ) throws(FormatError) -> [SourceRow] {
        var reader = JSONArrayReader(limits: limits)
        var rows = try reader.feed(data)
        try rows.append(contentsOf: reader.finish())
        return rows
    }

    /// Parses the next block of bytes, appending the rows it completes (see ``StreamingRowReader``).
    public mutating func ingest(
        _ input: UnsafeBufferPointer<UInt8>, into rows: inout [SourceRow]
    ) throws(FormatError) {
        var start = 0
        if !bom.decided {
            let taken = bom.take(input)
            start = taken.start
            try taken.replay.withUnsafeBufferPointer { (buffer) throws(FormatError) in
                try scan(buffer, into: &rows)
            }
        }
        try scan(UnsafeBufferPointer(rebasing: input[start...]), into: &rows)
    }

    /// Throws unless the document ended at a sensible place.
    private func checkComplete() throws(FormatError) {
        switch phase {
        case .start, .done:
            return
        case .element:
            throw FormatError(.jsonTruncated, line: record, message:
                "Record \(record) (starting on line \(elementLine), column \(elementColumn)) is "
                + "incomplete: the input ends inside it. The file may have been cut off "
                + "during upload; check its end and upload it again.")
        case .firstElement, .nextElement, .afterElement:
            throw FormatError(.jsonTruncated, message:
                "The input ends on line \(line) before the array is closed with ']'. The file "
                + "may have been cut off during upload; check its end and upload it again.")
        }
    }
}
