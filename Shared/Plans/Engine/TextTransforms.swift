import Contracts
import Tabular
/// Per-cell text operations of the `trim`, `case` and `replace` steps.
enum TextTransforms {
    /// A `trim` of one cell: text loses surrounding whitespace, and text that becomes empty
    /// becomes null (as an empty CSV cell is); other values are unchanged.
    static func trim(_ value: CellValue) -> CellValue {
        guard case .string(let text) = value else { return value }
        let trimmed = trimmed(text)
        return trimmed.isEmpty ? .null : .string(trimmed)
    }

    /// `text` without surrounding whitespace, as `CellValue.trimmingWhitespace` (so
    /// non-breaking spaces are trimmed too), but working on UTF-8 bytes while the ends are
    /// ASCII — the common case, and far cheaper than classifying `Character`s. Any other
    /// byte at an end hands over to `CellValue.trimmingWhitespace`.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end, isASCIIWhitespace(utf8[start]) { start = utf8.index(after: start) }
        guard start < end else { return "" }
        while isASCIIWhitespace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        guard utf8[start] < 0x80, utf8[utf8.index(before: end)] < 0x80 else {
            return CellValue.trimmingWhitespace(text)
        }
        if start == utf8.startIndex, end == utf8.endIndex { return text }
        return String(Substring(utf8[start..<end]))
    }

    @inline(__always)
    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// A `case` change of one cell; only text cells change.
    static func changeCase(_ value: CellValue, to style: TextCase) -> CellValue {
        guard case .string(let text) = value else { return value }
        switch style {
        case .upper: return .string(text.uppercased())
        case .lower: return .string(text.lowercased())
        case .title: return .string(titleCased(text))
        }
    }

    /// Upper-cases the first letter of every word and lower-cases the rest. Letters, digits
    /// and apostrophes form words, so `o'neil-smith 3rd` becomes `O'neil-Smith 3rd`.
    static func titleCased(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiTitleCased(text) }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var inWord = false
        for character in text {
            if character.isLetter {
                result += inWord ? character.lowercased() : character.uppercased()
                inWord = true
            } else {
                result.append(character)
                if character.isNumber {
                    inWord = true
                } else if character != "'" && character != "\u{2019}" {
                    inWord = false
                }
            }
        }
        return result
    }

    /// `titleCased` for ASCII text, byte by byte.
    private static func asciiTitleCased(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var inWord = false
        for index in bytes.indices {
            let byte = bytes[index]
            let isUpper = byte >= 0x41 && byte <= 0x5A, isLower = byte >= 0x61 && byte <= 0x7A
            if isUpper || isLower {
                if inWord, isUpper { bytes[index] = byte + 0x20 }
                if !inWord, isLower { bytes[index] = byte - 0x20 }
                inWord = true
            } else if byte >= 0x30 && byte <= 0x39 {
                inWord = true
            } else if byte != 0x27 {
                inWord = false
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A parsed `with` template of a `replace` step: literal text and `$n` group references.
    struct Template: Sendable {
        enum Piece: Sendable { case text(String), group(Int) }
        let pieces: [Piece]

        /// Parses `$0`–`$9` and `$$`; any other `$` is literal.
        init(_ template: String) {
            var pieces: [Piece] = []
            var literal = ""
            var characters = template.makeIterator()
            var pending = characters.next()
            while let character = pending {
                pending = characters.next()
                guard character == "$", let next = pending else { literal.append(character); continue }
                if next == "$" {
                    literal.append("$")
                    pending = characters.next()
                } else if let digit = next.wholeNumberValue, next.isASCII {
                    if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
                    pieces.append(.group(digit))
                    pending = characters.next()
                } else {
                    literal.append(character)
                }
            }
            if !literal.isEmpty { pieces.append(.text(literal)) }
            self.pieces = pieces
        }

        /// The replacement for one match; a group that did not take part (or does not exist)
        /// is empty.
        func expand(_ match: Regex<AnyRegexOutput>.Match) -> String {
            var result = ""
            for piece in pieces {
                switch piece {
                case .text(let text): result += text
                case .group(let index):
                    if index < match.output.count, let part = match.output[index].substring { result += part }
                }
            }
            return result
        }
    }
}
