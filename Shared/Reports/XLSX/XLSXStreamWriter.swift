import Contracts
import Tabular
import CXLSXWriter
import Glibc

/// Streams rows into an XLSX file with libxlsxwriter in constant-memory mode.
///
/// In constant-memory mode libxlsxwriter keeps only the current row of each sheet in memory
/// and spools finished rows to a temporary file per sheet; `close()` zips everything into
/// the workbook. Rows must therefore be written top to bottom, which is exactly how the
/// publish stage produces them. Memory stays flat for a million rows.
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
/// is lost); `.bool` becomes a boolean; `.string` is always written as a string cell — never
/// a formula, so `=1+1` stays the text `=1+1`; `.null` leaves the cell blank. NaN and
/// infinities, which Excel cannot store, are written as the text `nan`, `inf`, `-inf`.
///
/// When a sheet reaches `XLSXWriterOptions.maxRowsPerSheet` (Excel's 1,048,576 by default)
/// the writer continues on a new sheet, "Data (2)", with the header repeated.
///
/// Not thread-safe: use one writer from one task. If a writer is released without
/// `close()`, the workbook is discarded and no file is written.
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

    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private var temporaryDirectory: UnsafeMutablePointer<CChar>?
    /// A bold cell format, owned by the workbook.
    private(set) var boldFormat: UnsafeMutablePointer<lxw_format>?
    /// Every sheet added, for releasing their spool files if the writer is never closed.
    private var worksheets: [UnsafeMutablePointer<lxw_worksheet>] = []
    /// The sheet `appendRow` writes to, its base name and header, and its next row index.
    private var current: UnsafeMutablePointer<lxw_worksheet>?
    private var currentBaseName = ""
    private var currentHeader: [String] = []
    private var currentPart = 1
    private var nextRow: UInt32 = 0

    /// Starts a workbook at `path`. Nothing is written there until `close()`.
    ///
    /// - Throws: `XLSXError.cannotCreate` if libxlsxwriter cannot start a workbook.
    public init(path: String, options: XLSXWriterOptions = XLSXWriterOptions()) throws(XLSXError) {
        self.path = path
        self.options = options
        temporaryDirectory = options.temporaryDirectory.map { strdup($0) }
        var settings = lxw_workbook_options()
        settings.constant_memory = UInt8(LXW_TRUE.rawValue)
        settings.tmpdir = temporaryDirectory
        settings.use_zip64 = UInt8(options.useZip64 ? LXW_TRUE.rawValue : LXW_FALSE.rawValue)
        workbook = workbook_new_opt(path, &settings)
        guard let workbook else {
            free(temporaryDirectory)
            temporaryDirectory = nil
            throw .cannotCreate(path: path)
        }
        boldFormat = workbook_add_format(workbook)
        if let boldFormat { format_set_bold(boldFormat) }
    }

    /// Discards an unclosed workbook. `lxw_workbook_free` does not close the per-sheet
    /// spool files of constant-memory mode (only `workbook_close` does), so they are closed
    /// here first; they were unlinked on creation, so closing them removes them.
    deinit {
        if let workbook {
            for sheet in worksheets {
                if let spool = sheet.pointee.optimize_tmpfile {
                    fclose(spool)
                    sheet.pointee.optimize_tmpfile = nil
                }
            }
            lxw_workbook_free(workbook)
        }
        free(temporaryDirectory)
    }

    /// Starts a new sheet for `appendRow`, writing `header` as its first row. The name is
    /// made acceptable to Excel (forbidden characters replaced, at most 31 characters, made
    /// unique with a " (n)" suffix); `sheetNames` shows the name actually used.
    ///
    /// - Throws: `XLSXError.closed`, `.tooManyColumns`, or a library error.
    public func startSheet(named name: String, header: [String]) throws(XLSXError) {
        let sheet = try addWorksheet(named: name, header: header)
        current = sheet
        currentBaseName = sheetNames.last!
        currentHeader = header
        currentPart = 1
        nextRow = header.isEmpty ? 0 : 1
    }

    /// Appends one row to the current sheet, continuing on a new sheet when it is full.
    ///
    /// - Throws: `XLSXError.closed`, `.noSheet`, `.tooManyColumns`, or a library error.
    public func appendRow(_ row: [CellValue]) throws(XLSXError) {
        guard workbook != nil else { throw .closed }
        guard var sheet = current else { throw .noSheet }
        guard row.count <= XLSXWriterOptions.excelMaxColumns else {
            throw .tooManyColumns(count: row.count, limit: XLSXWriterOptions.excelMaxColumns)
        }
        if Int(nextRow) >= options.maxRowsPerSheet {
            currentPart += 1
            sheet = try addWorksheet(
                named: XLSXWriterOptions.numberedSheetName(currentBaseName, currentPart), header: currentHeader)
            current = sheet
            nextRow = currentHeader.isEmpty ? 0 : 1
        }
        try write(row, to: sheet, row: nextRow)
        nextRow += 1
        rowsWritten += 1
    }

    /// Writes the workbook file and releases all resources. Call exactly once; the writer
    /// cannot be used afterwards, even if closing failed.
    ///
    /// - Throws: `XLSXError.fileNotCreated` if the file or a temporary file could not be
    ///   written, `.library` for other failures (e.g. `xlsx.zip`), `.closed` if already
    ///   closed.
    public func close() throws(XLSXError) {
        guard let workbook else { throw .closed }
        if sheetNames.isEmpty {
            // An XLSX file needs at least one sheet; libxlsxwriter would add "Sheet1".
            _ = try? addWorksheet(named: "Sheet1", header: [])
        }
        self.workbook = nil
        current = nil
        let status = workbook_close(workbook)
        free(temporaryDirectory)
        temporaryDirectory = nil
        guard status == LXW_NO_ERROR else { throw .status(status, operation: "workbook_close", path: path) }
    }

    /// Adds a worksheet with a unique sanitised name and writes its header row.
    public func addWorksheet(named name: String, header: [String]) throws(XLSXError) -> UnsafeMutablePointer<lxw_worksheet> {
        guard let workbook else { throw .closed }
        guard header.count <= XLSXWriterOptions.excelMaxColumns else {
            throw .tooManyColumns(count: header.count, limit: XLSXWriterOptions.excelMaxColumns)
        }
        let base = XLSXWriterOptions.sanitizedSheetName(name)
        var unique = base
        var number = 1
        while sheetNames.contains(where: { $0.lowercased() == unique.lowercased() }) {
            number += 1
            unique = XLSXWriterOptions.numberedSheetName(base, number)
        }
        let status = workbook_validate_sheet_name(workbook, unique)
        guard status == LXW_NO_ERROR else { throw .invalidSheetName(name: unique, status: Int32(status.rawValue)) }
        guard let sheet = workbook_add_worksheet(workbook, unique) else {
            throw .library(operation: "workbook_add_worksheet", status: Int32(LXW_ERROR_MEMORY_MALLOC_FAILED.rawValue))
        }
        sheetNames.append(unique)
        worksheets.append(sheet)
        guard !header.isEmpty else { return sheet }
        for (column, title) in header.enumerated() {
            let width = min(max(Double(title.count) + 2, options.columnWidths.lowerBound), options.columnWidths.upperBound)
            _ = worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), width, nil)
            try check(worksheet_write_string(sheet, 0, lxw_col_t(column), Self.cellText(title).text,
                                             options.boldHeader ? boldFormat : nil),
                      "worksheet_write_string")
        }
        if options.freezeHeader { worksheet_freeze_panes(sheet, 1, 0) }
        return sheet
    }

    /// Writes the cells of one row at `row`.
    public func write(_ cells: [CellValue], to sheet: UnsafeMutablePointer<lxw_worksheet>, row: UInt32) throws(XLSXError) {
        for (index, cell) in cells.enumerated() {
            let column = lxw_col_t(index)
            switch cell {
            case .null:
                continue
            case .bool(let flag):
                try check(worksheet_write_boolean(sheet, row, column, flag ? 1 : 0, nil), "worksheet_write_boolean")
            case .integer(let number) where number.magnitude <= 1 << 53:
                try check(worksheet_write_number(sheet, row, column, Double(number), nil), "worksheet_write_number")
            case .number(let number) where number.isFinite:
                try check(worksheet_write_number(sheet, row, column, number, nil), "worksheet_write_number")
            case .string, .integer, .number:
                let (text, truncated) = Self.cellText(cell.csvText)
                if truncated { truncatedCells += 1 }
                try check(worksheet_write_string(sheet, row, column, text, nil), "worksheet_write_string")
            }
        }
    }

    /// Text safe for a cell: NUL (which would end the C string) replaced by U+FFFD, and at
    /// most 32,767 Unicode scalars, the last being "…" when cut.
    public static func cellText(_ text: String) -> (text: String, truncated: Bool) {
        var text = text
        if text.utf8.contains(0) { text = String(text.map { $0 == "\0" ? "\u{FFFD}" : $0 }) }
        let limit = XLSXWriterOptions.excelMaxCellCharacters
        guard text.utf8.count > limit, text.unicodeScalars.count > limit else { return (text, false) }
        var scalars = String.UnicodeScalarView(text.unicodeScalars.prefix(limit - 1))
        scalars.append("…")
        return (String(scalars), true)
    }

    /// Throws the `XLSXError` for a failed library call.
    private func check(_ status: lxw_error, _ operation: String) throws(XLSXError) {
        guard status != LXW_NO_ERROR else { return }
        throw .status(status, operation: operation, path: path)
    }
}
