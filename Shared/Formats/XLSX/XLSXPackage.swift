import Foundation
import ZIPFoundation

/// The zip container of a workbook, opened with zip-bomb limits.
///
/// Before anything is extracted, the central directory is checked: at most
/// `maxArchiveEntries` entries, a declared total of at most `maxUncompressedBytes`,
/// and no entry over `compressionRatioFloor` bytes expanding more than
/// `maxCompressionRatio` times. While extracting, the bytes actually produced are
/// counted against the same limits, because a hand-made zip can declare sizes it
/// does not keep to. Not thread-safe: one package per thread (the sheet stream
/// opens its own).
final class XLSXPackage {
    let url: URL
    let limits: FormatLimits
    private let archive: Archive
    /// The archive's file entries by path.
    private let entries: [String: Entry]
    /// Bytes actually extracted so far, across all parts.
    private(set) var extracted = 0

    /// Opens and checks the zip at `url`.
    init(url: URL, limits: FormatLimits) throws(FormatError) {
        self.url = url
        self.limits = limits
        archive = try Self.open(url)
        var entries: [String: Entry] = [:]
        var count = 0
        var declared = 0
        for entry in archive {
            count += 1
            guard count <= limits.maxArchiveEntries else {
                throw FormatError(.xlsxTooManyEntries, message: "The workbook's zip holds more than "
                    + "\(limits.maxArchiveEntries) files, which no real spreadsheet needs. Re-save "
                    + "it in Excel, or raise the entry limit.")
            }
            try Self.checkRatio(path: entry.path, produced: Int(clamping: entry.uncompressedSize),
                                compressed: Int(clamping: entry.compressedSize), limits: limits)
            declared = declared.addingReportingOverflow(Int(clamping: entry.uncompressedSize)).partialValue
            guard declared <= limits.maxUncompressedBytes, declared >= 0 else { throw Self.tooLarge(limits) }
            if entry.type == .file, entries[entry.path] == nil { entries[entry.path] = entry }
        }
        self.entries = entries
    }

    /// Whether the part exists.
    func contains(_ path: String) -> Bool { entries[path] != nil }

    /// The whole content of a small part, or `nil` if the part does not exist.
    func read(_ path: String) throws(FormatError) -> [UInt8]? {
        guard entries[path] != nil else { return nil }
        var bytes: [UInt8] = []
        try stream(path) { data throws(FormatError) in bytes.append(contentsOf: data) }
        return bytes
    }

    /// Extracts a part, handing its bytes to `consumer` in blocks as they inflate.
    func stream(_ path: String, _ consumer: (Data) throws(FormatError) -> Void) throws(FormatError) {
        guard let entry = entries[path] else {
            throw FormatError(.xlsxInvalid, message: "The workbook has no part \(path); the file "
                + "is damaged or not an Excel workbook. Re-save it in Excel and upload it again.")
        }
        extracted += try Self.extract(entry, from: archive, limits: limits,
                                      budget: limits.maxUncompressedBytes - extracted, consumer)
    }

    /// Extracts `entry`, enforcing the limits on the bytes actually produced (at most
    /// `budget` in total); returns how many bytes it produced.
    static func extract(
        _ entry: Entry, from archive: Archive, limits: FormatLimits, budget: Int,
        _ consumer: (Data) throws(FormatError) -> Void
    ) throws(FormatError) -> Int {
        var produced = 0
        let compressed = Int(clamping: entry.compressedSize)
        do {
            _ = try archive.extract(entry, bufferSize: 64 << 10, skipCRC32: false) { data in
                produced += data.count
                guard produced <= budget else { throw tooLarge(limits) }
                try checkRatio(path: entry.path, produced: produced, compressed: compressed, limits: limits)
                try consumer(data)
            }
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(.xlsxInvalid, message: "The workbook part \(entry.path) cannot be "
                + "unpacked (\(error)); the file is damaged. Re-save it in Excel and upload it again.")
        }
        return produced
    }

    /// Opens the zip, translating failures.
    static func open(_ url: URL) throws(FormatError) -> Archive {
        do {
            return try Archive(url: url, accessMode: .read)
        } catch {
            // Old .xls files and password-protected workbooks are OLE compound files.
            let head = (try? FileHandle(forReadingFrom: url))
                .flatMap { handle in defer { try? handle.close() }; return try? handle.read(upToCount: 8) }
            if let head, [UInt8](head) == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
                throw FormatError(.xlsxInvalid, message: "The file is an Excel 97-2003 (.xls) or "
                    + "password-protected workbook, which cannot be read. Open it in Excel, remove "
                    + "any password and save it as \"Excel Workbook (.xlsx)\".")
            }
            throw FormatError(.xlsxInvalid, message: "The file is not a readable XLSX workbook "
                + "(it is not a valid zip archive). Save it from Excel as \"Excel Workbook "
                + "(.xlsx)\"; older .xls files must be converted first.")
        }
    }

    /// Refuses an entry that expands suspiciously much.
    private static func checkRatio(path: String, produced: Int, compressed: Int, limits: FormatLimits) throws(FormatError) {
        guard produced > FormatLimits.compressionRatioFloor else { return }
        guard produced / max(compressed, 1) > limits.maxCompressionRatio else { return }
        throw FormatError(.xlsxCompressionRatio, message: "The workbook part \(path) expands more "
            + "than \(limits.maxCompressionRatio) times when unpacked, as zip bombs do. The file "
            + "is refused; re-save it in Excel if it is genuine.")
    }

    private static func tooLarge(_ limits: FormatLimits) -> FormatError {
        FormatError(.xlsxTooLarge, message: "The workbook unpacks to more than "
            + "\(limits.maxUncompressedBytes) bytes. Split it into smaller files, export the "
            + "sheet as CSV, or raise the size limit.")
    }
}
