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
        let guarded = guardsFormulas && Self.needsFormulaGuard(value)
        let utf8 = value.utf8
        let needsQuotes = utf8.withContiguousStorageIfAvailable { requiresQuoting($0) }
            ?? requiresQuoting(Array(utf8))

        if !needsQuotes {
            if guarded { buffer.append(Self.guardPrefix) }
            buffer.append(contentsOf: utf8)
            return
        }

        let quote = dialect.quote
        buffer.append(quote)
        if guarded { buffer.append(Self.guardPrefix) }
        if !utf8.contains(quote) {
            buffer.append(contentsOf: utf8)
        } else {
            for byte in utf8 {
                buffer.append(byte)
                if byte == quote { buffer.append(quote) }
            }
        }
        buffer.append(quote)
    }

    /// Whether the raw text must be enclosed in quotes to survive a round trip.
    private func requiresQuoting(_ bytes: some Collection<UInt8>) -> Bool {
        let delimiter = dialect.delimiter
        let quote = dialect.quote
        return bytes.contains { byte in
            byte == delimiter || byte == quote || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
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

    /// The first bytes that make a spreadsheet treat a cell as a formula.
    static let formulaTriggers: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"),
        UInt8(ascii: "\t"), UInt8(ascii: "\r"),
    ]

    /// Whether `value` would be evaluated as a formula and is not a plain number.
    ///
    /// Exposed so other exporters (for example a JSON-to-sheet bridge) apply the same rule.
    public static func needsFormulaGuard(_ value: String) -> Bool {
        guard let first = value.utf8.first, formulaTriggers.contains(first) else { return false }
        return !NumericText.isPlainNumber(value.utf8)
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

    /// Appends one row of typed cells, line ending included, to a byte buffer.
    public func append(_ cells: [CellValue], to buffer: inout [UInt8]) {
        append(cells.map(\.csvText), to: &buffer)
    }
}
