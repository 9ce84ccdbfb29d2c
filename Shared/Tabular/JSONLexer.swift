/// The token grammar of JSON (RFC 8259) over bytes: whitespace, literals, numbers and
/// strings with their escapes. It is the one JSON scanner of Sluice; each reader builds its
/// own structure on top of it, because each needs a different answer from the same tokens:
///
/// - the file readers (`Formats`) parse strictly and report positioned errors;
/// - Table Schema casting (`Validation`) follows Python's `json.loads`, keeping lone
///   surrogates and letting the last duplicate key win;
/// - the envelope check (`Consuming`) only looks for duplicate keys and `\u0000`.
///
/// Every function takes the bytes and a position and returns the position after what it
/// read, so callers keep their own cursor and nothing is copied. Problems are values
/// (``JSONLexProblem``) that each caller words for its own audience.
public enum JSONLexer {
    /// Whether `byte` is JSON whitespace: space, tab, line feed or carriage return (and
    /// nothing else: no-break spaces and form feeds are not).
    @inlinable @inline(__always)
    public static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Whether `byte` is an ASCII digit.
    @inlinable @inline(__always)
    public static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// The first position at or after `index` that is not JSON whitespace.
    @inlinable @inline(__always)
    public static func skipWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var index = index
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
        return index
    }

    /// Whether the bytes at `index` spell `word` (a literal such as `true` or `NaN`).
    public static func matches(_ word: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index >= 0, bytes.count - index >= count else { return false }
        let utf8 = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != utf8[offset] { return false }
        return true
    }

    /// How far a number literal reaches, and whether it is malformed.
    public struct Number: Sendable, Equatable {
        /// The end of the longest prefix that is a valid number (empty when there is none).
        public var end: Int
        /// Whether that prefix has neither a fraction nor an exponent.
        public var isInteger: Bool
        /// Why the literal, read strictly, is not a number; `nil` when it is one.
        public var problem: NumberProblem?
        /// Where the problem is: the byte that should have been a digit (or was one too
        /// many); `bytes.count` when the input ended first.
        public var problemAt: Int = 0
    }

    /// What makes a number literal malformed.
    public enum NumberProblem: Sendable, Equatable {
        /// `-` is not followed by a digit (or there is no digit at all).
        case missingDigit
        /// `.` is not followed by a digit.
        case missingFraction
        /// `e`/`E` (and its sign) is not followed by a digit.
        case missingExponent
        /// A digit follows a leading `0`, as in `012`.
        case leadingZero
    }

    /// Reads the number literal at `index`: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    ///
    /// A strict reader refuses the literal when `problem` is set. Python's scanner instead
    /// takes the valid prefix up to `end` and lets whatever follows fail in its context;
    /// both accept exactly the same documents.
    public static func scanNumber(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Number {
        let start = index
        var index = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else {
            return Number(end: start, isInteger: true, problem: .missingDigit, problemAt: index)
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            index = skipDigits(bytes, from: index)
        }
        var number = Number(end: index, isInteger: true, problem: nil)
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            guard index + 1 < bytes.count, isDigit(bytes[index + 1]) else {
                number.problem = .missingFraction
                number.problemAt = index + 1
                return number
            }
            index = skipDigits(bytes, from: index + 1)
            number = Number(end: index, isInteger: false, problem: nil)
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            var digits = index + 1
            if digits < bytes.count, bytes[digits] == UInt8(ascii: "+") || bytes[digits] == UInt8(ascii: "-") {
                digits += 1
            }
            guard digits < bytes.count, isDigit(bytes[digits]) else {
                number.problem = .missingExponent
                number.problemAt = digits
                return number
            }
            index = skipDigits(bytes, from: digits)
            number = Number(end: index, isInteger: false, problem: nil)
        }
        if index < bytes.count, isDigit(bytes[index]) {
            number.problem = .leadingZero
            number.problemAt = index
        }
        return number
    }

    @inline(__always)
    static func skipDigits(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var index = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        return index
    }
}
