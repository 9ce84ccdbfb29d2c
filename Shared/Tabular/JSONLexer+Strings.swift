/// A malformed string literal, pointing at the byte offset of the problem.
public enum JSONLexProblem: Error, Sendable, Equatable {
    /// The input ends inside the string.
    case endOfInput(at: Int)
    /// A raw control character (below U+0020), which must be escaped inside a string.
    case controlCharacter(UInt8, at: Int)
    /// A backslash followed by something that is not an escape; `at` is the backslash.
    case unknownEscape(UInt8, at: Int)
    /// A `\u` not followed by four hex digits; `at` is the backslash.
    case badUnicodeEscape(at: Int)
}

/// String literals: plain runs, escapes, and decoding to UTF-16 or UTF-8.
extension JSONLexer {
    /// The first position at or after `index` holding a quote, a backslash or a control
    /// byte: the end of a run of string content that needs no decoding.
    @inlinable @inline(__always)
    public static func plainRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var index = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        return index
    }

    /// Reads the escape sequence whose backslash is at `index`: the UTF-16 code unit it
    /// stands for and the position after it.
    public static func escape(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int
    ) throws(JSONLexProblem) -> (unit: UInt16, next: Int) {
        guard index + 1 < bytes.count else { throw .endOfInput(at: bytes.count) }
        let byte = bytes[index + 1]
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return (UInt16(byte), index + 2)
        case UInt8(ascii: "b"): return (0x08, index + 2)
        case UInt8(ascii: "f"): return (0x0C, index + 2)
        case UInt8(ascii: "n"): return (0x0A, index + 2)
        case UInt8(ascii: "r"): return (0x0D, index + 2)
        case UInt8(ascii: "t"): return (0x09, index + 2)
        case UInt8(ascii: "u"):
            var unit: UInt16 = 0
            for offset in 2..<6 {
                guard index + offset < bytes.count else { throw .endOfInput(at: bytes.count) }
                guard let digit = hexValue(bytes[index + offset]) else { throw .badUnicodeEscape(at: index) }
                unit = unit << 4 | UInt16(digit)
            }
            return (unit, index + 6)
        default:
            throw .unknownEscape(byte, at: index)
        }
    }

    /// Decodes string content from `index` (just after the opening quote) to the closing
    /// quote, appending its UTF-16 code units exactly as written: escaped surrogates are
    /// kept as they are, paired or not. Returns the position after the closing quote.
    ///
    /// Raw bytes that are not UTF-8 become U+FFFD.
    public static func decodeString(
        _ bytes: UnsafeBufferPointer<UInt8>, from index: Int, appendingUTF16 units: inout [UInt16]
    ) throws(JSONLexProblem) -> Int {
        var index = index
        while true {
            let end = plainRunEnd(bytes, from: index)
            if end > index {
                units.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]),
                                                as: UTF8.self).utf16)
            }
            index = end
            guard index < bytes.count else { throw .endOfInput(at: index) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return index + 1 }
            if byte < 0x20 { throw .controlCharacter(byte, at: index) }
            let (unit, next) = try escape(bytes, at: index)
            units.append(unit)
            index = next
        }
    }

    /// Decodes string content from `index` (just after the opening quote) to the closing
    /// quote, appending UTF-8 to `text`. Returns the position after the closing quote.
    ///
    /// An escaped surrogate pair becomes one scalar; an unpaired surrogate becomes U+FFFD
    /// (no Swift string can hold it), and so does `\u0000` when `replacingNUL` is set
    /// (PostgreSQL text cannot hold NUL). Raw bytes are copied unchecked: the caller
    /// validates the UTF-8.
    public static func decodeString(
        _ bytes: UnsafeBufferPointer<UInt8>, from index: Int, appendingUTF8 text: inout [UInt8],
        replacingNUL: Bool
    ) throws(JSONLexProblem) -> Int {
        var index = index
        while true {
            let end = plainRunEnd(bytes, from: index)
            text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
            index = end
            guard index < bytes.count else { throw .endOfInput(at: index) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return index + 1 }
            if byte < 0x20 { throw .controlCharacter(byte, at: index) }
            let (unit, next) = try escape(bytes, at: index)
            index = next
            var scalar = UInt32(unit)
            if UTF16.isLeadSurrogate(unit), index + 1 < bytes.count,
               bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let (low, afterLow) = try escape(bytes, at: index)
                if UTF16.isTrailSurrogate(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    index = afterLow
                }  // otherwise the next escape stands alone and this one is unpaired
            }
            let decoded = scalar == 0 && replacingNUL ? nil : Unicode.Scalar(scalar)
            text.append(contentsOf: UTF8.encode(decoded ?? "\u{FFFD}")!)
        }
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
