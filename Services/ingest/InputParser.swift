import Contracts
import Formats
import Foundation
import Tabular

/// Reads a stored input as rows: picks the format, decides the text encoding over the whole
/// input (stored inputs carry a UTF-8 validity flag computed while storing), and streams
/// the rows to the caller block by block.
struct InputParser {
    let settings: IngestSettings
    let store: InputStore

    /// A stored input ready to be read.
    struct Prepared {
        let input: StoredInput
        let format: SourceFormat
        let encoding: TextEncoding
        let request: JobSubmit
        let parser: InputParser
        var warnings: [String]
        var info: SourceInfo {
            SourceInfo(format: format.rawValue, encoding: format == .xlsx ? nil : encoding.rawValue,
                       bytes: input.bytes, sha256: input.sha256)
        }

        /// Streams every row (the header first) to `body`.
        func read(_ body: ([SourceRow]) async throws -> Void) async throws {
            try await parser.read(self, body)
        }
    }

    func prepare(_ input: StoredInput, request: JobSubmit) async throws -> Prepared {
        let sample = Array(try await store.firstBlock(input.inputId).prefix(64 * 1024))
        let format = try SourceFormat.resolve(declared: request.format, filename: input.filename ?? request.name,
                                              sample: sample[...])
        var warnings: [String] = []
        let declared = request.options?.encoding?.lowercased() ?? "auto"
        let windows1252: Bool
        var encoding: TextEncoding = .utf8
        switch declared {
        case "auto" where sample.starts(with: [0xFF, 0xFE]) || sample.starts(with: [0xFE, 0xFF]):
            // A UTF-16 byte-order mark (Excel's "Unicode Text"): converted to UTF-8.
            encoding = sample.starts(with: [0xFF, 0xFE]) ? .utf16LittleEndian : .utf16BigEndian
            windows1252 = false
        case "auto":
            // A UTF-8 byte-order mark means UTF-8 even if some bytes are invalid (they become U+FFFD).
            windows1252 = !input.utf8Valid && format != .xlsx && !sample.starts(with: [0xEF, 0xBB, 0xBF])
            if windows1252 {
                warnings.append("the input is not valid UTF-8; it was decoded as Windows-1252 (Latin-1). "
                                + "Declare options.encoding to override.")
            }
        case "utf-8", "utf8": windows1252 = false
        case "windows-1252", "cp1252", "latin-1", "latin1", "iso-8859-1": windows1252 = true
        case "utf-16le", "utf-16be":
            encoding = declared == "utf-16le" ? .utf16LittleEndian : .utf16BigEndian
            windows1252 = false
        default:
            throw SluiceError.permanent("ingest.unsupported-encoding",
                                        "encoding '\(declared)' is not supported; use auto, utf-8, windows-1252, utf-16le or utf-16be")
        }
        if windows1252 { encoding = .windows1252 }
        return Prepared(input: input, format: format, encoding: encoding, request: request, parser: self,
                        warnings: warnings)
    }

    fileprivate func read(_ prepared: Prepared, _ body: ([SourceRow]) async throws -> Void) async throws {
        let limits = FormatLimits(maxFieldBytes: settings.limits.maxFieldBytes, maxColumns: settings.limits.maxColumns)
        let textColumn = prepared.request.options?.textColumn ?? "value"
        var reader: any RowReader
        switch prepared.format {
        case .csv, .tsv: reader = CSVRowReader(format: prepared.format)
        case .jsonl: reader = StreamingReader(reader: JSONLinesReader(limits: limits))
        case .json: reader = StreamingReader(reader: JSONArrayReader(limits: limits))
        case .text: reader = StreamingReader(reader: TextLinesReader(columnName: textColumn, limits: limits))
        case .xlsx:
            try await readSpreadsheet(prepared, limits: limits, body)
            return
        }
        var transcoder = prepared.encoding == .utf8 ? nil : TextTranscoder(from: prepared.encoding)
        try await store.forEachBlock(prepared.input.inputId) { block in
            let rows = try reader.feed(transcoder?.transcode(block) ?? block)
            if !rows.isEmpty { try await body(rows) }
        }
        if let tail = transcoder?.finish(), !tail.isEmpty {
            let rows = try reader.feed(tail)
            if !rows.isEmpty { try await body(rows) }
        }
        let last = try reader.finish()
        if !last.isEmpty { try await body(last) }
    }

    /// XLSX needs random access (the zip directory is at the end), so the stored input is
    /// copied to a temporary file first; the sheet itself is still streamed.
    private func readSpreadsheet(_ prepared: Prepared, limits: FormatLimits,
                                 _ body: ([SourceRow]) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-xlsx-\(MessageID.random()).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await store.copy(prepared.input.inputId, to: path)
        var reader: XLSXReader
        do {
            reader = try XLSXReader(fileAt: path, sheet: prepared.request.options?.sheet, limits: limits)
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
