import Contracts
import Tabular
/// Compact, deterministic fingerprints of key values for job-wide uniqueness checks.
///
/// A fingerprint is the 128-bit FNV-1a hash of an unambiguous encoding of the key's cast
/// values, written as 32 lower-case hex digits. Each part is encoded as a tag byte (null
/// or value) plus its byte length and bytes, so no choice of cell text can make two
/// different keys encode alike (a plain separator could be forged by a value containing
/// it). Values are encoded through Python-equality keys (``TypedValue/hashKey``), so
/// `1.0` and `1` collide exactly when frictionless considers them duplicates.
///
/// With 128 bits, the chance of any accidental collision among 10⁶ distinct keys is about
/// 10⁻²⁷; FNV is not cryptographic, so this assumes data not crafted to collide.
public enum KeyFingerprint {
    /// The FNV-1a 128-bit offset basis, as two 64-bit halves.
    private static let basisHigh: UInt64 = 0x6c62_272e_07bb_0142
    private static let basisLow: UInt64 = 0x62b8_2175_6295_c58d

    /// The fingerprint of a key whose parts are the given canonical texts (`nil` = null).
    public static func make(_ parts: [String?]) -> String {
        hex(hash(parts))
    }

    /// The raw 128-bit hash behind ``make(_:)``.
    static func hash(_ parts: [String?]) -> UInt128 {
        var state = State(high: basisHigh, low: basisLow)
        for part in parts {
            guard let part else { state.mix(0); continue }
            state.mix(1)
            var length = UInt64(part.utf8.count)
            for _ in 0..<8 {
                state.mix(UInt8(truncatingIfNeeded: length))
                length >>= 8
            }
            let done: Bool? = part.utf8.withContiguousStorageIfAvailable { bytes in
                for byte in bytes { state.mix(byte) }
                return true
            }
            if done == nil {
                for byte in part.utf8 { state.mix(byte) }
            }
        }
        return UInt128(state.high) << 64 | UInt128(state.low)
    }

    /// FNV state in two halves: multiplying by the prime 2⁸⁸ + 0x13b is one 64×64
    /// multiplication plus shifts, far cheaper than a generic 128-bit multiply.
    private struct State {
        var high: UInt64
        var low: UInt64

        @inline(__always)
        mutating func mix(_ byte: UInt8) {
            low ^= UInt64(byte)
            let product = low.multipliedFullWidth(by: 0x13b)
            high = high &* 0x13b &+ product.high &+ (low << 24)
            low = product.low
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// 32 lower-case hex digits.
    static func hex(_ value: UInt128) -> String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            var rest = value
            for index in stride(from: 31, through: 0, by: -1) {
                buffer[index] = hexDigits[Int(rest & 0xF)]
                rest >>= 4
            }
            return 32
        }
    }

    /// Parses a fingerprint back to its 128-bit value (for compact storage).
    public static func value(of fingerprint: String) -> UInt128? {
        var result: UInt128 = 0
        var count = 0
        for byte in fingerprint.utf8 {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x61...0x66: digit = byte - 0x61 + 10
            case 0x41...0x46: digit = byte - 0x41 + 10
            default: return nil
            }
            result = result << 4 | UInt128(digit)
            count += 1
        }
        return count == 32 ? result : nil
    }
}
