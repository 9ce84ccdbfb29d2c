@testable import Reports
import Testing

/// The count table behind value frequencies, against a dictionary of counts as the oracle.
@Suite
struct ValueCountsTests {
    @Test func countsLikeADictionaryThroughGrowthAndRebuilds() {
        var table = ValueCounts()
        var oracle: [String: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        for step in 0..<50_000 {
            let key: ValueKey = switch step % 3 {
            case 0: .string("k\(Int.random(in: 0..<5_000, using: &generator))")
            case 1: .integer(Int64(step % 700))
            default: .number(ValueKey.canonicalBits(Double(step % 300) / 4))
            }
            table.add(key)
            oracle["\(key)", default: 0] += 1
            if step % 10_000 == 9_999 {
                // Misra–Gries' decrement: counts of 1 go, the rest lose one; the table still answers.
                table.updateCounts { $0 > 1 ? $0 - 1 : nil }
                oracle = oracle.compactMapValues { $0 > 1 ? $0 - 1 : nil }
            }
        }
        #expect(table.count == oracle.count)
        #expect(table.pairs.allSatisfy { oracle["\($0.0)"] == $0.1 })
        // An integer and a decimal with the same bits are different values.
        #expect(table.count(of: .integer(5)) != nil && table.count(of: .number(5)) == nil)
    }

    @Test func aFullTableRefusesNewValuesButCountsHeldOnes() {
        var table = ValueCounts()
        let added = [table.add(.string("a"), 1, insertingBelow: 2), table.add(.string("b"), 1, insertingBelow: 2),
                     table.add(.string("c"), 1, insertingBelow: 2), table.add(.string("a"), 5, insertingBelow: 2)]
        #expect(added == [true, true, false, true])
        #expect(table.count(of: .string("a")) == 6 && table.count(of: .string("c")) == nil)
        // Equal whatever the order the values arrived in.
        #expect(ValueCounts([(.bool(true), 1), (.bool(false), 2)]) == ValueCounts([(.bool(false), 2), (.bool(true), 1)]))
        #expect(ValueCounts([(.bool(true), 1)]) != ValueCounts([(.bool(true), 2)]))
    }
}
