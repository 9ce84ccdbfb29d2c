import Contracts
import Tabular
/// A non-null cell value as a dictionary key, a sort key and a stable hash input.
///
/// `CellValue` is `Hashable`, but it cannot serve the statistics directly:
/// - Swift's `Hasher` is seeded per process, so sketches (HyperLogLog) need a hash of
///   their own that gives the same bits in every run (`stableHash`).
/// - `Double.nan != .nan`, which breaks dictionaries; numbers are therefore keyed by a
///   canonical bit pattern (one NaN, `-0.0` folded into `0.0`).
/// - Plain JSON turns `.number(90.0)` into `.integer(90)`; saved state must keep the case,
///   so keys encode as tagged text (`"i:90"`, `"n:90.0"`, `"s:Math"`, `"b:true"`).
///
/// Texts are the same key when their UTF-8 bytes are (`"é"` and `"e\u{301}"` count apart).
/// Keys sort by kind (booleans, numbers, text), then by value; integers and decimals sort
/// together by numeric value, an integer first on a tie. Ties in top-value lists are broken
/// by this order, which keeps every output deterministic.
enum ValueKey: Hashable, Sendable {
    /// A boolean cell.
    case bool(Bool)
    /// An integer cell.
    case integer(Int64)
    /// A decimal cell, stored as the canonical bit pattern of its `Double`.
    case number(UInt64)
    /// A text cell.
    case string(String)

    /// The key of a cell, or `nil` for `.null` (nulls are counted apart, never as a value).
    init?(_ value: CellValue) {
        switch value {
        case .null: return nil
        case .bool(let flag): self = .bool(flag)
        case .integer(let number): self = .integer(number)
        case .number(let number): self = .number(Self.canonicalBits(number))
        case .string(let text): self = .string(text)
        }
    }

    /// The cell this key stands for.
    var cellValue: CellValue {
        switch self {
        case .bool(let flag): .bool(flag)
        case .integer(let number): .integer(number)
        case .number(let bits): .number(Double(bitPattern: bits))
        case .string(let text): .string(text)
        }
    }

    /// One bit pattern per distinct numeric value: all NaNs alike, and `-0.0` as `0.0`.
    static func canonicalBits(_ number: Double) -> UInt64 {
        if number.isNaN { return Double.nan.bitPattern }
        if number == 0 { return 0 }
        return number.bitPattern
    }

    /// A 64-bit hash that is the same in every process and on every platform.
    ///
    /// FNV-1a over a type tag and the value's bytes, then MurmurHash3's `fmix64` finalizer,
    /// which spreads FNV's weak high bits well enough for HyperLogLog's leading-zero count.
    var stableHash: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func mix(_ byte: UInt8) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        @inline(__always) func mix64(_ word: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) { mix(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        switch self {
        case .bool(let flag): mix(1); mix(flag ? 1 : 0)
        case .integer(let number): mix(2); mix64(UInt64(bitPattern: number))
        case .number(let bits): mix(3); mix64(bits)
        case .string(let text):
            mix(4)
            for byte in text.utf8 { mix(byte) }
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    /// 0 for booleans, 1 for numbers, 2 for text: the first sort criterion.
    private var kindRank: Int {
        switch self {
        case .bool: 0
        case .integer, .number: 1
        case .string: 2
        }
    }
}

extension ValueKey: Comparable {
    /// Kind first, then value; see the type's documentation.
    static func < (lhs: ValueKey, rhs: ValueKey) -> Bool {
        if lhs.kindRank != rhs.kindRank { return lhs.kindRank < rhs.kindRank }
        switch (lhs, rhs) {
        case (.bool(let left), .bool(let right)): return !left && right
        case (.integer(let left), .integer(let right)): return left < right
        case (.string(let left), .string(let right)):
            // Texts count apart by their bytes (``ValueCounts``): canonically equal ones, which
            // String's `<` ties, are ordered by their bytes, so every order stays total.
            return left == right ? left.utf8.lexicographicallyPrecedes(right.utf8) : left < right
        case (.number(let left), .number(let right)):
            return Self.numericLess(Double(bitPattern: left), Double(bitPattern: right))
        case (.integer(let left), .number(let right)):
            let right = Double(bitPattern: right)
            return Double(left) == right ? true : Self.numericLess(Double(left), right)
        case (.number(let left), .integer(let right)):
            let left = Double(bitPattern: left)
            return left == Double(right) ? false : Self.numericLess(left, Double(right))
        default: return false
        }
    }

    /// `<` with NaN sorted after every other number, so the order is total.
    private static func numericLess(_ left: Double, _ right: Double) -> Bool {
        if left.isNaN { return false }
        if right.isNaN { return true }
        return left < right
    }
}

extension ValueKey: Codable {
    /// Decodes the tagged text written by `encode(to:)`.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        // Split on scalars, not characters: a combining mark after the tag would otherwise
        // fuse with the colon into one character.
        let tag = String(String.UnicodeScalarView(text.unicodeScalars.prefix(2)))
        let body = String(String.UnicodeScalarView(text.unicodeScalars.dropFirst(2)))
        switch tag {
        case "b:" where body == "true" || body == "false": self = .bool(body == "true")
        case "i:" where Int64(body) != nil: self = .integer(Int64(body)!)
        case "n:" where Double(body) != nil: self = .number(Self.canonicalBits(Double(body)!))
        case "s:": self = .string(body)
        default:
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Not a statistics value key: \(text.prefix(40))")
        }
    }

    /// Encodes as `b:`/`i:`/`n:`/`s:` followed by the value's text.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .bool(let flag): try container.encode(flag ? "b:true" : "b:false")
        case .integer(let number): try container.encode("i:\(number)")
        case .number(let bits): try container.encode("n:\(Double(bitPattern: bits))")
        case .string(let text): try container.encode("s:" + text)
        }
    }
}
