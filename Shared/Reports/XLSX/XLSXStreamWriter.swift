import Contracts
import Tabular

/// Streams rows into an XLSX file: each row's XML is deflated into the output file as it is
/// appended, so memory stays flat for a million rows and nothing is spooled elsewhere.
///
/// An XLSX file is a ZIP archive of XML parts (`ZipArchiveWriter` writes it). The sheet
/// `appendRow` writes to is one ZIP entry that stays open while rows arrive; rows must
/// therefore be written top to bottom, which is exactly how the publish stage produces
/// them. Extra sheets added meanwhile are kept in memory and written when that entry ends.
///
/// ```swift
/// let writer = try XLSXStreamWriter(path: "out.xlsx")
/// try writer.startSheet(named: "Data", header: ["name", "grade"])
/// for row in rows { try writer.appendRow(row) }
/// try writer.addSummarySheet(summary)
/// try writer.close()
/// ```
///
/// Cells map as follows: `.integer` and finite `.number` become numbers (integers beyond
/// ±2⁵³, which a spreadsheet's doubles cannot hold exactly, are written as text so no digit
/// is lost; a whole double as an integer, `90`, like the other outputs; other doubles in
/// Swift's shortest round-trip form);
/// `.bool` becomes a boolean; `.string` is always written as a string cell — never a
/// formula, so `=1+1` stays the text `=1+1`; `.null` leaves the cell blank. NaN and
/// infinities, which Excel cannot store, are written as the text `nan`, `inf`, `-inf`.
/// Text is escaped as `XLSXSheetXML` describes, so control characters survive as Excel's
/// `_xHHHH_` escapes.
///
/// When a sheet reaches `XLSXWriterOptions.maxRowsPerSheet` (Excel's 1,048,576 by default)
/// the writer continues on a new sheet, "Data (2)", with the header repeated.
///
/// Not thread-safe: use one writer from one task. The file is created by `init`; if the
/// writer is released without `close()`, or `close()` fails, the partial file is removed.
public final class XLSXStreamWriter {
    /// The output path.
    public let path: String
    /// The options in force.
    public let options: XLSXWriterOptions
    /// The names of all sheets so far, in workbook order.
    public private(set) var sheetNames: [String] = []
    /// Data rows appended with `appendRow` (headers and extra sheets not counted).
    public private(set) var rowsWritten = 0
    /// Text cells that exceeded Excel's 32,767 characters and were shortened.
    public private(set) var truncatedCells = 0

    /// The archive; `nil` once closed.
    private var zip: ZipArchiveWriter?
    /// The XML of the current data sheet not yet handed to the archive.
    private var xml = XLSXSheetXML()
    /// Whether a data sheet's entry is open in the archive.
    private var dataSheetOpen = false
    /// Complete sheets added while the data sheet was open: (sheet number, XML).
    private var pendingSheets: [(number: Int, xml: [UInt8])] = []
    /// The data sheet's base name and header, its part number, and its next 0-based row.
    private var currentBaseName = ""
    private var currentHeader: [String] = []
    private var currentPart = 1
    private var nextRow = 0

    /// XML is handed to the archive in pieces of about this size.
    private static let chunkSize = 64 * 1024

    /// Creates the workbook file at `path`; it is complete only after `close()`.
    ///
    /// - Throws: `XLSXError.fileNotCreated` if the file cannot be created.
    public init(path: String, options: XLSXWriterOptions = XLSXWriterOptions()) throws(XLSXError) {
        self.path = path
        self.options = options
        zip = try ZipArchiveWriter(path: path, level: options.deflateLevel)
    }

    /// Gives the workbook up: the partial file is removed and the writer cannot be used again.
    /// Does nothing after `close()`.
    public func discard() {
        zip?.discard()
        zip = nil
    }

    /// Starts a new sheet for `appendRow`, writing `header` as its first row. The name is
    /// made acceptable to Excel (forbidden characters replaced, at most 31 characters, made
    /// unique with a " (n)" suffix); `sheetNames` shows the name actually used.
    ///
    /// - Throws: `XLSXError.closed`, `.tooManyColumns`, or an I/O error.
    public func startSheet(named name: String, header: [String]) throws(XLSXError) {
        guard zip != nil else { throw .closed }
        try checkColumns(header.count)
        try finishDataSheet()
        currentBaseName = addSheetName(name)
        currentHeader = header
        currentPart = 1
        try openDataSheet()
    }

    /// Appends one row to the current sheet, continuing on a new sheet when it is full.
    ///
    /// - Throws: `XLSXError.closed`, `.noSheet`, `.tooManyColumns`, or an I/O error.
    public func appendRow(_ row: [CellValue]) throws(XLSXError) {
        guard let zip else { throw .closed }
        guard dataSheetOpen else { throw .noSheet }
        try checkColumns(row.count)
        if nextRow >= options.maxRowsPerSheet {
            try finishDataSheet()
            currentPart += 1
            _ = addSheetName(XLSXWriterOptions.numberedSheetName(currentBaseName, currentPart))
            try openDataSheet()
        }
        truncatedCells += xml.appendRow(row, number: nextRow + 1)
        nextRow += 1
        rowsWritten += 1
        if xml.bytes.count >= Self.chunkSize {
            try zip.write(xml.bytes)
            xml.bytes.removeAll(keepingCapacity: true)
        }
    }

    /// Finishes the workbook: ends the data sheet, writes the sheets added meanwhile and
    /// the package parts, and closes the file. Call exactly once; the writer cannot be used
    /// afterwards, even if closing failed (the partial file is then removed).
    ///
    /// - Throws: `XLSXError.writeFailed` or `.zip` if the file could not be completed,
    ///   `.closed` if already closed.
    public func close() throws(XLSXError) {
        guard let zip else { throw .closed }
        do {
            // An XLSX file needs at least one sheet.
            if sheetNames.isEmpty { try addSheet(named: "Sheet1", header: [], rows: []) }
            try finishDataSheet()
            for part in XLSXPackageParts.parts(sheetNames: sheetNames) {
                try zip.beginEntry(part.name)
                try zip.write(Array(part.xml.utf8))
                try zip.endEntry()
            }
            self.zip = nil
            try zip.close()
        } catch {
            self.zip = nil
            zip.discard()
            throw error
        }
    }

    /// Text safe for a cell: NUL replaced by U+FFFD, and at most 32,767 Unicode scalars,
    /// the last being "…" when cut. (Other control characters are escaped when written.)
    public static func cellText(_ text: String) -> (text: String, truncated: Bool) {
        var text = text
        if text.utf8.contains(0) { text = String(text.map { $0 == "\0" ? "\u{FFFD}" : $0 }) }
        let limit = XLSXWriterOptions.excelMaxCellCharacters
        guard text.utf8.count > limit, text.unicodeScalars.count > limit else { return (text, false) }
        var scalars = String.UnicodeScalarView(text.unicodeScalars.prefix(limit - 1))
        scalars.append("…")
        return (String(scalars), true)
    }

    /// Adds a sheet whose XML is complete: written now, or after the data sheet if one is
    /// open. `build` receives the XML after the header row and the next 1-based row number,
    /// and returns how many cells it truncated.
    func addCompleteSheet(named name: String, header: [String],
                          build: (inout XLSXSheetXML, Int) -> Int) throws(XLSXError) {
        guard let zip else { throw .closed }
        try checkColumns(header.count)
        _ = addSheetName(name)
        var sheet = XLSXSheetXML()
        sheet.beginSheet(header: header, options: options, selected: sheetNames.count == 1)
        truncatedCells += build(&sheet, header.isEmpty ? 1 : 2)
        sheet.endSheet()
        if dataSheetOpen {
            pendingSheets.append((sheetNames.count, sheet.bytes))
        } else {
            try writeEntry(number: sheetNames.count, sheet.bytes, to: zip)
        }
    }

    /// Throws `.tooManyColumns` for more cells than Excel has columns.
    func checkColumns(_ count: Int) throws(XLSXError) {
        guard count <= XLSXWriterOptions.excelMaxColumns else {
            throw .tooManyColumns(count: count, limit: XLSXWriterOptions.excelMaxColumns)
        }
    }

    /// Sanitises `name`, makes it unique (case-insensitively), records it, and returns it.
    private func addSheetName(_ name: String) -> String {
        let base = XLSXWriterOptions.sanitizedSheetName(name)
        let taken = Set(sheetNames.map { $0.lowercased() })
        var unique = base
        var number = 1
        while taken.contains(unique.lowercased()) {
            number += 1
            unique = XLSXWriterOptions.numberedSheetName(base, number)
        }
        sheetNames.append(unique)
        return unique
    }

    /// Opens the entry of the newest sheet name as the data sheet and writes its header.
    private func openDataSheet() throws(XLSXError) {
        guard let zip else { throw .closed }
        try zip.beginEntry(XLSXPackageParts.worksheetPath(sheetNames.count))
        xml.bytes.removeAll(keepingCapacity: true)
        xml.beginSheet(header: currentHeader, options: options, selected: sheetNames.count == 1)
        dataSheetOpen = true
        nextRow = currentHeader.isEmpty ? 0 : 1
    }

    /// Ends the data sheet's entry, if one is open, then writes the sheets added meanwhile.
    private func finishDataSheet() throws(XLSXError) {
        guard let zip else { throw .closed }
        if dataSheetOpen {
            dataSheetOpen = false
            xml.endSheet()
            try zip.write(xml.bytes)
            xml.bytes.removeAll(keepingCapacity: true)
            try zip.endEntry()
        }
        let pending = pendingSheets
        pendingSheets = []
        for sheet in pending { try writeEntry(number: sheet.number, sheet.xml, to: zip) }
    }

    /// Writes a complete worksheet as its own entry.
    private func writeEntry(number: Int, _ bytes: [UInt8], to zip: ZipArchiveWriter) throws(XLSXError) {
        try zip.beginEntry(XLSXPackageParts.worksheetPath(number))
        try zip.write(bytes)
        try zip.endEntry()
    }
}
