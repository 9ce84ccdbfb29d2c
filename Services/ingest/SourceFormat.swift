import Contracts
import Tabular

/// The formats ingest reads.
enum SourceFormat: String, Sendable, CaseIterable {
    case csv, tsv, jsonl, json, xlsx, text

    /// The declared format, or one detected from the file name and the first bytes.
    static func resolve(declared: String?, filename: String?, sample: ArraySlice<UInt8>) throws -> SourceFormat {
        if let declared, declared.lowercased() != "auto" {
            let name = declared.lowercased()
            if let format = SourceFormat(rawValue: name) { return format }
            switch name {
            case "ndjson": return .jsonl
            case "txt": return .text
            default:
                throw SluiceError.permanent("ingest.unsupported-format",
                    "format '\(declared)' is not supported; use one of \(allCases.map(\.rawValue).joined(separator: ", ")) or auto")
            }
        }
        let ext = filename.flatMap { $0.split(separator: ".").count > 1 ? $0.split(separator: ".").last : nil }
            .map { $0.lowercased() }
        switch ext {
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "jsonl", "ndjson": return .jsonl
        case "json": return .json
        case "xlsx", "xlsm": return .xlsx
        case "txt", "lst", "list": return .text
        default: break
        }
        return detect(sample)
    }

    /// Content sniffing: a zip signature is XLSX, `[` starts a JSON array, `{` JSON Lines;
    /// otherwise CSV (its delimiter is detected separately).
    static func detect(_ sample: ArraySlice<UInt8>) -> SourceFormat {
        var bytes = sample
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        guard let first = bytes.first(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else { return .csv }
        if first == UInt8(ascii: "[") { return .json }
        if first == UInt8(ascii: "{") { return .jsonl }
        return .csv
    }
}

/// Caps on a source's shape, each with a clear error.
struct SourceLimits: Sendable, Hashable {
    var maxRows: Int
    var maxColumns: Int
    var maxFieldBytes: Int
}
