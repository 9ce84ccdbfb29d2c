import CivilTime

/// Turns the XML events of a worksheet into `SourceRow`s.
///
/// Only `<sheetData>` matters: each `<row>` becomes a row whose `line` is its `r`
/// attribute (the spreadsheet row number; rows missing from the XML are simply
/// missing, so numbering may have gaps), and each `<c>` cell lands at the column of
/// its `r` reference (`C5` → third column), with `nil` filling the gaps. Rows and
/// cells without `r` continue from the previous one.
///
/// Cell types: `s` (shared string), `inlineStr` (`<is>` text, rich runs joined), `str`
/// (a formula's text result), `b` (`true`/`false`), `e` (the error text such as
/// `#DIV/0!`), `d` (an ISO date as stored), and numbers, shown by `ExcelValue` as
/// numbers or, when the cell's style is a date format, as ISO dates. Formulas yield
/// their cached `<v>` value; a formula never calculated (as openpyxl writes them)
/// has none and reads as `nil`.
///
/// Row shape: rows with no value at all (formatted but empty) are skipped; trailing
/// empty cells are dropped; data rows shorter than the header are padded with `nil`
/// to its width, so only real values beyond the header make a row longer.
public struct XLSXSheetHandler: XMLHandler, Sendable {
    let strings: [String]
    let styles: XLSXStyles
    let date1904: Bool
    let limits: FormatLimits

    /// Completed rows not yet handed out.
    public var rows: [SourceRow] = []
    /// The header's width once the header row was emitted.
    private var headerWidth: Int?

    private var inSheetData = false
    private var rowNumber = 0
    private var cells: [String?] = []
    private var nextColumn = 0

    private var column = 0
    private var type = CellType.number
    private var style = 0
    private var value = ""
    private var hasValue = false
    private var inValue = false
    private var inInline = false
    private var inText = false
    private var inPhonetic = false

    /// A handler for one worksheet, with the workbook's shared strings and styles, its date
    /// system (1900 or 1904) and the size limits.
    public init(strings: [String], styles: XLSXStyles, date1904: Bool, limits: FormatLimits) {
        self.strings = strings
        self.styles = styles
        self.date1904 = date1904
        self.limits = limits
    }

    /// Only cell values and inline text are decoded; everything else is skipped.
    public var wantsText: Bool { inValue || (inText && !inPhonetic) }

    /// Tracks rows, cells and their types and styles as elements open.
    public mutating func start(_ tag: XMLTag) throws(FormatError) {
        guard inSheetData else {
            if tag.named("sheetData") { inSheetData = true }
            return
        }
        if tag.named("c") {
            var reference: Int?
            type = .number
            style = 0
            tag.forEachAttribute { name, value in
                if XMLTag.equal(tag.bytes, name, "r") {
                    reference = tag.column(value)
                } else if XMLTag.equal(tag.bytes, name, "t") {
                    type = CellType(tag, value)
                } else if XMLTag.equal(tag.bytes, name, "s") {
                    style = tag.integer(value) ?? 0
                }
            }
            column = reference ?? nextColumn
            guard column < limits.maxColumns else {
                throw FormatError(.tooManyColumns, line: rowNumber, message: "Row \(rowNumber) "
                    + "has a value in column \(column + 1), beyond the limit of "
                    + "\(limits.maxColumns) columns. Delete stray cells far to the right.")
            }
            value = ""
            hasValue = false
        } else if tag.named("v") {
            inValue = true
        } else if tag.named("is") {
            inInline = true
        } else if tag.named("t") {
            inText = inInline
        } else if tag.named("rPh") {
            inPhonetic = true
        } else if tag.named("row") {
            var number: Int?
            tag.forEachAttribute { name, value in
                if XMLTag.equal(tag.bytes, name, "r") { number = tag.integer(value) }
            }
            rowNumber = number ?? rowNumber + 1
            cells.removeAll(keepingCapacity: true)
            nextColumn = 0
        }
    }

    /// Completes a cell or a row as its element closes.
    public mutating func end(_ tag: XMLTag) throws(FormatError) {
        guard inSheetData else { return }
        if tag.named("c") {
            if let text = try cellText() {
                if cells.count <= column {
                    cells.append(contentsOf: repeatElement(nil, count: column + 1 - cells.count))
                }
                cells[column] = text
            }
            nextColumn = column + 1
        } else if tag.named("v") {
            inValue = false
            hasValue = true
        } else if tag.named("t") {
            inText = false
        } else if tag.named("is") {
            inInline = false
            hasValue = true
        } else if tag.named("rPh") {
            inPhonetic = false
        } else if tag.named("row") {
            finishRow()
        } else if tag.named("sheetData") {
            inSheetData = false
        }
    }

    /// Collects a cell value's text.
    public mutating func text(_ text: String) throws(FormatError) {
        value += text
        guard value.utf8.count <= limits.maxFieldBytes else {
            throw FormatError(.fieldTooLong, line: rowNumber, message: "The cell in row "
                + "\(rowNumber), column \(column + 1) is longer than the limit of "
                + "\(limits.maxFieldBytes) bytes. Shorten it or raise the field size limit.")
        }
    }

    /// The text of the cell just closed, or `nil` when it has no value.
    private func cellText() throws(FormatError) -> String? {
        guard hasValue else { return nil }
        switch type {
        case .shared:
            guard let index = Int(value), strings.indices.contains(index) else {
                throw FormatError(.xlsxInvalid, line: rowNumber, message: "The cell in row "
                    + "\(rowNumber), column \(column + 1) refers to shared string \(value), which "
                    + "does not exist; the file is damaged. Re-save it in Excel.")
            }
            return strings[index]
        case .boolean:
            return value == "1" ? "true" : value == "0" ? "false" : value
        case .text:
            return value
        case .number:
            guard !value.isEmpty else { return nil }
            if let kind = styles.dateKind(style: style), let serial = Double(value),
               let date = ExcelSerialDate(serial: serial, system: date1904 ? .excel1904 : .excel1900)?.text(as: kind) {
                return date
            }
            return ExcelValue.number(value)
        }
    }

    /// Emits the row just closed, shaped as described above.
    private mutating func finishRow() {
        while let last = cells.last, last == nil { cells.removeLast() }
        guard !cells.isEmpty else { return }
        if let headerWidth {
            if cells.count < headerWidth {
                cells.append(contentsOf: repeatElement(nil, count: headerWidth - cells.count))
            }
        } else {
            headerWidth = cells.count
        }
        rows.append(SourceRow(line: rowNumber, cells: cells))
    }

    /// A cell's `t` attribute, as far as reading its value is concerned.
    public enum CellType: Sendable {
        /// `n` or absent: a number, or a date by the cell's style.
        case number
        /// `s`: an index into the shared strings.
        case shared
        /// `b`: `1` or `0`.
        case boolean
        /// `inlineStr`, `str` (formula text), `e` (error) or `d` (ISO date): text as is.
        case text

        init(_ tag: XMLTag, _ value: Range<Int>) {
            if XMLTag.equal(tag.bytes, value, "s") {
                self = .shared
            } else if XMLTag.equal(tag.bytes, value, "b") {
                self = .boolean
            } else if XMLTag.equal(tag.bytes, value, "n") {
                self = .number
            } else {
                self = .text
            }
        }
    }
}
