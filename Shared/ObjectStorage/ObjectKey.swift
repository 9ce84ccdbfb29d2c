/// The name of an object: `/`-separated segments of letters, digits, `.`, `_`, `-`, `=`,
/// `+` and `@` (no empty segment, none starting with a `.`), at most 512 bytes. The same key
/// is a safe relative path in a directory and a safe S3 key without escaping.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The key text.
    public let value: String

    /// Checks `value`; throws ``ObjectStoreError/Kind/invalidKey`` when it is not a key.
    public init(_ value: String) throws(ObjectStoreError) {
        guard Self.isValid(value) else {
            throw ObjectStoreError(.invalidKey, key: value,
                                   "not an object key: use /-separated segments of letters, digits and . _ - = + @, "
                                   + "none empty or starting with '.'")
        }
        self.value = value
    }

    /// Joins checked segments (each made of the characters a key allows).
    public init(_ segments: String...) throws(ObjectStoreError) {
        try self.init(segments.joined(separator: "/"))
    }

    /// The key text.
    public var description: String { value }

    /// Keys sort by their text.
    public static func < (a: ObjectKey, b: ObjectKey) -> Bool { a.value < b.value }

    /// Whether `value` is a valid key.
    public static func isValid(_ value: String) -> Bool {
        let utf8 = Array(value.utf8)
        guard !utf8.isEmpty, utf8.count <= 512 else { return false }
        var segmentStart = true
        for byte in utf8 {
            if byte == UInt8(ascii: "/") {
                if segmentStart { return false }
                segmentStart = true
                continue
            }
            if segmentStart && byte == UInt8(ascii: ".") { return false }
            segmentStart = false
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "="),
                 UInt8(ascii: "+"), UInt8(ascii: "@"):
                continue
            default:
                return false
            }
        }
        return !segmentStart
    }
}
