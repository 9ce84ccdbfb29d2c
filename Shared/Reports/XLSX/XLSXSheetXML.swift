import Contracts
import Tabular

/// The XML of one worksheet, built into a reusable byte buffer a row at a time.
///
/// Text cells are inline strings (`t="inlineStr"`), so a sheet needs no shared-string table
/// and can stream. Text is escaped for XML (`&`, `<`, `>`; CR as `&#13;` so parsers do not
/// turn it into LF) and for OOXML: control characters XML 1.0 cannot carry, and U+FFFE and
/// U+FFFF, become `_xHHHH_`, and text that already looks like such an escape gets its `_`
/// written as `_x005F_`, which is how Excel reads them back. Pure ASCII text with nothing
/// to escape is copied as is.
struct XLSXSheetXML {
    /// The XML so far; the writer hands it to the ZIP entry and empties it.
    var bytes: [UInt8] = []
    /// The current row's number in decimal, for the cells' references.
    private var rowDigits: [UInt8] = []

    private static let declaration = Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#.utf8) + [10]
    private static let worksheetOpen = Array(("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">").utf8)
    private static let worksheetClose = Array("</sheetData></worksheet>".utf8)
    private static let rowOpen = Array("<row r=\"".utf8)
    private static let rowClose = Array("</row>".utf8)
    private static let cellOpen = Array("<c r=\"".utf8)
    private static let numberOpen = Array("\"><v>".utf8)
    private static let boolTrue = Array("\" t=\"b\"><v>1</v></c>".utf8)
    private static let boolFalse = Array("\" t=\"b\"><v>0</v></c>".utf8)
    private static let valueClose = Array("</v></c>".utf8)
    private static let textOpen = Array("\" t=\"inlineStr\"><is><t>".utf8)
    private static let boldTextOpen = Array("\" s=\"1\" t=\"inlineStr\"><is><t>".utf8)
    private static let preserve = Array(" xml:space=\"preserve\">".utf8)
    private static let textClose = Array("</t></is></c>".utf8)

    /// Column letters `A`…`XFD`, three bytes per column (unused bytes zero).
    private static let columnLetters: [UInt8] = {
        var table = [UInt8](repeating: 0, count: XLSXWriterOptions.excelMaxColumns * 3)
        for column in 0..<XLSXWriterOptions.excelMaxColumns {
            var letters: [UInt8] = []
            var rest = column + 1
            while rest > 0 {
                letters.insert(UInt8(ascii: "A") + UInt8((rest - 1) % 26), at: 0)
                rest = (rest - 1) / 26
            }
            for (index, letter) in letters.enumerated() { table[column * 3 + index] = letter }
        }
        return table
    }()

    /// What `escapeClass` says about a byte: copy it, or look at it closer.
    private static let plain: UInt8 = 0
    /// 1 for the bytes text escaping must look at: controls, `&<>_`, and 0xEF (which may
    /// start U+FFFE or U+FFFF); 2 for tab, LF and CR, which also call for `xml:space`.
    private static let escapeClass: [UInt8] = (0..<256).map { byte in
        switch byte {
        case 9, 10, 13: 2
        case 0..<32, 0x26, 0x3C, 0x3E, 0x5F, 0xEF: 1
        default: 0
        }
    }

    /// Starts a worksheet: the XML declaration, the view (selected if it is the first
    /// sheet, header row frozen if asked), column widths from the header text, and the
    /// header row (bold if asked) when there is a header. Returns how many header cells
    /// were cut to Excel's limit.
    @discardableResult
    mutating func beginSheet(header: [String], options: XLSXWriterOptions, selected: Bool) -> Int {
        bytes.append(contentsOf: Self.declaration)
        bytes.append(contentsOf: Self.worksheetOpen)
        let freeze = options.freezeHeader && !header.isEmpty
        var head = "<sheetViews><sheetView " + (selected ? "tabSelected=\"1\" " : "") + "workbookViewId=\"0\""
        head += freeze
            ? "><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
                + "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
            : "/></sheetViews>"
        head += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        if !header.isEmpty {
            head += "<cols>"
            let bounds = options.columnWidths
            for (index, title) in header.enumerated() {
                let width = min(max(Double(title.count) + 2, bounds.lowerBound), bounds.upperBound)
                head += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
            }
            head += "</cols>"
        }
        bytes.append(contentsOf: (head + "<sheetData>").utf8)
        guard !header.isEmpty else { return 0 }
        return appendTextRow(header, number: 1, bold: options.boldHeader)
    }

    /// Ends the worksheet.
    mutating func endSheet() { bytes.append(contentsOf: Self.worksheetClose) }

    /// Starts a row: `<row r="N">`, `N` being the 1-based `number`.
    mutating func beginRow(_ number: Int) {
        bytes.append(contentsOf: Self.rowOpen)
        let start = bytes.count
        appendDecimal(Int64(number))
        rowDigits.removeAll(keepingCapacity: true)
        rowDigits.append(contentsOf: bytes[start...])
        bytes.append(contentsOf: [0x22, 0x3E])
    }

    /// Ends a row.
    mutating func endRow() { bytes.append(contentsOf: Self.rowClose) }

    /// Appends the cells of one row (1-based `number`) and returns how many text cells had
    /// to be truncated.
    mutating func appendRow(_ cells: [CellValue], number: Int) -> Int {
        var truncated = 0
        beginRow(number)
        for (column, cell) in cells.enumerated() {
            switch cell {
            case .null:
                continue
            case .bool(let flag):
                beginCell(column)
                bytes.append(contentsOf: flag ? Self.boolTrue : Self.boolFalse)
            case .integer(let value) where value.magnitude <= 1 << 53:
                beginCell(column)
                bytes.append(contentsOf: Self.numberOpen)
                appendDecimal(value)
                bytes.append(contentsOf: Self.valueClose)
            case .number(let value) where value.isFinite:
                beginCell(column)
                bytes.append(contentsOf: Self.numberOpen)
                // A whole number is written without ".0" (90, not 90.0), as the other outputs
                // and readers such as openpyxl (which would read 90.0 back as a float) expect.
                if value == value.rounded(), value.magnitude <= 9_007_199_254_740_992 {
                    appendDecimal(Int64(value))
                } else {
                    bytes.append(contentsOf: value.description.utf8)
                }
                bytes.append(contentsOf: Self.valueClose)
            case .string(let text):
                if appendTextCell(text, column: column, bold: false) { truncated += 1 }
            case .integer, .number:
                if appendTextCell(cell.csvText, column: column, bold: false) { truncated += 1 }
            }
        }
        endRow()
        return truncated
    }

    /// Appends a row of text cells, bold (style 1) when `bold`; returns how many were cut.
    @discardableResult
    mutating func appendTextRow(_ texts: [String], number: Int, bold: Bool) -> Int {
        beginRow(number)
        var truncated = 0
        for (column, text) in texts.enumerated() where appendTextCell(text, column: column, bold: bold) {
            truncated += 1
        }
        endRow()
        return truncated
    }

    /// Appends one inline-string cell to the current row; returns whether the text was cut to Excel's limit.
    mutating func appendTextCell(_ text: String, column: Int, bold: Bool) -> Bool {
        beginCell(column)
        bytes.append(contentsOf: bold ? Self.boldTextOpen : Self.textOpen)
        var text = text
        var truncated = false
        if text.utf8.count > XLSXWriterOptions.excelMaxCellCharacters {
            (text, truncated) = XLSXStreamWriter.cellText(text)
        }
        if text.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) == nil {
            text.makeContiguousUTF8()
            text.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        }
        bytes.append(contentsOf: Self.textClose)
        return truncated
    }

    /// Appends `<c r="B7"` for the current row, without closing the tag.
    private mutating func beginCell(_ column: Int) {
        bytes.append(contentsOf: Self.cellOpen)
        let start = column * 3
        Self.columnLetters.withUnsafeBufferPointer { letters in
            bytes.append(letters[start])
            if letters[start + 1] != 0 { bytes.append(letters[start + 1]) }
            if letters[start + 2] != 0 { bytes.append(letters[start + 2]) }
        }
        bytes.append(contentsOf: rowDigits)
    }

    /// Appends `value` in decimal.
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: an Int64 has at most 19 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                scratch[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(scratch[index]) }
        }
    }

    /// Closes the `<t` tag (with `xml:space="preserve"` when the text has whitespace at an
    /// end or a tab or line break inside) and appends the escaped text.
    private mutating func appendEscaped(_ text: UnsafeBufferPointer<UInt8>) {
        var special = 0
        Self.escapeClass.withUnsafeBufferPointer { table in
            for byte in text { special |= Int(table[Int(byte)]) }
        }
        func isSpace(_ byte: UInt8?) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
        if special & 2 != 0 || isSpace(text.first) || isSpace(text.last) {
            bytes.removeLast()
            bytes.append(contentsOf: Self.preserve)
        }
        guard special != 0 else {
            bytes.append(contentsOf: text)
            return
        }
        var index = 0
        while index < text.count {
            let byte = text[index]
            index += 1
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case 13: bytes.append(contentsOf: "&#13;".utf8)
            case 0: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
            case 9, 10: bytes.append(byte)
            case 1..<32: appendOOXMLEscape(UInt16(byte))
            case UInt8(ascii: "_") where Self.isOOXMLEscape(text, at: index - 1):
                appendOOXMLEscape(0x5F)
            case 0xEF where index + 1 < text.count && text[index] == 0xBF && text[index + 1] >= 0xBE:
                appendOOXMLEscape(0xFFFE + UInt16(text[index + 1] - 0xBE))
                index += 2
            default: bytes.append(byte)
            }
        }
    }

    /// Appends `_xHHHH_`.
    private mutating func appendOOXMLEscape(_ code: UInt16) {
        let hex = Array("0123456789ABCDEF".utf8)
        bytes.append(contentsOf: [0x5F, 0x78])
        for shift in stride(from: 12, through: 0, by: -4) { bytes.append(hex[Int(code >> UInt16(shift)) & 15]) }
        bytes.append(0x5F)
    }

    /// Whether `_xHHHH_` (four hex digits) starts at `index`.
    private static func isOOXMLEscape(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 6 < text.count, text[index + 1] == UInt8(ascii: "x"), text[index + 6] == UInt8(ascii: "_")
        else { return false }
        return text[(index + 2)..<(index + 6)].allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
    }
}
