import Contracts
import Tabular
/// The recursive-descent parser behind ``JSONText/parse(_:)``, following CPython's
/// `_json.c` (`scan_once_unicode`) decision by decision over the tokens of `JSONLexer`.
struct JSONTextParser {
    /// Python fails with `RecursionError` somewhat below its default limit of 1000 frames;
    /// the exact depth depends on the caller's stack, so this is an approximation.
    static let maxDepth = 900

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    /// A parser over `bytes`, which must outlive it.
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// `json.loads`: optional whitespace, one value, optional whitespace, end.
    mutating func document() -> JSONText? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return nil }  // "Unexpected UTF-8 BOM"
        skipWhitespace()
        guard let value = value() else { return nil }
        skipWhitespace()
        return index == bytes.count ? value : nil
    }

    private mutating func skipWhitespace() {
        index = JSONLexer.skipWhitespace(bytes, from: index)
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        guard JSONLexer.matches(word, in: bytes, at: index) else { return false }
        index += word.utf8CodeUnitCount
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

    /// The longest valid number at `index` (what follows fails in its context, as in
    /// Python); integers are exact, others Python floats.
    private mutating func number() -> JSONText? {
        let start = index
        let number = JSONLexer.scanNumber(bytes, from: index)
        guard number.end > start else { return nil }
        index = number.end
        let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if !number.isInteger {
            return Double(String(decoding: text, as: UTF8.self)).map { .float($0) }
        }
        guard let integer = PythonNumberSyntax.parseInt(text) else { return nil }
        return .integer(integer.decimal)
    }

    /// A string literal as UTF-16 code units; raw control characters are errors.
    private mutating func string() -> [UInt16]? {
        var units: [UInt16] = []
        guard let end = try? JSONLexer.decodeString(bytes, from: index + 1, appendingUTF16: &units) else {
            return nil
        }
        index = end
        return units
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
