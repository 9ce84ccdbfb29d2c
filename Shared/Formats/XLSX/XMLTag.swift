/// A start or end tag seen by `XMLTokenizer`, valid only during the handler call.
///
/// Names are matched by local name (the part after any namespace prefix), so
/// `<x:c>` and `<c>` are the same element and `r:id` is the attribute `id`: OOXML
/// writers differ in the prefixes they use, never in the local names.
public struct XMLTag {
    /// The bytes between `<` (or `</`) and `>`, without a trailing `/`.
    public let bytes: UnsafeBufferPointer<UInt8>
    /// Where the local name sits in `bytes`.
    public let name: Range<Int>

    /// Whether the element's local name is `expected`.
    @inline(__always)
    public func named(_ expected: StaticString) -> Bool {
        Self.equal(bytes, name, expected)
    }

    /// The local name as a string (for messages).
    public var localName: String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[name]), as: UTF8.self)
    }

    /// The value of the attribute whose local name is `wanted`, entities decoded.
    public func attribute(_ wanted: StaticString) -> String? {
        var found: Range<Int>?
        forEachAttribute { local, value in
            if found == nil, Self.equal(bytes, local, wanted) { found = value }
        }
        return found.map { XMLText.decode(UnsafeBufferPointer(rebasing: bytes[$0])) } ?? nil
    }

    /// Calls `body` with the local-name and raw-value ranges of each attribute, in order.
    ///
    /// Lets a hot handler read several attributes in one pass without decoding the
    /// ones it does not need.
    public func forEachAttribute(_ body: (_ name: Range<Int>, _ value: Range<Int>) -> Void) {
        var index = name.upperBound
        let end = bytes.count
        while index < end {
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            guard index < end else { return }
            var localStart = index
            while index < end, bytes[index] != UInt8(ascii: "="), !Self.isSpace(bytes[index]) {
                if bytes[index] == UInt8(ascii: ":") { localStart = index + 1 }
                index += 1
            }
            let local = localStart..<index
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            guard index < end, bytes[index] == UInt8(ascii: "=") else { return }
            index += 1
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            guard index < end else { return }
            let quote = bytes[index]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return }
            index += 1
            let valueStart = index
            while index < end, bytes[index] != quote { index += 1 }
            let value = valueStart..<index
            index += 1
            body(local, value)
        }
    }

    /// The non-negative integer spelled by `bytes[range]`, if it is one.
    func integer(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count < 19 else { return nil }
        var value = 0
        for index in range {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// The 0-based column of the cell reference in `bytes[range]` (`C5` → 2), if any.
    func column(_ range: Range<Int>) -> Int? {
        var column = 0
        var letters = 0
        for index in range {
            let upper = bytes[index] & ~0x20
            guard upper >= UInt8(ascii: "A"), upper <= UInt8(ascii: "Z") else { break }
            column = column * 26 + Int(upper - UInt8(ascii: "A")) + 1
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : column - 1
    }

    /// Whether `bytes[range]` spells `expected`.
    @inline(__always)
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ expected: StaticString) -> Bool {
        guard range.count == expected.utf8CodeUnitCount else { return false }
        let pointer = expected.utf8Start
        var offset = 0
        for index in range {
            if bytes[index] != pointer[offset] { return false }
            offset += 1
        }
        return true
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }
}

/// Receives the events of `XMLTokenizer`.
public protocol XMLHandler {
    /// Whether the next text content is wanted; unwanted text is skipped undecoded.
    var wantsText: Bool { get }
    /// An element starts; a self-closing one is followed at once by `end`.
    mutating func start(_ tag: XMLTag) throws(FormatError)
    /// An element ends.
    mutating func end(_ tag: XMLTag) throws(FormatError)
    /// Character data (entities decoded), possibly in several pieces per element.
    mutating func text(_ text: String) throws(FormatError)
}
