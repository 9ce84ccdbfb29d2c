import Foundation
import Toolkit

/// An exact set of strings, compact: the job-wide dedupe keys of publish, a million or more per
/// job.
///
/// `Set<String>` kept 16 bytes per bucket plus a heap block per key longer than 15 bytes, and
/// doubled in place (old and new tables alive at once). Here the keys' bytes sit end to end in
/// one array, and the open-addressing table holds 8 bytes per slot: the top 32 bits of the
/// key's hash and its index. A key's home slot comes from those same bits, so growing the table
/// re-places keys without hashing them again; a lookup compares stored bytes only when the 32
/// bits match.
///
/// Hashing is ``SeededHash`` (Swift's `Hasher`, built once per key, was a sixth of publish's
/// time): secrets random per process, so crafted keys cannot be known to make probe chains
/// long. The set's contents never depend on them, only where keys sit.
struct FingerprintSet: Sendable {
    /// 0 when empty; else the hash's high 32 bits and the key's index + 1.
    private var slots: [UInt64] = []
    /// Where each key starts in `bytes`; key `i` ends where key `i + 1` starts. 32 bits: 4 MB
    /// less per million keys, which kept publish under 150 MiB; `byteLimit` guards the range.
    private var starts: [UInt32] = [0]
    private var bytes: [UInt8] = []
    /// Most key bytes held (4 GiB by default, what 32-bit offsets reach).
    private let byteLimit: Int

    /// The set is full: its keys' bytes would pass `byteLimit`.
    struct Full: Error {
        let limit: Int
    }

    /// An empty set holding at most `byteLimit` bytes of keys.
    init(byteLimit: Int = Int(UInt32.max)) {
        self.byteLimit = min(byteLimit, Int(UInt32.max))
    }

    /// Keys held.
    var count: Int { starts.count - 1 }

    /// Room for `capacity` keys before the table grows.
    mutating func reserveCapacity(_ capacity: Int) {
        var size = 16
        while size * 3 < capacity * 4 { size *= 2 }
        if size > slots.count { rehash(size) }
        starts.reserveCapacity(capacity + 1)
    }

    /// Adds `key`; false when it was there already.
    ///
    /// - Throws: ``Full`` when a new key would take the keys' bytes past `byteLimit`.
    mutating func insert(_ key: String) throws(Full) -> Bool {
        var key = key
        var full: Full?
        let inserted = key.withUTF8 { bytes -> Bool in
            do throws(Full) { return try insert(bytes: bytes) } catch { full = error; return false }
        }
        if let full { throw full }
        return inserted
    }

    private mutating func insert(bytes key: UnsafeBufferPointer<UInt8>) throws(Full) -> Bool {
        if (count + 1) * 4 > slots.count * 3 { rehash(Swift.max(16, slots.count * 2)) }
        let tag = Self.hash(key) >> 32
        let mask = slots.count - 1
        var index = home(tag)
        while true {
            let slot = slots[index]
            if slot == 0 {
                guard bytes.count + key.count <= byteLimit else { throw Full(limit: byteLimit) }
                bytes.append(contentsOf: key)
                starts.append(UInt32(bytes.count))
                slots[index] = tag << 32 | UInt64(count)
                return true
            }
            if slot >> 32 == tag, equals(Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1, key) { return false }
            index = (index + 1) & mask
        }
    }

    /// The home slot of a tag: its top bits, as many as the table size needs (≤ 2^32 slots).
    @inline(__always)
    private func home(_ tag: UInt64) -> Int {
        Int(truncatingIfNeeded: tag >> UInt64(32 - slots.count.trailingZeroBitCount))
    }

    private func equals(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[entry]), end = Int(starts[entry + 1])
        guard end - start == key.count else { return false }
        return bytes.withUnsafeBufferPointer { stored in
            key.count == 0 || memcmp(stored.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        SeededHash.hash(UnsafeRawBufferPointer(key))
    }

    /// Re-places every key in a table of `size` slots (a power of two), by its stored tag.
    private mutating func rehash(_ size: Int) {
        precondition(count < Int(UInt32.max) && size <= 1 << 32, "more than 4 billion dedupe keys in one job")
        let old = slots
        slots = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for slot in old where slot != 0 {
            var index = home(slot >> 32)
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
