import Contracts
import Tabular
/// Python's `int()` and `Decimal()` grammars, which frictionless uses to read integer and
/// number cells after trimming them.
///
/// Both are looser than Table Schema suggests, and the oracle holds us to them: `int()`
/// accepts surrounding whitespace, a `+` sign, single underscores between digits
/// (`1_000`) and any Unicode decimal digits; `Decimal()` drops every underscore anywhere,
/// and accepts `.5`, `5.`, exponents, `Infinity`, `inf` and `NaN` in any case. Callers
/// pass bytes that already went through ``PythonText/asciiForInt(_:)`` or
/// ``PythonText/asciiForDecimal(_:)`` (or are known ASCII).
enum PythonNumberSyntax {
    /// CPython refuses to convert decimal strings longer than this (`sys.int_info`), and
    /// frictionless turns the `ValueError` into a type error.
    static let maxIntegerDigits = 4300

    /// `int(text, base)` on ASCII bytes: whitespace, sign, optional `0x` prefix for base 16,
    /// digits with single underscores between them.
    static func parseInt(_ bytes: UnsafeBufferPointer<UInt8>, base: Int = 10) -> PythonInteger? {
        var start = 0
        var end = bytes.count
        while start < end, PythonText.isASCIISpace(bytes[start]) { start += 1 }
        while end > start, PythonText.isASCIISpace(bytes[end - 1]) { end -= 1 }
        var negative = false
        if start < end, bytes[start] == UInt8(ascii: "+") || bytes[start] == UInt8(ascii: "-") {
            negative = bytes[start] == UInt8(ascii: "-")
            start += 1
        }
        var underscoreAllowed = false
        if base == 16, end - start >= 2, bytes[start] == UInt8(ascii: "0"),
           bytes[start + 1] | 0x20 == UInt8(ascii: "x") {
            start += 2
            underscoreAllowed = true  // "0x_1" is legal
        }
        var digits: [UInt8] = []
        var small: Int64 = 0
        var overflow = false
        var previousWasUnderscore = false
        var sawDigit = false
        var index = start
        while index < end {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "_") {
                guard underscoreAllowed, !previousWasUnderscore else { return nil }
                previousWasUnderscore = true
                continue
            }
            guard let value = hexValue(byte), value < base else { return nil }
            previousWasUnderscore = false
            underscoreAllowed = true
            sawDigit = true
            if base == 10 { digits.append(UInt8(value)) }
            if !overflow {
                let (times, o1) = small.multipliedReportingOverflow(by: Int64(base))
                let (plus, o2) = times.addingReportingOverflow(Int64(value))
                if o1 || o2 { overflow = true } else { small = plus }
            }
        }
        if previousWasUnderscore || !sawDigit { return nil }
        if base == 10 && digits.count > maxIntegerDigits { return nil }
        if !overflow { return .small(negative ? -small : small) }
        // Only the sign of an oversized hexadecimal value matters to callers (UUIDs).
        guard base == 10 else { return .big(DecimalNumber(kind: .infinity, isNegative: negative)) }
        return .big(DecimalNumber(isNegative: negative, digits: digits))
    }

    /// `Decimal(text)` on ASCII bytes whose whitespace was stripped and whose underscores
    /// were removed: `[sign] digits [. digits] [e [sign] digits]`, `inf`, `infinity`,
    /// `nan[digits]`, `snan[digits]`, case-insensitively. `sNaN` is read as NaN: Python
    /// raises on every comparison with it, which frictionless does not survive anyway.
    static func parseDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> DecimalNumber? {
        var index = 0
        let end = bytes.count
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "i") || bytes[index] | 0x20 == UInt8(ascii: "n")
            || bytes[index] | 0x20 == UInt8(ascii: "s") {
            return parseSpecial(bytes, from: index, negative: negative)
        }
        var coefficient: [UInt8] = []
        coefficient.reserveCapacity(end - index)
        var fractionDigits = 0
        var sawDigit = false
        while index < end, let digit = decimalValue(bytes[index]) {
            coefficient.append(digit); sawDigit = true; index += 1
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, let digit = decimalValue(bytes[index]) {
                coefficient.append(digit); fractionDigits += 1; sawDigit = true; index += 1
            }
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var sawExponentDigit = false
            while index < end, let digit = decimalValue(bytes[index]) {
                sawExponentDigit = true
                // Saturate: anything this large is out of Decimal's range anyway.
                if exponent < 900_000_000_000_000_000 {
                    exponent = exponent * 10 + Int(digit)
                } else {
                    exponent = 4_000_000_000_000_000_000
                }
                index += 1
            }
            guard sawExponentDigit else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == end else { return nil }
        exponent -= fractionDigits
        // libmpdec's limits under Python's conversion context (emax, etiny).
        let significant = coefficient.drop(while: { $0 == 0 }).count
        let adjusted = exponent + max(significant, 1) - 1
        guard adjusted <= 1_000_000_000_000_000_000, exponent >= -1_999_999_999_999_999_997 else {
            return nil
        }
        return DecimalNumber(isNegative: negative, digits: coefficient, exponent: exponent)
    }

    private static func parseSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                                     negative: Bool) -> DecimalNumber? {
        let word = String(decoding: bytes[start...], as: UTF8.self).lowercased()
        if word == "inf" || word == "infinity" {
            return DecimalNumber(kind: .infinity, isNegative: negative)
        }
        for prefix in ["nan", "snan"] where word.hasPrefix(prefix) {
            let payload = word.dropFirst(prefix.count)
            if payload.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                return DecimalNumber(kind: .nan, isNegative: negative)
            }
        }
        return nil
    }

    /// The regex `((^[^-\d]*)|(\D*$))` that frictionless deletes from non-bare numbers,
    /// applied with `re.sub` semantics: drop the leading run of characters that are neither
    /// `-` nor digits, then everything after the last digit; with no digit left the result
    /// is empty (Python's empty-match rules make `"-"` and `"-abc"` vanish entirely).
    static func stripNonBare(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var start = 0
        while start < scalars.count, scalars[start] != "-",
              PythonText.decimalDigit(scalars[start]) == nil { start += 1 }
        var last = scalars.count - 1
        while last >= start, PythonText.decimalDigit(scalars[last]) == nil { last -= 1 }
        return last >= start ? Array(scalars[start...last]) : []
    }

    @inline(__always)
    private static func decimalValue(_ byte: UInt8) -> UInt8? {
        byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : nil
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x41...0x46: return Int(byte - 0x41 + 10)
        case 0x61...0x66: return Int(byte - 0x61 + 10)
        default: return nil
        }
    }
}

/// A Python `int`: 64-bit when it fits, otherwise exact decimal digits.
enum PythonInteger: Hashable, Sendable {
    case small(Int64)
    case big(DecimalNumber)

    /// The value as an exact decimal, for comparisons across sizes.
    var decimal: DecimalNumber {
        switch self {
        case .small(let value): return DecimalNumber(value)
        case .big(let value): return value
        }
    }

    /// Three-way comparison.
    func compare(_ other: PythonInteger) -> Int {
        if case .small(let lhs) = self, case .small(let rhs) = other {
            return lhs < rhs ? -1 : (lhs == rhs ? 0 : 1)
        }
        return decimal.compare(other.decimal) ?? 0
    }

    /// Canonical decimal text (`-12`), equal for equal values.
    var text: String {
        switch self {
        case .small(let value): return String(value)
        case .big(let value): return value.plainText
        }
    }
}
