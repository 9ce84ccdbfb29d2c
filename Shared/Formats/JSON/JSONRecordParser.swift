import Tabular
/// Parses one complete JSON record (an object) from a contiguous block of bytes.
///
/// The readers find where a record ends (a line break, or the brace that closes an
/// array element) and hand its bytes here; this recursive-descent parser then turns
/// it into keys and cell texts in one pass:
///
/// - strings are unescaped (`\u0000` becomes U+FFFD, and so do unpaired surrogates,
///   which no Swift string can hold),
/// - numbers keep their literal text exactly as written (`1.50`, `1e3`, `-0`),
/// - `true`/`false` become `"true"`/`"false"`, `null` becomes `nil`,
/// - nested objects and arrays become their compact JSON text (no insignificant
///   whitespace, strings re-escaped canonically, key order kept).
///
/// Duplicate keys inside nested objects are refused here; those of the record
/// object itself are found by `JSONRowShaper`, which already indexes them.
struct JSONRecordParser: Sendable {
    let limits: FormatLimits
    /// The record's keys, in order (duplicates included; the shaper rejects them).
    private(set) var keys: [String] = []
    /// Byte offsets of the keys, for error positions.
    private(set) var keyOffsets: [Int] = []
    /// The cell text of each key.
    private(set) var values: [String?] = []
    /// Scratch space for strings with escapes.
    var text: [UInt8] = []
    /// Scratch space for the compact text of a nested value.
    var out: [UInt8] = []
    /// The record being parsed; only valid during `parse`.
    nonisolated(unsafe) var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// The read position in `bytes`.
    var index = 0

    init(limits: FormatLimits) {
        self.limits = limits
    }

    /// Parses `record` as one object surrounded only by JSON whitespace.
    mutating func parse(_ record: UnsafeBufferPointer<UInt8>) throws(JSONFailure) {
        keys.removeAll(keepingCapacity: true)
        keyOffsets.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        bytes = record
        index = 0
        defer { bytes = UnsafeBufferPointer(start: nil, count: 0) }

        skipWhitespace()
        guard index < bytes.count else { throw .endOfInput(at: index) }
        guard bytes[index] == UInt8(ascii: "{") else {
            throw .notAnObject(found: describeValue(at: index))
        }
        index += 1
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
        } else {
            try parseMembers()
        }
        skipWhitespace()
        guard index == bytes.count else {
            throw .syntax(at: index, "unexpected \(describeByte(at: index)) after the end of the object")
        }
    }

    private mutating func parseMembers() throws(JSONFailure) {
        while true {
            guard try peek() == UInt8(ascii: "\"") else {
                throw .syntax(at: index, "expected a key in double quotes but found \(describeByte(at: index))")
            }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "expected ':' after the key \"\(key)\"")
            skipWhitespace()
            let valueOffset = index
            let value = try parseCell()
            if let value, value.utf8.count > limits.maxFieldBytes {
                throw .fieldTooLong(key: key, at: valueOffset)
            }
            keys.append(key)
            keyOffsets.append(keyOffset)
            values.append(value)
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return
            default:
                throw .syntax(at: index, "expected ',' or '}' after the value of \"\(key)\" "
                    + "but found \(describeByte(at: index))")
            }
        }
    }

    /// Reads one member value of the record object as cell text.
    private mutating func parseCell() throws(JSONFailure) -> String? {
        let start = index
        switch try peek() {
        case UInt8(ascii: "\""):
            return try parseString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try skipNumber()
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        case UInt8(ascii: "t"):
            try skipLiteral("true")
            return "true"
        case UInt8(ascii: "f"):
            try skipLiteral("false")
            return "false"
        case UInt8(ascii: "n"):
            try skipLiteral("null")
            return nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            out.removeAll(keepingCapacity: true)
            try renderValue(depth: 2)
            return String(decoding: out, as: UTF8.self)
        default:
            throw .syntax(at: index, "expected a value but found \(describeByte(at: index))")
        }
    }

    /// Appends the compact text of the value at `index` to `out`; containers opened
    /// here are at nesting level `depth`.
    private mutating func renderValue(depth: Int) throws(JSONFailure) {
        let start = index
        switch try peek() {
        case UInt8(ascii: "{"):
            guard depth <= limits.maxDepth else { throw .tooDeep(at: index) }
            try renderObject(depth: depth)
        case UInt8(ascii: "["):
            guard depth <= limits.maxDepth else { throw .tooDeep(at: index) }
            try renderArray(depth: depth)
        case UInt8(ascii: "\""):
            let string = try parseString()
            JSONString.append(string, to: &out)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try skipNumber()
            out.append(contentsOf: bytes[start..<index])
        case UInt8(ascii: "t"):
            try skipLiteral("true")
            out.append(contentsOf: "true".utf8)
        case UInt8(ascii: "f"):
            try skipLiteral("false")
            out.append(contentsOf: "false".utf8)
        case UInt8(ascii: "n"):
            try skipLiteral("null")
            out.append(contentsOf: "null".utf8)
        default:
            throw .syntax(at: index, "expected a value but found \(describeByte(at: index))")
        }
        guard out.count <= limits.maxFieldBytes else {
            throw .fieldTooLong(key: keys.last ?? "", at: start)
        }
    }

    private mutating func renderObject(depth: Int) throws(JSONFailure) {
        index += 1
        out.append(UInt8(ascii: "{"))
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            out.append(UInt8(ascii: "}"))
            return
        }
        var seen: Set<String> = []
        while true {
            guard try peek() == UInt8(ascii: "\"") else {
                throw .syntax(at: index, "expected a key in double quotes but found \(describeByte(at: index))")
            }
            let keyOffset = index
            let key = try parseString()
            guard seen.insert(key).inserted else { throw .duplicateKey(key, at: keyOffset) }
            JSONString.append(key, to: &out)
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "expected ':' after the key \"\(key)\"")
            out.append(UInt8(ascii: ":"))
            skipWhitespace()
            try renderValue(depth: depth + 1)
            skipWhitespace()
            guard try closeOrContinue(UInt8(ascii: "}"), "expected ',' or '}' in a nested object") else {
                return
            }
        }
    }

    private mutating func renderArray(depth: Int) throws(JSONFailure) {
        index += 1
        out.append(UInt8(ascii: "["))
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            out.append(UInt8(ascii: "]"))
            return
        }
        while true {
            try renderValue(depth: depth + 1)
            skipWhitespace()
            guard try closeOrContinue(UInt8(ascii: "]"), "expected ',' or ']' in an array") else {
                return
            }
        }
    }

    /// Consumes `,` (returning `true`) or `closer` (returning `false`), copying it to `out`.
    private mutating func closeOrContinue(_ closer: UInt8, _ problem: String) throws(JSONFailure) -> Bool {
        let byte = try peek()
        guard byte == UInt8(ascii: ",") || byte == closer else {
            throw .syntax(at: index, "\(problem) but found \(describeByte(at: index))")
        }
        index += 1
        out.append(byte)
        if byte == closer { return false }
        skipWhitespace()
        return true
    }
}
