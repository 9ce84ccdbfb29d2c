import Tabular
/// Strings, numbers, literals and the small cursor helpers of `JSONRecordParser`.
extension JSONRecordParser {
    /// The byte at the read position; the record ending here is a truncation.
    @inline(__always)
    func peek() throws(JSONFailure) -> UInt8 {
        guard index < bytes.count else { throw .endOfInput(at: index) }
        return bytes[index]
    }

    /// Consumes `byte` or fails with `problem`.
    mutating func expect(_ byte: UInt8, _ problem: @autoclosure () -> String) throws(JSONFailure) {
        guard try peek() == byte else {
            throw .syntax(at: index, "\(problem()) but found \(describeByte(at: index))")
        }
        index += 1
    }

    /// Skips JSON whitespace: space, tab, CR and LF.
    @inline(__always)
    mutating func skipWhitespace() {
        index = JSONLexer.skipWhitespace(bytes, from: index)
    }

    /// Consumes `word` (`true`, `false` or `null`).
    mutating func skipLiteral(_ word: StaticString) throws(JSONFailure) {
        let start = index
        let utf8 = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in utf8 {
            guard try peek() == expected else {
                throw .syntax(at: start, "expected \(word) but found \(describeByte(at: start))")
            }
            index += 1
        }
    }

    /// Consumes a number, checking the JSON grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)?
    /// ([eE] [+-]? [0-9]+)?`. Leading zeros, `+1`, `.5`, `NaN` and hex are refused.
    mutating func skipNumber() throws(JSONFailure) {
        let start = index
        let number = JSONLexer.scanNumber(bytes, from: index)
        guard let problem = number.problem else {
            index = number.end
            return
        }
        if number.problemAt >= bytes.count { throw .endOfInput(at: bytes.count) }
        switch problem {
        case .missingDigit: throw .syntax(at: start, "a number needs a digit after '-'")
        case .missingFraction: throw .syntax(at: start, "a number needs digits after '.'")
        case .missingExponent: throw .syntax(at: start, "a number needs digits in its exponent")
        case .leadingZero: throw .syntax(at: start, "a number must not have leading zeros")
        }
    }

    /// Reads a string starting at its opening quote and returns its decoded text.
    ///
    /// Strings without escapes decode straight from the record's bytes; the others
    /// are rebuilt in `text`.
    mutating func parseString() throws(JSONFailure) -> String {
        let open = index
        let start = index + 1
        index = JSONLexer.plainRunEnd(bytes, from: start)
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
            index += 1
            guard let string = UTF8Text.decode(slice) else { throw .invalidUTF8(at: open) }
            return string
        }
        text.removeAll(keepingCapacity: true)
        do {
            index = try JSONLexer.decodeString(bytes, from: start, appendingUTF8: &text, replacingNUL: true)
        } catch {
            switch error {
            case .endOfInput(let at):
                throw .endOfInput(at: at)
            case .controlCharacter(let byte, let at):
                throw .syntax(at: at, "a control character (U+\(hex4(UInt32(byte)))) must be "
                    + "escaped inside a string; a string may not span lines")
            case .unknownEscape(let byte, let at):
                throw .syntax(at: at, "unknown escape sequence '\\\(describeRaw(byte))' in a string")
            case .badUnicodeEscape(let at):
                throw .syntax(at: at, "a \\u escape needs four hex digits")
            }
        }
        guard let string = text.withUnsafeBufferPointer({ UTF8Text.decode($0) }) else {
            throw .invalidUTF8(at: open)
        }
        return string
    }

    /// Names the byte at `offset` for a message, e.g. `'x'` or "the end of the record".
    func describeByte(at offset: Int) -> String {
        offset < bytes.count ? "'\(describeRaw(bytes[offset]))'" : "the end of the record"
    }

    /// Names the kind of value starting at `offset`, for `notAnObject`.
    func describeValue(at offset: Int) -> String {
        switch bytes[offset] {
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): "a number"
        default: describeByte(at: offset)
        }
    }

    private func describeRaw(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16, uppercase: true)
    }

    private func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
