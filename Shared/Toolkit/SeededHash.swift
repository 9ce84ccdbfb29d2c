/// A fast 64-bit hash of bytes with secrets drawn at random once per process, for hash tables
/// on the per-row path.
///
/// Swift's `Hasher` (SipHash-1-3) is the safe default, but building one per key cost publish
/// more than the table work itself. This hash reads 16 bytes per step and mixes with a full
/// 64×64→128-bit multiply folded to 64 bits (the construction of wyhash, written here from its
/// description): a few cycles per short key. The secrets are random per process, so which keys
/// collide cannot be known in advance from the input alone, and a table's contents never depend
/// on them, only where keys sit. Not for anything stored or sent: values differ between processes.
public enum SeededHash {
    private static let secrets: (UInt64, UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        // Odd multipliers with bits in both halves keep the multiply from losing entropy.
        func secret() -> UInt64 { generator.next() | 0x8000_0001_0000_0001 }
        return (secret(), secret(), secret())
    }()

    /// The hash of `bytes`.
    @inline(__always)
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let (s0, s1, s2) = secrets
        let count = bytes.count
        var state = s0 ^ UInt64(truncatingIfNeeded: count)
        var offset = 0
        while offset + 16 <= count {
            state = mix(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ s1,
                        bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self) ^ state)
            offset += 16
        }
        var low: UInt64 = 0, high: UInt64 = 0
        let rest = count - offset
        if rest >= 8 {
            low = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            high = partial(bytes, from: offset + 8, count: rest - 8)
        } else {
            low = partial(bytes, from: offset, count: rest)
        }
        state = mix(low ^ s1, high ^ state)
        return mix(state ^ s2, UInt64(truncatingIfNeeded: count) ^ s1)
    }

    /// The hash of a string's UTF-8 bytes.
    @inline(__always)
    public static func hash(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// The hash of one 64-bit word, with `salt` telling apart kinds of value that share bits
    /// (an integer and a decimal with the same pattern).
    @inline(__always)
    public static func hash(word: UInt64, salt: UInt64) -> UInt64 {
        let (s0, s1, s2) = secrets
        return mix(mix(word ^ s1, salt ^ s0) ^ s2, s1)
    }

    /// The 128-bit product of `a` and `b`, halves xored.
    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// Up to 7 bytes from `start`, little-endian, zero-extended.
    @inline(__always)
    private static func partial(_ bytes: UnsafeRawBufferPointer, from start: Int, count: Int) -> UInt64 {
        var word: UInt64 = 0
        for index in 0..<count {
            word |= UInt64(bytes[start + index]) << UInt64(8 * index)
        }
        return word
    }
}
