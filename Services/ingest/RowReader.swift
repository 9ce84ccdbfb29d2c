import Contracts
import Formats
import Tabular

/// A push parser for one streamed format: fed blocks in order, it returns the rows
/// completed so far, so memory stays bounded by one block plus one unfinished row.
protocol RowReader {
    /// The rows completed by `block`.
    mutating func feed(_ block: [UInt8]) throws -> [SourceRow]
    /// The last rows, at the end of the input.
    mutating func finish() throws -> [SourceRow]
}

/// Any of the format readers as a `RowReader`, with their errors as job errors.
struct StreamingReader<Reader: StreamingRowReader>: RowReader {
    var reader: Reader

    mutating func feed(_ block: [UInt8]) throws -> [SourceRow] {
        do { return try reader.feed(block) } catch { throw error.asJobError }
    }

    mutating func finish() throws -> [SourceRow] {
        do { return try reader.finish() } catch { throw error.asJobError }
    }
}

extension FormatError {
    /// The permanent job error for a format problem (`ingest.json-syntax`, …).
    var asJobError: SluiceError {
        .permanent("ingest." + code.replacingOccurrences(of: "format.", with: ""), message)
    }
}

/// CSV and TSV through the shared RFC 4180 reader; the delimiter is detected from the first
/// block unless the format fixes it (TSV).
struct CSVRowReader: RowReader {
    private var reader: CSVReader?
    private let fixed: CSVDialect?

    init(format: SourceFormat) {
        fixed = format == .tsv ? .tab : nil
    }

    mutating func feed(_ block: [UInt8]) throws -> [SourceRow] {
        if reader == nil { reader = CSVReader(dialect: fixed ?? CSVDialect.detect(sample: block.prefix(64 * 1024))) }
        let records = reader!.feed(block)
        if let failure = reader!.failure { throw Self.error(failure) }
        return records.map { SourceRow(line: $0.line, cells: $0.fields.map(Optional.some)) }
    }

    mutating func finish() throws -> [SourceRow] {
        guard var reader else { return [] }
        do {
            let records = try reader.finish()
            self.reader = reader
            return records.map { SourceRow(line: $0.line, cells: $0.fields.map(Optional.some)) }
        } catch {
            throw Self.error(error)
        }
    }

    private static func error(_ error: CSVError) -> SluiceError {
        .permanent("ingest.\(error.code)", error.message)
    }
}
