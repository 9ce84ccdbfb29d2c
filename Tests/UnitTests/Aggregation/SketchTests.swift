import Aggregation
import Contracts
import Foundation
import Testing

/// The sketches' documented error bounds, merging, and their wire form.
@Suite("Sketches")
struct SketchTests {
    @Test("distinct counts within 3.5 % (about two standard errors) from 10 to 200,000 values; exact-ish when small",
          arguments: [10, 1_000, 10_000, 200_000])
    func distinct(count: Int) {
        var sketch = DistinctSketch()
        for i in 0..<count { sketch.add("student-\(i)") }
        for i in 0..<count / 2 { sketch.add("student-\(i)") }  // repeats change nothing
        let error = abs(sketch.estimate - Double(count)) / Double(count)
        #expect(error < (count <= 1_000 ? 0.01 : 0.035), "\(count): estimate \(sketch.estimate)")
    }

    @Test("merging two distinct sketches counts their union; the wire form round-trips (sparse and dense)")
    func distinctMerge() throws {
        var a = DistinctSketch(), b = DistinctSketch()
        for i in 0..<30_000 { a.add("v\(i)") }
        for i in 20_000..<50_000 { b.add("v\(i)") }
        var union = a
        union.merge(b)
        #expect(abs(union.estimate - 50_000) / 50_000 < 0.035)
        for sketch in [a, DistinctSketch(), { var s = DistinctSketch(); s.add("x"); return s }()] {
            let decoded = try JSONCoding.decode(DistinctSketch.self, from: try JSONCoding.encode(sketch))
            #expect(decoded == sketch)
        }
        #expect(String(decoding: try JSONCoding.encode(a), as: UTF8.self).contains("dense"))
    }

    @Test("percentiles within 1 % of the value at rank ⌊q(n−1)⌋, for skewed, negative and repeated values")
    func quantiles() {
        var values: [Double] = []
        var seed: UInt64 = 42
        for _ in 0..<20_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let u = Double(seed >> 11) / Double(1 << 53)
            values.append(exp(u * 12) - 50)  // from -49 to about 160,000, skewed
        }
        values += Array(repeating: 0, count: 500)
        var sketch = QuantileSketch()
        for v in values { sketch.add(v) }
        let sorted = values.sorted()
        for q in [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99] {
            let exact = sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
            let estimate = sketch.quantile(q) ?? .nan
            #expect(abs(estimate - exact) <= 0.0101 * abs(exact), "q \(q): \(estimate) vs \(exact)")
        }
        #expect(sketch.quantile(0) == sorted.first && sketch.quantile(1) == sorted.last && sketch.count == UInt64(values.count))
    }

    @Test("merged percentile sketches answer like one sketch of all the values")
    func quantileMerge() throws {
        var a = QuantileSketch(), b = QuantileSketch(), all = QuantileSketch()
        for i in 1...5_000 {
            a.add(Double(i))
            all.add(Double(i))
        }
        for i in 5_001...9_000 {
            b.add(Double(i) * 1.5)
            all.add(Double(i) * 1.5)
        }
        a.merge(b)
        #expect(a == all)
        #expect(try JSONCoding.decode(QuantileSketch.self, from: try JSONCoding.encode(a)) == a)
    }

    @Test("the stable hash is the same everywhere (known values) and tells nearby inputs apart")
    func stableHash() {
        #expect(StableHash.hash64("") == StableHash.hash64([UInt8]()))
        #expect(StableHash.hash64("student-1") != StableHash.hash64("student-2"))
        // FNV-1a then MurmurHash3's finalizer, as a few lines of Python compute it too.
        #expect(StableHash.hash64("a") == 0x82a2_a958_a9be_ce5b && StableHash.hash64("student-1") == 0x38e1_a489_82ed_2686)
        #expect(StableHash.hash64("abc") == StableHash.hash64(Array("abc".utf8)))
    }
}
