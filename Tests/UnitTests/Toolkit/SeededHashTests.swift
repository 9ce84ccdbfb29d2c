import Testing
import Toolkit

/// The per-process seeded hash of the per-row hash tables (publish's dedupe set).
@Suite
struct SeededHashTests {
    @Test func sameBytesSameHashDifferentBytesDifferentHash() {
        #expect(SeededHash.hash("course-17") == SeededHash.hash("course-17"))
        // Lengths around the 8- and 16-byte steps, and keys that differ only by trailing
        // zero bytes, which a zero-padded tail could confuse.
        var keys: [String] = []
        for length in 0...40 { keys.append(String(repeating: "a", count: length)) }
        keys += ["a\u{0}", "a\u{0}\u{0}", String(repeating: "\u{0}", count: 8), String(repeating: "\u{0}", count: 16),
                 "0123456789abcdef", "0123456789abcdeg", "1023456789abcdef", "Zoë", "Zoe\u{308}"]
        let hashes = Set(keys.map(SeededHash.hash))
        #expect(hashes.count == keys.count)
    }

    /// Sequential keys (ids) spread evenly over a table's top bits: with 100,000 keys in 2^17
    /// buckets by the top 17 bits, no bucket holds more than a handful.
    @Test func topBitsSpreadSequentialKeys() {
        var buckets = [Int](repeating: 0, count: 1 << 17)
        for id in 0..<100_000 {
            buckets[Int(SeededHash.hash("student-\(id)") >> 47)] += 1
        }
        let used = buckets.filter { $0 > 0 }.count
        #expect(buckets.max()! <= 10)
        // A uniform hash fills 1 − e^(−100000/131072) ≈ 53% of the buckets.
        #expect(used > 62_000 && used < 77_000)
    }
}
