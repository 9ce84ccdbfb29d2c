import Contracts
import Tabular
/// Character classes and string operations with CPython's exact semantics.
///
/// frictionless is Python, and its verdicts depend on Python's idea of whitespace
/// (`str.strip()`), digits (`re`'s `\d`, `int()`) and string identity (code points, not
/// Swift's canonical equivalence). Using Swift's `Character.isWhitespace` or `==` on
/// `String` would silently disagree on inputs like `"\u{1C}1"` or `"é"` vs `"e\u{301}"`,
/// so every comparison that must match the oracle goes through here.
enum PythonText {
    /// `str.isspace()` for one code point: Unicode White_Space plus the bidi separators
    /// U+001C–U+001F, which Python (unlike Swift) treats as whitespace.
    @inline(__always)
    static func isSpace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A,
            0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// ASCII-only whitespace as seen by `bytes.strip()` and `int(bytes)`.
    @inline(__always)
    static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// The value of a Unicode decimal digit (category Nd, `str.isdecimal()`), or `nil`.
    ///
    /// This is `re`'s `\d` and what `int()` accepts: `"١٢"` is 12 to Python.
    @inline(__always)
    static func decimalDigit(_ scalar: Unicode.Scalar) -> Int? {
        let value = scalar.value
        if value < 0x80 {
            return value >= 0x30 && value <= 0x39 ? Int(value - 0x30) : nil
        }
        guard scalar.properties.numericType == .decimal,
              let number = scalar.properties.numericValue else { return nil }
        return Int(number)
    }

    /// Whether `text` is pure ASCII, which lets parsers take the byte fast path.
    @inline(__always)
    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// `str.strip()`: removes leading and trailing Python whitespace.
    static func strip(_ text: String) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0.value) }) else {
            return text[text.endIndex...]
        }
        let last = scalars.lastIndex(where: { !isSpace($0.value) })!
        return Substring(scalars[first...last])
    }

    /// The number of code points, which is Python's `len()` for `str`.
    ///
    /// Swift's `count` counts grapheme clusters (`"e\u{301}"` is 1, Python says 2).
    @inline(__always)
    static func length(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.count
    }

    /// Exact code-point equality, Python's `==` on `str`.
    @inline(__always)
    static func equal(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8)
    }

    /// CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII`, the first step of `int()`:
    /// ASCII stays, Unicode whitespace becomes a space, Unicode digits become ASCII
    /// digits and anything else becomes `?` (which then fails the ASCII grammar).
    static func asciiForInt(_ text: some StringProtocol) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                bytes.append(UInt8(scalar.value))
            } else if isSpace(scalar.value) {
                bytes.append(0x20)
            } else if let digit = decimalDigit(scalar) {
                bytes.append(0x30 + UInt8(digit))
            } else {
                bytes.append(UInt8(ascii: "?"))
            }
        }
        return bytes
    }

    /// `_decimal`'s `numeric_as_ascii(u, strip_ws=1, ignore_underscores=1)`, the first step
    /// of `Decimal(str)`: strips Python whitespace, drops every `_`, maps Unicode spaces and
    /// digits to ASCII, and returns `nil` for any other non-ASCII code point (or NUL).
    static func asciiForDecimal(_ text: some StringProtocol) -> [UInt8]? {
        let scalars = Array(text.unicodeScalars)
        var start = 0
        var end = scalars.count
        while end > start, isSpace(scalars[end - 1].value) { end -= 1 }
        while start < end, isSpace(scalars[start].value) { start += 1 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(end - start)
        for scalar in scalars[start..<end] {
            let value = scalar.value
            if value == 0x5F { continue }
            if value > 0, value < 0x80 {
                bytes.append(UInt8(value))
            } else if isSpace(value) {
                bytes.append(0x20)
            } else if let digit = decimalDigit(scalar) {
                bytes.append(0x30 + UInt8(digit))
            } else {
                return nil
            }
        }
        return bytes
    }

    /// `str.replace(old, new)` on code points: non-overlapping, left to right.
    /// An empty `old` is a no-op here; callers reject it where Python would differ.
    static func replace(_ text: [Unicode.Scalar], _ old: [Unicode.Scalar],
                        with new: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard !old.isEmpty, text.count >= old.count else { return text }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if index + old.count <= text.count, text[index] == old[0],
               text[index..<(index + old.count)].elementsEqual(old) {
                result.append(contentsOf: new)
                index += old.count
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }
}

extension PythonText {
    /// A key for `text` whose Swift `==` is Python's code-point equality.
    ///
    /// Swift compares and hashes `String`s up to canonical equivalence, so `"é"` and
    /// `"e\u{301}"` would collide in a `Set<String>`; Python keeps them apart. ASCII text
    /// is already unambiguous and is returned as is; other text has its non-ASCII code
    /// points spelled out as `\u{…}` (and `\` doubled) so only identical input collides.
    static func exactKey(_ text: some StringProtocol) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\\") }) { return String(text) }
        var key = ""
        key.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                key += "\\\\"
            } else if scalar.isASCII {
                key.unicodeScalars.append(scalar)
            } else {
                key += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return key
    }
}
