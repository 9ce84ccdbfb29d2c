import Contracts
import Tabular
/// The recursive-descent scanner behind ``JSONText/parse(_:)``, following CPython's
/// `_json.c` (`scan_once_unicode`) decision by decision.
struct JSONTextParser {
    /// Python fails with `RecursionError` somewhat below its default limit of 1000 frames;
    /// the exact depth depends on the caller's stack, so this is an approximation.
    static let maxDepth = 900

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// `json.loads`: optional whitespace, one value, optional whitespace, end.
    mutating func document() -> JSONText? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return nil }  // "Unexpected UTF-8 BOM"
        skipWhitespace()
        guard let value = value() else { return nil }
        skipWhitespace()
        return index == bytes.count ? value : nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func literal(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<(index + utf8.count)]) == utf8
        else { return false }
        index += utf8.count
        return true
    }

    private mutating func value() -> JSONText? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""): return string().map { .string($0) }
        case UInt8(ascii: "{"): return nested { $0.object() }
        case UInt8(ascii: "["): return nested { $0.array() }
        case UInt8(ascii: "n"): return literal("null") ? .null : (literal("NaN") ? .float(.nan) : nil)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "N"): return literal("NaN") ? .float(.nan) : nil
        case UInt8(ascii: "I"): return literal("Infinity") ? .float(.infinity) : nil
        case UInt8(ascii: "-"):
            if literal("-Infinity") { return .float(-.infinity) }
            return number()
        default: return number()
        }
    }

    private mutating func nested(_ body: (inout JSONTextParser) -> JSONText?) -> JSONText? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { return nil }
        return body(&self)
    }

    /// `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`; integers are exact, others Python floats.
    private mutating func number() -> JSONText? {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        var isFloat = false
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), isDigit(bytes[index + 1]) {
            isFloat = true
            index += 1
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            var end = index + 1
            if end < bytes.count, bytes[end] == UInt8(ascii: "+") || bytes[end] == UInt8(ascii: "-") { end += 1 }
            if end < bytes.count, isDigit(bytes[end]) {
                isFloat = true
                index = end
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
        }
        let text = bytes[start..<index]
        if isFloat {
            return Double(String(decoding: text, as: UTF8.self)).map { .float($0) }
        }
        return text.withUnsafeBufferPointer { buffer -> JSONText? in
            guard let integer = PythonNumberSyntax.parseInt(buffer) else { return nil }
            return .integer(integer.decimal)
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// A string literal as UTF-16 code units; raw control characters are errors.
    private mutating func string() -> [UInt16]? {
        index += 1
        var units: [UInt16] = []
        var runStart = index
        func flushRun(_ parser: JSONTextParser, _ end: Int) {
            units.append(contentsOf: String(decoding: parser.bytes[runStart..<end], as: UTF8.self).utf16)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flushRun(self, index)
                index += 1
                return units
            }
            if byte < 0x20 { return nil }
            if byte != UInt8(ascii: "\\") { index += 1; continue }
            flushRun(self, index)
            index += 1
            guard index < bytes.count else { return nil }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): units.append(0x22)
            case UInt8(ascii: "\\"): units.append(0x5C)
            case UInt8(ascii: "/"): units.append(0x2F)
            case UInt8(ascii: "b"): units.append(0x08)
            case UInt8(ascii: "f"): units.append(0x0C)
            case UInt8(ascii: "n"): units.append(0x0A)
            case UInt8(ascii: "r"): units.append(0x0D)
            case UInt8(ascii: "t"): units.append(0x09)
            case UInt8(ascii: "u"):
                guard index + 4 <= bytes.count,
                      let unit = UInt16(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16),
                      bytes[index..<(index + 4)].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
                else { return nil }
                units.append(unit)
                index += 4
            default:
                return nil
            }
            runStart = index
        }
        return nil
    }

    private mutating func array() -> JSONText? {
        index += 1
        var items: [JSONText] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            guard let item = value() else { return nil }
            items.append(item)
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }

    private mutating func object() -> JSONText? {
        index += 1
        var members: [(key: [UInt16], value: JSONText)] = []
        var positions: [[UInt16]: Int] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipWhitespace()
            guard let member = value() else { return nil }
            if let position = positions[key] {
                members[position].value = member
            } else {
                positions[key] = members.count
                members.append((key, member))
            }
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }
}
