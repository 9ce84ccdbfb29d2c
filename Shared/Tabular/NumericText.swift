/// The numeric grammar shared by `CellValue.coerce` and the writer's formula guard.
///
/// Both sides must agree on what "a plain number" is: the writer lets numbers through
/// unguarded precisely because the transform stage would read them back as numbers.
/// Keeping one scanner means the two can never drift apart.
public enum NumericText {
    /// The syntactic shape of a piece of text, before any range checks.
    public enum Shape: Equatable, Sendable {
        /// `[+-]?[0-9]+` — digits only, optionally signed.
        case integer(hasLeadingZero: Bool)
        /// `[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?` with a `.` or an exponent.
        case decimal(hasLeadingZero: Bool)
        /// Anything else, including the empty string, `inf`, `nan` and hex literals.
        case other
    }

    /// Classifies UTF-8 bytes without allocating.
    ///
    /// A "leading zero" is a `0` followed by another digit before any `.` or exponent
    /// (`007`, `0123`, `00.5`); such text reads like an identifier, not a quantity.
    public static func shape(of text: some Collection<UInt8>) -> Shape {
        var index = text.startIndex
        let end = text.endIndex
        guard index != end else { return .other }

        if text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
            text.formIndex(after: &index)
        }

        var integerDigits = 0
        var firstDigit: UInt8 = 0
        while index != end, isDigit(text[index]) {
            if integerDigits == 0 { firstDigit = text[index] }
            integerDigits += 1
            text.formIndex(after: &index)
        }
        let hasLeadingZero = integerDigits > 1 && firstDigit == UInt8(ascii: "0")

        var fractionDigits = 0
        var sawPoint = false
        if index != end, text[index] == UInt8(ascii: ".") {
            sawPoint = true
            text.formIndex(after: &index)
            while index != end, isDigit(text[index]) {
                fractionDigits += 1
                text.formIndex(after: &index)
            }
        }
        guard integerDigits + fractionDigits > 0 else { return .other }

        var sawExponent = false
        if index != end, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            sawExponent = true
            text.formIndex(after: &index)
            if index != end, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                text.formIndex(after: &index)
            }
            var exponentDigits = 0
            while index != end, isDigit(text[index]) {
                exponentDigits += 1
                text.formIndex(after: &index)
            }
            guard exponentDigits > 0 else { return .other }
        }
        guard index == end else { return .other }

        if sawPoint || sawExponent { return .decimal(hasLeadingZero: hasLeadingZero) }
        return .integer(hasLeadingZero: hasLeadingZero)
    }

    /// True for text a spreadsheet would read as a plain number (`-3.5`, `+1`, `1e3`).
    public static func isPlainNumber(_ text: some Collection<UInt8>) -> Bool {
        shape(of: text) != .other
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
