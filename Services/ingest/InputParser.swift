import Contracts
import Formats
import Foundation
import Tabular

/// Turns an input's bytes into rows as they stream by, so ingest reads a source once: the
/// same blocks are stored (``InputStore``) and parsed. The first block decides the format
/// (declared, file extension, or sniffed) and the encoding; a declared encoding is used
/// as is, a UTF-16 byte-order mark converts from UTF-16, and otherwise ``EncodingDecider``
/// chooses UTF-8 or Windows-1252 from the first non-ASCII sequence.
///
/// XLSX cannot stream (its zip directory is at the end): ``needsFile`` tells the caller to
/// read it from the stored copy with ``readSpreadsheet(at:settings:request:_:)``.
struct InputParser {
    let settings: IngestSettings
    let request: JobSubmit
    let filename: String?
    private(set) var format: SourceFormat?
    private(set) var warnings: [String] = []
    private var reader: (any RowReader)?
    private var transcoder: TextTranscoder?
    private var decider: EncodingDecider?
    private var declaredEncoding: TextEncoding = .utf8

    init(settings: IngestSettings, request: JobSubmit, filename: String?) {
        self.settings = settings
        self.request = request
        self.filename = filename
    }

    /// Whether the input must be read from a file (XLSX) instead of fed block by block.
    var needsFile: Bool { format == .xlsx }

    /// What ingest reports about the source.
    func info(_ input: StoredInput) -> SourceInfo {
        let encoding = decider?.encoding ?? declaredEncoding
        return SourceInfo(format: (format ?? .csv).rawValue, encoding: format == .xlsx ? nil : encoding.rawValue,
                          bytes: input.bytes, sha256: input.sha256)
    }

    /// The rows completed by the next block of the input.
    mutating func feed(_ block: [UInt8]) throws -> [SourceRow] {
        if format == nil { try start(sample: block) }
        guard !needsFile, reader != nil else { return [] }
        var text: [UInt8]
        if decider != nil { text = decider!.feed(block) } else if transcoder != nil { text = transcoder!.transcode(block) } else { text = block }
        if format != .json, format != .jsonl { Self.replaceNUL(in: &text) }
        return text.isEmpty ? [] : try reader!.feed(text)
    }

    /// Replaces every NUL of UTF-8 text with U+FFFD, once per block instead of once per cell
    /// (PostgreSQL cannot store NUL; ``RowStandardizer`` explains). NUL is never a delimiter
    /// or a quote, so replacing it before parsing gives the cells replacing it after would.
    /// JSON is left alone: a raw NUL there is a syntax error, and `\u0000` is replaced as it
    /// is decoded.
    static func replaceNUL(in text: inout [UInt8]) {
        let first = text.withUnsafeBufferPointer { bytes -> Int? in
            guard let base = bytes.baseAddress, let hit = memchr(base, 0, bytes.count) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        guard let first else { return }
        var replaced: [UInt8] = Array(text[..<first])
        replaced.reserveCapacity(text.count + 16)
        for byte in text[first...] {
            if byte == 0 { replaced.append(contentsOf: [0xEF, 0xBF, 0xBD]) } else { replaced.append(byte) }
        }
        text = replaced
    }

    /// The last rows, at the end of the input.
    mutating func finish() throws -> [SourceRow] {
        if format == nil { try start(sample: []) }
        guard !needsFile, reader != nil else { return [] }
        var rows: [SourceRow] = []
        let tail = decider != nil ? decider!.finish() : transcoder != nil ? transcoder!.finish() : []
        if !tail.isEmpty {
            var tail = tail
            if format != .json, format != .jsonl { Self.replaceNUL(in: &tail) }
            rows += try reader!.feed(tail)
        }
        rows += try reader!.finish()
        if decider?.decision == .windows1252 {
            warnings.append("the input is not valid UTF-8; it was decoded as Windows-1252 (Latin-1). "
                            + "Declare options.encoding to override.")
        } else if decider?.replacedSequences == true {
            warnings.append("the input is UTF-8 with some invalid byte sequences; they read as U+FFFD. "
                            + "Declare options.encoding if the file is in another encoding.")
        }
        return rows
    }

    /// Decides the format and the encoding from the first block.
    mutating func start(sample block: [UInt8]) throws {
        let sample = block.prefix(64 * 1024)
        let format = try SourceFormat.resolve(declared: request.format, filename: filename ?? request.name, sample: sample)
        self.format = format
        let declared = request.options?.encoding?.lowercased() ?? "auto"
        switch declared {
        case "auto" where sample.starts(with: [0xFF, 0xFE]) || sample.starts(with: [0xFE, 0xFF]):
            // A UTF-16 byte-order mark (Excel's "Unicode Text"): converted to UTF-8.
            declaredEncoding = sample.starts(with: [0xFF, 0xFE]) ? .utf16LittleEndian : .utf16BigEndian
        case "auto" where sample.starts(with: [0xEF, 0xBB, 0xBF]):
            // A UTF-8 byte-order mark means UTF-8 even if some bytes are invalid (they become U+FFFD).
            declaredEncoding = .utf8
        case "auto":
            if format != .xlsx { decider = EncodingDecider() }
        case "utf-8", "utf8": declaredEncoding = .utf8
        case "windows-1252", "cp1252", "latin-1", "latin1", "iso-8859-1": declaredEncoding = .windows1252
        case "utf-16le": declaredEncoding = .utf16LittleEndian
        case "utf-16be": declaredEncoding = .utf16BigEndian
        default:
            throw SluiceError.permanent("ingest.unsupported-encoding",
                                        "encoding '\(declared)' is not supported; use auto, utf-8, windows-1252, utf-16le or utf-16be")
        }
        if decider == nil, declaredEncoding != .utf8 { transcoder = TextTranscoder(from: declaredEncoding) }
        let limits = FormatLimits(maxFieldBytes: settings.limits.maxFieldBytes, maxColumns: settings.limits.maxColumns)
        switch format {
        case .csv, .tsv: reader = CSVRowReader(format: format)
        case .jsonl: reader = StreamingReader(reader: JSONLinesReader(limits: limits))
        case .json: reader = StreamingReader(reader: JSONArrayReader(limits: limits))
        case .text: reader = StreamingReader(reader: TextLinesReader(columnName: request.options?.textColumn ?? "value", limits: limits))
        case .xlsx: reader = nil
        }
    }

    /// Streams the rows of the XLSX workbook at `path` (the sheet itself is streamed).
    static func readSpreadsheet(at path: String, settings: IngestSettings, request: JobSubmit,
                                _ body: ([SourceRow]) async throws -> Void) async throws {
        let limits = FormatLimits(maxFieldBytes: settings.limits.maxFieldBytes, maxColumns: settings.limits.maxColumns)
        var reader: XLSXReader
        do {
            reader = try XLSXReader(fileAt: path, sheet: request.options?.sheet, limits: limits)
        } catch {
            throw error.asJobError
        }
        while true {
            let rows: [SourceRow]
            do { rows = try reader.next(max: 4096) } catch { throw error.asJobError }
            if rows.isEmpty { return }
            try await body(rows)
        }
    }
}
