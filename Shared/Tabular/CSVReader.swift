/// An incremental RFC 4180 parser that turns a byte stream into `CSVRecord`s.
///
/// Uploads can be far larger than we want in memory (a 116 MB, million-row file is
/// normal), so the reader is fed blocks of bytes as they arrive and hands back the
/// records completed so far; only the unfinished field and record are buffered.
///
/// What it accepts:
/// - quoted fields with doubled quotes (`""`) and embedded CR, LF or CRLF,
/// - CRLF, LF or lone CR line ends, mixed freely, and a final line with or without one,
/// - a UTF-8 byte-order mark at the very start (stripped),
/// - empty lines (skipped, but still counted so line numbers match an editor),
/// - ragged rows (returned as they are; the validation stage decides what they mean).
///
/// Leniency: a `"` inside an unquoted field is kept as a literal character, and text
/// directly after a closing quote continues the field (`"ab"cd` reads as `abcd`), the
/// way spreadsheet exports in the wild need and Python's `csv` module behaves.
///
/// Failures (`CSVError`) are sticky: `feed` cannot throw, so after the first error it
/// stops consuming input, returns no further records, and `finish()` throws the error.
/// Check `failure` after each block to abandon a broken upload early.
public struct CSVReader: Sendable {
    /// The separator conventions used to split fields.
    public let dialect: CSVDialect

    /// The first error met so far, if any; once set, the stream is abandoned.
    public internal(set) var failure: CSVError?

    /// Where the byte scanner is within the current field.
    enum ScanState: Sendable {
        /// Before the first byte of a field (or of a record).
        case fieldStart
        /// Inside a field that did not start with a quote.
        case unquoted
        /// Inside a quoted field, after the opening quote.
        case quoted
        /// Just after a quote inside a quoted field: a doubled quote or the closing one.
        case afterQuote
    }

    var state = ScanState.fieldStart
    /// Bytes of the current field that arrived in earlier blocks or around doubled quotes.
    var field: [UInt8] = []
    /// Completed fields of the current record.
    var fields: [String] = []
    /// The physical line the scanner is on.
    var line = 1
    /// The physical line the current record started on.
    var recordLine = 1
    /// The physical line on which the current quoted field opened.
    var quoteLine = 1
    /// Whether any byte of the current record has been seen (blank lines have none).
    var recordStarted = false
    /// Whether the last byte consumed was a CR, so an LF next completes a CRLF.
    var pendingCR = false
    /// Leading bytes held back until we know whether they form a byte-order mark.
    var bomCandidate: [UInt8] = []
    /// Whether the byte-order-mark question has been settled for this stream.
    var bomDecided = false

    /// Creates a reader for one stream; feed it blocks, then call `finish()` once.
    public init(dialect: CSVDialect = .comma) {
        self.dialect = dialect
    }

    /// Parses the next block of bytes and returns the records it completed.
    ///
    /// Blocks may split anywhere, even inside a multi-byte character or a CRLF;
    /// feeding a file byte by byte yields exactly what feeding it whole does.
    /// Blocks of about 64 KiB are fastest: each block's records stay cache-resident
    /// while the caller processes and releases them.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [CSVRecord] {
        var records: [CSVRecord] = []
        feed(bytes, into: &records)
        return records
    }

    /// Parses the next block, appending completed records to `records`.
    ///
    /// Lets a hot loop reuse one array instead of allocating a fresh one per block.
    public mutating func feed(_ bytes: some Collection<UInt8>, into records: inout [CSVRecord]) {
        guard failure == nil else { return }
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            ingest(buffer, into: &records)
        }
        if handled == nil {
            Array(bytes).withUnsafeBufferPointer { ingest($0, into: &records) }
        }
    }

    /// Ends the stream: returns the last record (when the file lacks a final line
    /// break) or throws the first error met. The reader is then reset for reuse.
    public mutating func finish() throws(CSVError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        if !bomDecided {
            bomDecided = true
            let held = bomCandidate
            bomCandidate = []
            held.withUnsafeBufferPointer { scan($0, into: &records) }
        }
        if failure == nil {
            flushAtEndOfInput(into: &records)
        }
        let outcome = failure
        self = CSVReader(dialect: dialect)
        if let outcome { throw outcome }
        return records
    }

    /// Parses a complete in-memory file.
    ///
    /// Convenient for small files and tests; large uploads should stream through
    /// `feed(_:)` so memory stays bounded by the block size.
    public static func parse(
        _ data: some Collection<UInt8>, dialect: CSVDialect = .comma
    ) throws(CSVError) -> [CSVRecord] {
        var reader = CSVReader(dialect: dialect)
        var records = reader.feed(data)
        try records.append(contentsOf: reader.finish())
        return records
    }

    /// Strips a leading byte-order mark, holding bytes back until it is decidable.
    private mutating func ingest(
        _ input: UnsafeBufferPointer<UInt8>, into records: inout [CSVRecord]
    ) {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        var start = 0
        while !bomDecided, start < input.count {
            bomCandidate.append(input[start])
            start += 1
            if bomCandidate == bom {
                bomDecided = true
                bomCandidate = []
            } else if !bom.starts(with: bomCandidate) {
                bomDecided = true
                let held = bomCandidate
                bomCandidate = []
                held.withUnsafeBufferPointer { scan($0, into: &records) }
            }
        }
        scan(UnsafeBufferPointer(rebasing: input[start...]), into: &records)
    }
}
