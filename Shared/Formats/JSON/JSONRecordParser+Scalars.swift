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
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
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
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let first = try peek()
        if first == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(first) {
            skipDigits()
        } else {
            throw .syntax(at: start, "a number needs a digit after '-'")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(try peek()) else { throw .syntax(at: start, "a number needs digits after '.'") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            let sign = try peek()
            if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
            guard isDigit(try peek()) else { throw .syntax(at: start, "a number needs digits in its exponent") }
            skipDigits()
        }
        if index < bytes.count, isDigit(bytes[index]) {
            throw .syntax(at: start, "a number must not have leading zeros")
        }
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inline(__always)
    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    /// Reads a string starting at its opening quote and returns its decoded text.
    ///
    /// Strings without escapes decode straight from the record's bytes; the others
    /// are rebuilt in `text`.
    mutating func parseString() throws(JSONFailure) -> String {
        let open = index
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        guard index < bytes.count else { throw .endOfInput(at: index) }
        if bytes[index] == UInt8(ascii: "\"") {
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
            index += 1
            guard let string = UTF8Text.decode(slice) else { throw .invalidUTF8(at: open) }
            return string
        }
        text.removeAll(keepingCapacity: true)
        text.append(contentsOf: bytes[start..<index])
        while true {
            let byte = try peek()
            if byte == UInt8(ascii: "\"") {
                index += 1
                break
            } else if byte == UInt8(ascii: "\\") {
                try unescape()
            } else if byte < 0x20 {
                throw .syntax(at: index, "a control character (U+\(hex4(UInt32(byte)))) must be "
                    + "escaped inside a string; a string may not span lines")
            } else {
                text.append(byte)
                index += 1
            }
        }
        guard let string = text.withUnsafeBufferPointer({ UTF8Text.decode($0) }) else {
            throw .invalidUTF8(at: open)
        }
        return string
    }

    /// Decodes the escape sequence at `index` into `text`.
    private mutating func unescape() throws(JSONFailure) {
        let start = index
        index += 1
        let byte = try peek()
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad(escapeAt: start)
            if (0xD800...0xDBFF).contains(scalar), index + 1 < bytes.count,
               bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let save = index
                index += 2
                let low = try hexQuad(escapeAt: save)
                if (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = save // the next escape stands alone; this one is unpaired
                }
            }
            appendScalar(scalar)
        default:
            throw .syntax(at: start, "unknown escape sequence '\\\(describeRaw(byte))' in a string")
        }
    }

    /// Reads the four hex digits of a `\u` escape.
    private mutating func hexQuad(escapeAt start: Int) throws(JSONFailure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try peek()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .syntax(at: start, "a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Appends a scalar as UTF-8; NUL and unpaired surrogates become U+FFFD.
    private mutating func appendScalar(_ value: UInt32) {
        let scalar = value == 0 ? nil : Unicode.Scalar(value)
        for unit in UTF8.encode(scalar ?? "\u{FFFD}")! { text.append(unit) }
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
