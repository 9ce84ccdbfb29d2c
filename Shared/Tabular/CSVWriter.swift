/// Serialises rows as RFC 4180 CSV that spreadsheets open safely.
///
/// The publish stage hands cleaned data back to people, who open it in Excel or
/// LibreOffice. Two things matter: every value must round-trip through `CSVReader`
/// exactly, and a value must never be executed as a formula (CSV injection), which is
/// why the formula guard is on by default (see `needsFormulaGuard(_:)`).
///
/// A field is quoted only when it has to be — when it contains the delimiter, a quote,
/// CR or LF — and quotes inside it are doubled. Line ends default to `"\n"`; pass
/// `"\r\n"` for strict RFC 4180 consumers.
public struct CSVWriter: Sendable {
    /// The separator conventions to write; the quote byte is always `"`.
    public var dialect: CSVDialect

    /// The bytes written after every row; `"\n"` by default.
    public var lineEnding: String

    /// Whether text cells that a spreadsheet would run as a formula get a leading `'`.
    ///
    /// Leave this on for anything a person may open; turn it off only for
    /// machine-to-machine exports whose consumers would be confused by the prefix.
    public var guardsFormulas: Bool

    /// Creates a writer; the defaults suit files meant for people.
    public init(dialect: CSVDialect = .comma, lineEnding: String = "\n", guardsFormulas: Bool = true) {
        self.dialect = dialect
        self.lineEnding = lineEnding
        self.guardsFormulas = guardsFormulas
    }

    /// One complete row, line ending included.
    ///
    /// Handy for small outputs and tests; for large files append into a reused buffer
    /// with `append(_:to:)` to avoid an allocation per row.
    public func row(_ fields: [String]) -> String {
        var bytes: [UInt8] = []
        append(fields, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one row, line ending included, to a byte buffer.
    public func append(_ fields: [String], to buffer: inout [UInt8]) {
        for (position, field) in fields.enumerated() {
            if position > 0 { buffer.append(dialect.delimiter) }
            appendField(field, to: &buffer)
        }
        buffer.append(contentsOf: lineEnding.utf8)
    }

    /// Appends one row, line ending included, to a string.
    public func append(_ fields: [String], to text: inout String) {
        text += row(fields)
    }

    /// One field, escaped and guarded exactly as `row(_:)` would write it.
    public func field(_ value: String) -> String {
        var bytes: [UInt8] = []
        appendField(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Escapes a single field into `buffer`.
    private func appendField(_ value: String, to buffer: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendField($0, to: &buffer) }
    }

    /// Escapes a single field's UTF-8 into `buffer`, in one scan for the bytes that matter.
    private func appendField(_ utf8: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        let guarded = guardsFormulas && Self.needsFormulaGuard(utf8)
        let delimiter = dialect.delimiter
        let quote = dialect.quote
        var needsQuotes = false
        var hasQuote = false
        for byte in utf8 where byte == delimiter || byte == quote || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            if byte == quote { hasQuote = true; break }
        }
        if !needsQuotes {
            if guarded { buffer.append(Self.guardPrefix) }
            buffer.append(contentsOf: utf8)
            return
        }
        buffer.append(quote)
        if guarded { buffer.append(Self.guardPrefix) }
        if !hasQuote {
            buffer.append(contentsOf: utf8)
        } else {
            for byte in utf8 {
                buffer.append(byte)
                if byte == quote { buffer.append(quote) }
            }
        }
        buffer.append(quote)
    }
}

/// CSV-injection protection for files people open in spreadsheets.
///
/// Excel, LibreOffice and Google Sheets evaluate a cell starting with `=`, `+`, `-` or
/// `@` as a formula, and tab or CR can smuggle one past naive checks. An uploaded value
/// such as `=HYPERLINK("http://evil", "click")` would run on the reader's machine. The
/// OWASP-recommended defence is to prefix such cells with `'`, which spreadsheets show
/// as plain text.
///
/// Plain numbers are exempt: `-3.5` or `+1` starts with a trigger character, yet
/// prefixing it would turn every negative amount in a report into text. A number is
/// recognised with the same grammar `CellValue.coerce` uses, so a value the transform
/// stage treats as numeric is always written unchanged.
extension CSVWriter {
    /// The byte written in front of a guarded cell.
    static let guardPrefix = UInt8(ascii: "'")

    /// Whether `byte` starts a formula in a spreadsheet: `=`, `+`, `-`, `@`, tab or CR.
    @inline(__always)
    static func isFormulaTrigger(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
        default: false
        }
    }

    /// Whether `value` would be evaluated as a formula and is not a plain number.
    ///
    /// Exposed so other exporters (for example a JSON-to-sheet bridge) apply the same rule.
    public static func needsFormulaGuard(_ value: String) -> Bool {
        guard let first = value.utf8.first, isFormulaTrigger(first) else { return false }
        return !NumericText.isPlainNumber(value.utf8)
    }

    static func needsFormulaGuard(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = utf8.first, isFormulaTrigger(first) else { return false }
        return !NumericText.isPlainNumber(utf8)
    }

    /// The text of `value` as a guarded spreadsheet cell, before any CSV quoting.
    ///
    /// `=SUM(A1)` becomes `'=SUM(A1)`, `-foo` becomes `'-foo`; `-3.5` stays as it is.
    public static func guardingFormula(_ value: String) -> String {
        needsFormulaGuard(value) ? "'" + value : value
    }
}

extension CSVWriter {
    /// One row of typed cells, written via each cell's `csvText`.
    ///
    /// Numbers render as numbers and therefore pass the formula guard unchanged,
    /// while text cells are guarded like any other string.
    public func row(_ cells: [CellValue]) -> String {
        row(cells.map(\.csvText))
    }

    /// Appends one row of typed cells, line ending included, to a byte buffer: the same
    /// bytes as writing each cell's `csvText`, without building the texts first.
    public func append(_ cells: [CellValue], to buffer: inout [UInt8]) {
        // Integers are digits and '-', which need no quotes unless the dialect uses them.
        let plainIntegers = !Self.isIntegerByte(dialect.delimiter) && !Self.isIntegerByte(dialect.quote)
        for (position, cell) in cells.enumerated() {
            if position > 0 { buffer.append(dialect.delimiter) }
            switch cell {
            case .null: break
            case .string(let text): appendField(text, to: &buffer)
            case .integer(let value) where plainIntegers: Self.appendDecimal(value, to: &buffer)
            default: appendField(cell.csvText, to: &buffer)
            }
        }
        buffer.append(contentsOf: lineEnding.utf8)
    }

    @inline(__always)
    private static func isIntegerByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// `String(value)`'s bytes, written straight into `buffer`.
    private static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            buffer.append(contentsOf: raw[(24 - count)...])
        }
    }
}
