@testable import PublishService
import Testing

/// `FingerprintSet` against `Set<String>` as the oracle: same answers for every insert, across
/// growth, empty and long keys, keys that share prefixes, and non-ASCII text.
@Suite struct FingerprintSetTests {
    @Test("answers like Set<String> for 200,000 inserts with repeats, growing from empty")
    func matchesSet() throws {
        var compact = FingerprintSet()
        var oracle = Set<String>()
        var generator = SystemRandomNumberGenerator()
        let alphabet = ["", "a", "S0001", "s8:S0001234|d42", "Zürich", "東京", String(repeating: "x", count: 300), "|", "s0:"]
        for step in 0..<200_000 {
            let key: String
            switch step % 4 {
            case 0: key = "s\(step / 3)"
            case 1: key = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] + String(step % 997)
            case 2: key = alphabet[step % alphabet.count]
            default: key = "s8:S\(Int.random(in: 0..<50_000, using: &generator))"
            }
            let inserted = try compact.insert(key)
            #expect(inserted == oracle.insert(key).inserted, "\(key) at step \(step)")
        }
        #expect(compact.count == oracle.count)
    }

    @Test("a reserved set holds what it reserved, and keys differing only in length are different")
    func reservedAndLengths() throws {
        var set = FingerprintSet()
        set.reserveCapacity(1000)
        let first = try ["ab", "a", "abc", ""].map { try set.insert($0) }
        #expect(first == [true, true, true, true])
        let again = try ["ab", "", "a"].map { try set.insert($0) }
        #expect(again == [false, false, false])
        let fresh = try (0..<5000).map { try set.insert("k\($0)") }
        let repeated = try (0..<5000).map { try set.insert("k\($0)") }
        #expect(fresh.allSatisfy { $0 } && repeated.allSatisfy { !$0 })
        #expect(set.count == 5004)
    }

    @Test("a set refuses a new key past its byte limit, and still answers for the keys it holds")
    func byteLimit() throws {
        var set = FingerprintSet(byteLimit: 10)
        #expect(try set.insert("12345") && set.insert("67890"))
        #expect(throws: FingerprintSet.Full.self) { try set.insert("x") }
        #expect(try !set.insert("12345"), "a key already held needs no room")
        #expect(set.count == 2)
    }
}
