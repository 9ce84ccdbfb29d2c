import Contracts
import Tabular
/// Reads `integer` and `number` cells exactly as frictionless's `IntegerField` and
/// `NumberField` do.
///
/// The pipeline is: `str.strip()`; for `bareNumber: false`, delete leading characters that
/// are neither `-` nor digits and everything after the last digit (so `$1,000.50` and
/// `12 %` work); for numbers, delete every `groupChar`, reject a `.` when the decimal
/// character is something else, and turn `decimalChar` into `.`; finally `int()` or
/// `Decimal()`. The common case — ASCII text with default settings — is parsed straight
/// from the UTF-8 bytes without building intermediate arrays, because this runs once per
/// cell on million-row files.
struct NumberReader: Sendable {
    /// `bareNumber` (default `true`).
    let bareNumber: Bool
    /// `groupChar` as code points; empty when not set.
    let groupChar: [Unicode.Scalar]
    /// `decimalChar` as code points (default `.`).
    let decimalChar: [Unicode.Scalar]

    /// Creates a reader from a field's number properties.
    init(bareNumber: Bool?, groupChar: String?, decimalChar: String?) {
        self.bareNumber = bareNumber ?? true
        self.groupChar = Array((groupChar ?? "").unicodeScalars)
        self.decimalChar = Array((decimalChar ?? ".").unicodeScalars)
    }

    private var isPlainNumber: Bool {
        bareNumber && groupChar.isEmpty && decimalChar == ["."]
    }

    /// The integer a cell denotes, or `nil` for a type error.
    func readInteger(_ text: String) -> PythonInteger? {
        if bareNumber, PythonText.isASCII(text) {
            return Self.withBytes(text) { bytes in
                let trimmed = Self.trimmed(bytes)
                return PythonNumberSyntax.parseInt(UnsafeBufferPointer(rebasing: bytes[trimmed]))
            }
        }
        var scalars = Array(PythonText.strip(text).unicodeScalars)
        if !bareNumber { scalars = PythonNumberSyntax.stripNonBare(scalars) }
        var ascii = PythonText.asciiForInt(String(String.UnicodeScalarView(scalars)))
        return ascii.withUnsafeMutableBufferPointer {
            PythonNumberSyntax.parseInt(UnsafeBufferPointer($0))
        }
    }

    /// The exact number a cell denotes, or `nil` for a type error.
    func readNumber(_ text: String) -> DecimalNumber? {
        if isPlainNumber, PythonText.isASCII(text) {
            return Self.withBytes(text) { bytes in
                let trimmed = Self.trimmed(bytes)
                let slice = UnsafeBufferPointer(rebasing: bytes[trimmed])
                guard slice.contains(UInt8(ascii: "_")) else {
                    return PythonNumberSyntax.parseDecimal(slice)
                }
                let compact = slice.filter { $0 != UInt8(ascii: "_") }
                return compact.withUnsafeBufferPointer { PythonNumberSyntax.parseDecimal($0) }
            }
        }
        var scalars = Array(PythonText.strip(text).unicodeScalars)
        if !bareNumber { scalars = PythonNumberSyntax.stripNonBare(scalars) }
        scalars = PythonText.replace(scalars, groupChar, with: [])
        if decimalChar != ["."] {
            if scalars.contains(".") { return nil }
            scalars = PythonText.replace(scalars, decimalChar, with: ["."])
        }
        guard let ascii = PythonText.asciiForDecimal(String(String.UnicodeScalarView(scalars)))
        else { return nil }
        return ascii.withUnsafeBufferPointer { PythonNumberSyntax.parseDecimal($0) }
    }

    /// Runs `body` on the string's UTF-8 bytes, copying only if the string is not native.
    @inline(__always)
    static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        let copy = Array(text.utf8)
        return copy.withUnsafeBufferPointer(body)
    }

    /// The range of `bytes` without Python whitespace at either end (ASCII input only).
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = 0
        var end = bytes.count
        while start < end, PythonText.isSpace(UInt32(bytes[start])) { start += 1 }
        while end > start, PythonText.isSpace(UInt32(bytes[end - 1])) { end -= 1 }
        return start..<end
    }
}
