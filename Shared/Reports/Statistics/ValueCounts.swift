import Toolkit

/// A count per value: the table behind ``ValueFrequencies``, looked up once per non-null cell
/// of every published row.
///
/// `[ValueKey: Int]` built a seeded `Hasher` for every lookup, a sixth of publish's time. Here
/// entries sit in two arrays in insertion order and an open-addressing index (linear probing,
/// at most half full) points into them; hashes are ``SeededHash`` and kept per entry, so
/// growing or rebuilding never hashes a key again.
///
/// Texts are the same value when their UTF-8 bytes are: `"é"` and `"e\u{301}"` count apart,
/// as pandas and the distinct-count sketch (which hashes bytes) see them.
struct ValueCounts: Sendable {
    /// The values, in the order they first arrived.
    private(set) var keys: [ValueKey] = []
    /// `counts[i]` is the count of `keys[i]`.
    private(set) var counts: [Int] = []
    private var hashes: [UInt64] = []
    /// 0 when empty, else an entry's index + 1.
    private var slots: [UInt32] = []

    /// An empty table.
    init() {}

    /// A table holding `pairs` (a repeated value's counts are added).
    init(_ pairs: some Sequence<(ValueKey, Int)>) {
        for (key, count) in pairs { add(key, count) }
    }

    /// The number of distinct values held.
    var count: Int { keys.count }

    /// Every value with its count, in arrival order.
    var pairs: Zip2Sequence<[ValueKey], [Int]> { zip(keys, counts) }

    /// The count of `key`, nil when it is not held.
    func count(of key: ValueKey) -> Int? {
        find(key, hash: Self.hash(key)).entry.map { counts[$0] }
    }

    /// Adds `amount` to the count of `key`, inserting it if it is new.
    @inline(__always)
    mutating func add(_ key: ValueKey, _ amount: Int = 1) {
        _ = add(key, amount, insertingBelow: .max)
    }

    /// Adds `amount` to `key`'s count if it is held, or inserts it if fewer than `limit`
    /// values are held; false when it was neither (the table is full and `key` is new).
    @inline(__always)
    mutating func add(_ key: ValueKey, _ amount: Int, insertingBelow limit: Int) -> Bool {
        let hash = Self.hash(key)
        let found = find(key, hash: hash)
        if let entry = found.entry {
            counts[entry] += amount
            return true
        }
        guard keys.count < limit else { return false }
        if (keys.count + 1) * 2 > slots.count {
            rebuild(capacity: Swift.max(16, slots.count * 2))
            insert(key, amount, hash: hash, slot: find(key, hash: hash).slot)
        } else {
            insert(key, amount, hash: hash, slot: found.slot)
        }
        return true
    }

    /// Keeps only the values for which `transform` returns a count, with that count.
    ///
    /// The table keeps its size: Misra–Gries empties a full table of counters and refills it,
    /// over and over on a column of distinct values, and shrinking it each time made every
    /// refill grow it again through eight rebuilds.
    mutating func updateCounts(_ transform: (Int) -> Int?) {
        var kept = ValueCounts()
        kept.keys.reserveCapacity(keys.count)
        kept.counts.reserveCapacity(keys.count)
        kept.hashes.reserveCapacity(keys.count)
        for index in keys.indices {
            guard let count = transform(counts[index]) else { continue }
            kept.keys.append(keys[index])
            kept.counts.append(count)
            kept.hashes.append(hashes[index])
        }
        kept.rebuild(capacity: Swift.max(16, slots.count, (kept.keys.count * 2).nextPowerOfTwo))
        self = kept
    }

    private mutating func insert(_ key: ValueKey, _ amount: Int, hash: UInt64, slot: Int) {
        keys.append(key)
        counts.append(amount)
        hashes.append(hash)
        slots[slot] = UInt32(keys.count)
    }

    /// The entry holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func find(_ key: ValueKey, hash: UInt64) -> (entry: Int?, slot: Int) {
        guard !slots.isEmpty else { return (nil, 0) }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { return (nil, slot) }
            let entry = Int(stored) - 1
            if hashes[entry] == hash, Self.same(keys[entry], key) { return (entry, slot) }
            slot = (slot + 1) & mask
        }
    }

    /// Re-places every entry in an index of `capacity` slots (a power of two).
    private mutating func rebuild(capacity: Int) {
        slots = [UInt32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(index + 1)
        }
    }

    @inline(__always)
    private static func hash(_ key: ValueKey) -> UInt64 {
        switch key {
        case .string(let text): SeededHash.hash(text)
        case .integer(let number): SeededHash.hash(word: UInt64(bitPattern: number), salt: 1)
        case .number(let bits): SeededHash.hash(word: bits, salt: 2)
        case .bool(let flag): SeededHash.hash(word: flag ? 1 : 0, salt: 3)
        }
    }

    /// Equality of values, texts by their bytes.
    @inline(__always)
    private static func same(_ left: ValueKey, _ right: ValueKey) -> Bool {
        switch (left, right) {
        case (.string(var a), .string(var b)):
            return a.withUTF8 { a in b.withUTF8 { b in a.elementsEqual(b) } }
        case (.integer(let a), .integer(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        default: return false
        }
    }
}

extension ValueCounts: Equatable {
    /// The same values with the same counts, in any order.
    static func == (lhs: ValueCounts, rhs: ValueCounts) -> Bool {
        lhs.count == rhs.count && lhs.pairs.allSatisfy { rhs.count(of: $0.0) == $0.1 }
    }
}

private extension Int {
    /// The smallest power of two ≥ self (1 for 0).
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
