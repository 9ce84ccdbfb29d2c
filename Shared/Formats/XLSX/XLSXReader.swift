import Foundation

/// Reads one sheet of an XLSX workbook as `SourceRow`s, streaming the sheet.
///
/// XLSX is a zip archive, which needs random access (its directory is at the end),
/// so the reader takes a file rather than a byte stream, and callers pull rows:
///
/// ```swift
/// var reader = try XLSXReader(fileAt: url, sheet: "Grades")
/// while case let rows = try reader.next(max: 4096), !rows.isEmpty {
///     // rows[0] of the first batch is the header
/// }
/// ```
///
/// Opening checks the zip against the zip-bomb limits (`FormatLimits`), resolves the
/// sheet (by name, exact or else case-insensitive; by default the first worksheet in
/// tab order), and loads the shared strings and styles. The sheet's XML itself is
/// inflated on a background thread in 64 KiB blocks and tokenized as rows are pulled,
/// so memory stays bounded by the shared strings plus a few blocks. `next(max:)`
/// blocks the calling thread while the sheet inflates, like a file read.
///
/// Rows: the first row with a value is the header; each row's `line` is its
/// spreadsheet row number (gaps stay gaps). See `XLSXSheetHandler` for cell types,
/// dates, sparse cells and row shape, and `ExcelValue` for number and date text.
///
/// The reader owns its background extraction and stops it when it goes away, so it
/// cannot be copied. Failures are sticky.
public struct XLSXReader: ~Copyable, Sendable {
    /// The name of the sheet being read.
    public let sheetName: String

    /// The names of all sheets of the workbook, in tab order.
    public let sheetNames: [String]

    /// The limits this reader enforces.
    public let limits: FormatLimits

    /// The first error met so far, if any.
    public private(set) var failure: FormatError?

    private let stream: XLSXSheetStream
    private var tokenizer: XMLTokenizer
    private var handler: XLSXSheetHandler
    private var ended = false

    /// Opens the workbook at `url` and prepares to read `sheet` (default: the first
    /// worksheet).
    public init(fileAt url: URL, sheet: String? = nil, limits: FormatLimits = .default) throws(FormatError) {
        let package = try XLSXPackage(url: url, limits: limits)
        let workbook = try XLSXWorkbook.load(from: package)
        let chosen = try Self.choose(sheet, in: workbook)
        guard let path = chosen.path, package.contains(path) else {
            throw FormatError(.xlsxInvalid, message: "The sheet \"\(chosen.name)\" has no data part "
                + "in the file; the workbook is damaged. Re-save it in Excel and upload it again.")
        }
        var strings: [String] = []
        if let sharedPath = workbook.sharedStringsPath, package.contains(sharedPath) {
            strings = try XLSXSharedStrings.load(from: package, path: sharedPath).strings
        }
        var styles = XLSXStyles.none
        if let stylesPath = workbook.stylesPath, let bytes = try package.read(stylesPath) {
            styles = try XLSXStyles.parse(bytes, part: stylesPath)
        }
        sheetName = chosen.name
        sheetNames = workbook.sheets.map(\.name)
        self.limits = limits
        tokenizer = XMLTokenizer(part: path, maxTokenBytes: limits.maxRecordBytes)
        handler = XLSXSheetHandler(strings: strings, styles: styles, date1904: workbook.date1904,
                                   limits: limits)
        stream = XLSXSheetStream(url: url, path: path, limits: limits,
                                 budget: limits.maxUncompressedBytes - package.extracted)
    }

    /// Opens the workbook at a file system path; see `init(fileAt:sheet:limits:)`.
    public init(fileAt path: String, sheet: String? = nil, limits: FormatLimits = .default) throws(FormatError) {
        try self.init(fileAt: URL(fileURLWithPath: path), sheet: sheet, limits: limits)
    }

    deinit {
        stream.cancel()
    }

    /// Returns up to `max` further rows; an empty result means the sheet is done.
    public mutating func next(max: Int = 4096) throws(FormatError) -> [SourceRow] {
        precondition(max > 0, "max must be positive")
        if let failure { throw failure }
        do throws(FormatError) {
            while handler.rows.count < max, !ended {
                switch stream.take() {
                case .block(let data):
                    try tokenizer.feed(data, into: &handler)
                case .end:
                    try tokenizer.finish(into: &handler)
                    ended = true
                case .failure(let error):
                    throw error
                }
            }
        } catch {
            failure = error
            stream.cancel()
            throw error
        }
        if handler.rows.count <= max {
            defer { handler.rows.removeAll(keepingCapacity: true) }
            return handler.rows
        }
        let batch = Array(handler.rows[..<max])
        handler.rows.removeSubrange(..<max)
        return batch
    }

    /// Reads every remaining row; convenient for small sheets and tests.
    public mutating func readAll() throws(FormatError) -> [SourceRow] {
        var rows: [SourceRow] = []
        while case let batch = try next(max: 4096), !batch.isEmpty {
            rows.append(contentsOf: batch)
        }
        return rows
    }

    /// The names of the sheets of the workbook at `url`, in tab order.
    public static func sheetNames(fileAt url: URL, limits: FormatLimits = .default) throws(FormatError) -> [String] {
        try XLSXWorkbook.load(from: XLSXPackage(url: url, limits: limits)).sheets.map(\.name)
    }

    /// Picks the requested sheet, or the first worksheet.
    private static func choose(_ name: String?, in workbook: XLSXWorkbook) throws(FormatError) -> XLSXWorkbook.Sheet {
        let names = workbook.sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
        guard let name else {
            guard let first = workbook.sheets.first(where: \.isWorksheet) else {
                throw FormatError(.xlsxSheetNotFound, message: "The workbook has no worksheet "
                    + "(sheets: \(names.isEmpty ? "none" : names)). Add the data to a worksheet.")
            }
            return first
        }
        let folded = workbook.sheets.filter { $0.name.lowercased() == name.lowercased() }
        guard let sheet = workbook.sheets.first(where: { $0.name == name })
                ?? (folded.count == 1 ? folded[0] : nil) else {
            throw FormatError(.xlsxSheetNotFound, message: "The workbook has no sheet named "
                + "\"\(name)\". Its sheets are: \(names). Check the sheet option.")
        }
        guard sheet.isWorksheet else {
            throw FormatError(.xlsxSheetNotFound, message: "The sheet \"\(sheet.name)\" is a "
                + "chart or dialog sheet, not a worksheet with cells. Its sheets are: \(names).")
        }
        return sheet
    }
}
