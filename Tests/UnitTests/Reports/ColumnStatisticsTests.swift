import Foundation
import Reports
import Contracts
import Tabular
import Testing

/// Exact mode of `ColumnStatistics`: counts, percentiles, moments, histogram, top values,
/// merging and deterministic output.
@Suite struct ColumnStatisticsTests {
    /// A mixed column: numbers, text (with accents and a combining mark), booleans, nulls.
    @Test func countsTypesAndTextLengths() throws {
        var stats = ColumnStatistics(name: "mixed")
        stats.add(contentsOf: [1, 2.5, .null, "é", "e\u{301}té", "", true, false, .null, 1])
        let summary = stats.summary
        #expect(summary.count == 8)
        #expect(summary.nulls == 2)
        #expect(summary.kind == .mixed)
        #expect(summary.valueTypes.integer == 2)
        #expect(summary.valueTypes.number == 1)
        #expect(summary.valueTypes.string == 3)
        #expect(summary.valueTypes.boolean == 2)
        #expect(summary.valueTypes.booleanTrue == 1)
        // "é" and "e\u{301}" are one character each; the empty string has length 0.
        #expect(summary.textLength == ColumnSummary.TextLength(min: 0, max: 3))
        // 1 (twice), 2.5, "é", "été", "", true, false: "é" and "e\u{301}té" differ.
        #expect(summary.distinct == 7)
        #expect(summary.distinctMethod == "exact")
        #expect(summary.topValues.first == ColumnSummary.TopValue(value: 1, count: 2))
        #expect(summary.numeric?.count == 3)
    }

    /// Texts are counted by their bytes, as pandas and the distinct-count sketch see them: a
    /// precomposed and a decomposed "é" are two values, in a stable order.
    @Test func textsCountByTheirBytes() {
        var stats = ColumnStatistics(name: "accent")
        stats.add(contentsOf: ["é", "e\u{301}", "é", "e\u{301}", "x"])
        let summary = stats.summary
        #expect(summary.distinct == 3)
        let top = summary.topValues.map { Array($0.value.csvText.utf8) }
        // Tied counts, canonically equal texts: byte order breaks the tie ("e" < 0xC3).
        #expect(top == [Array("e\u{301}".utf8), Array("é".utf8), Array("x".utf8)])
        #expect(summary.topValues.map(\.count) == [2, 2, 1])
    }

    /// Top values: by count descending, ties broken by value (booleans, numbers, text).
    @Test func topValuesOrderIsDeterministic() {
        var stats = ColumnStatistics(name: "course", limits: StatisticsLimits(topValueCount: 4))
        for value: CellValue in ["b", "a", "c", "b", "a", 3, true, "b"] { stats.add(value) }
        let top = stats.summary.topValues
        #expect(top.map(\.value) == ["b", "a", true, 3])
        #expect(top.map(\.count) == [3, 2, 1, 1])
        #expect(stats.summary.kind == .mixed)
    }

    /// Hand-checked values of the linear (numpy default) definition.
    @Test func exactPercentilesOnSmallInputs() throws {
        var stats = ColumnStatistics(name: "x")
        stats.add(contentsOf: [4, 1, 3, 2] as [CellValue])
        let numeric = try #require(stats.summary.numeric)
        #expect(numeric.p50 == 2.5)
        #expect(abs(numeric.p90 - 3.7) < 1e-12)
        #expect(abs(numeric.p99 - 3.97) < 1e-12)
        #expect(numeric.percentileMethod == "exact")

        var single = ColumnStatistics(name: "one")
        single.add(42)
        let one = try #require(single.summary.numeric)
        #expect([one.p50, one.p90, one.p99, one.min, one.max] == [42, 42, 42, 42, 42])
        #expect(one.stddev == nil)
        #expect(one.histogram.counts == [1])
        #expect(one.histogram.binWidth == 0)
    }

    /// 10,001 generated values against an independent sorted-array reference.
    @Test func exactPercentilesMatchSortedReference() throws {
        var random = SplitMix64(seed: 7)
        let values = (0..<10_001).map { _ in (random.normal() * 15 + 70).rounded() / 2 }
        var stats = ColumnStatistics(name: "grade")
        for value in values { stats.add(.number(value)) }
        let numeric = try #require(stats.summary.numeric)
        #expect(numeric.p50 == referencePercentile(values, 0.5))
        #expect(numeric.p90 == referencePercentile(values, 0.9))
        #expect(abs(numeric.p99 - referencePercentile(values, 0.99)) < 1e-9)

        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        #expect(abs(numeric.mean! - mean) < 1e-9)
        #expect(abs(numeric.stddev! - variance.squareRoot()) < 1e-9)
        #expect(numeric.min == values.min())
        #expect(numeric.max == values.max())
    }

    /// Cross-check against numpy itself (installed by infra/local/python.sh).
    @Test
    func exactPercentilesMatchNumpy() throws {
        var random = SplitMix64(seed: 99)
        let values = (0..<2_001).map { _ in exp(random.normal()) * 100 }
        var stats = ColumnStatistics(name: "x")
        for value in values { stats.add(.number(value)) }
        let numeric = try #require(stats.summary.numeric)
        let script = """
            import sys, json, numpy
            values = json.load(open(sys.argv[1]))
            print(json.dumps([float(numpy.percentile(values, q)) for q in (50, 90, 99)]))
            """
        let directory = try ReportTestSupport.scratchDirectory("numpy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("values.json")
        try ReportTestSupport.json(values).write(to: input)
        let result = try ReportTestSupport.python(script, [input.path])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try JSONDecoder().decode([Double].self, from: Data(result.stdout.utf8))
        for (ours, theirs) in zip([numeric.p50, numeric.p90, numeric.p99], expected) {
            #expect(abs(ours - theirs) <= 1e-9 * max(abs(theirs), 1))
        }
    }

    /// 0…99 in 20 bins of width 4.95: five values per bin, 99 in the last bin.
    @Test func histogramOfUniformIntegers() throws {
        var stats = ColumnStatistics(name: "n")
        for value in 0..<100 { stats.add(.integer(Int64(value))) }
        let histogram = try #require(stats.summary.numeric?.histogram)
        #expect(histogram.counts == Array(repeating: 5, count: 20))
        #expect(histogram.min == 0)
        #expect(histogram.max == 99)
        #expect(histogram.method == "exact")
        #expect(abs(histogram.lowerEdge(ofBin: 1) - 4.95) < 1e-12)
    }

    /// Integers spanning fewer values than bins get one bin per value.
    @Test func histogramOfSmallIntegerRange() throws {
        var stats = ColumnStatistics(name: "credits")
        for value in [1, 2, 2, 3, 3, 3, 6, 6] { stats.add(.integer(Int64(value))) }
        stats.add(.null)
        let histogram = try #require(stats.summary.numeric?.histogram)
        #expect(histogram.counts == [1, 2, 3, 0, 0, 2])
        #expect(histogram.binWidth == 1)
        #expect(histogram.min == 1 && histogram.max == 7)

        // A single decimal among them switches back to equal-width bins over [min, max].
        stats.add(2.5)
        let mixed = try #require(stats.summary.numeric?.histogram)
        #expect(mixed.counts.count == 20)
        #expect(mixed.max == 6)
    }

    /// Non-finite numbers are counted but kept out of numeric statistics (and out of JSON).
    @Test func nonFiniteNumbersAreExcluded() throws {
        var stats = ColumnStatistics(name: "x")
        stats.add(contentsOf: [.number(.nan), .number(.infinity), 1, 3, .number(.nan)])
        let summary = stats.summary
        #expect(summary.valueTypes.nonFinite == 3)
        #expect(summary.numeric?.count == 2)
        #expect(summary.numeric?.mean == 2)
        #expect(summary.distinct == 4)
        #expect(summary.topValues.first == ColumnSummary.TopValue(value: "nan", count: 2))
        _ = try ReportTestSupport.json(summary)
        _ = try ReportTestSupport.json(stats)
    }

    /// Chunked statistics merged together equal one sequential pass (mean and standard
    /// deviation up to rounding).
    @Test func mergeEqualsSequential() throws {
        let values = Self.mixedColumn(count: 6_000, seed: 3)
        var sequential = ColumnStatistics(name: "c")
        sequential.add(contentsOf: values)
        var merged = ColumnStatistics(name: "c")
        for range in [0..<1_000, 1_000..<1_001, 1_001..<4_500, 4_500..<6_000] {
            var chunk = ColumnStatistics(name: "c")
            chunk.add(contentsOf: values[range])
            merged.merge(chunk)
        }
        var expected = sequential.summary, actual = merged.summary
        #expect(abs(expected.numeric!.mean! - actual.numeric!.mean!) < 1e-9)
        #expect(abs(expected.numeric!.stddev! - actual.numeric!.stddev!) < 1e-9)
        expected.numeric!.mean = nil; expected.numeric!.stddev = nil
        actual.numeric!.mean = nil; actual.numeric!.stddev = nil
        #expect(expected == actual)
    }

    /// The same input in the same order gives byte-identical JSON, for the saved state and
    /// for the summary; state survives a JSON round trip.
    @Test func deterministicJSON() throws {
        let values = Self.mixedColumn(count: 3_000, seed: 11)
        var first = ColumnStatistics(name: "c"), second = ColumnStatistics(name: "c")
        first.add(contentsOf: values)
        second.add(contentsOf: values)
        #expect(try ReportTestSupport.json(first) == ReportTestSupport.json(second))
        #expect(try ReportTestSupport.json(first.summary) == ReportTestSupport.json(second.summary))

        let decoded = try JSONDecoder().decode(ColumnStatistics.self, from: ReportTestSupport.json(first))
        #expect(decoded == first)
        #expect(try ReportTestSupport.json(decoded) == ReportTestSupport.json(first))

        // Saved value lists are sorted, so they do not depend on dictionary iteration
        // order: the same multiset in reverse order saves the same frequency entries.
        var reversed = ColumnStatistics(name: "c")
        reversed.add(contentsOf: values.reversed())
        #expect(try Self.frequencyPart(first) == Self.frequencyPart(reversed))
    }

    /// The summary JSON keeps integers as integers and names every method.
    @Test func summaryJSONShape() throws {
        var stats = ColumnStatistics(name: "grade")
        stats.add(contentsOf: [90, 80, .null, 85] as [CellValue])
        let json = String(decoding: try ReportTestSupport.json(stats.summary), as: UTF8.self)
        #expect(json.contains("\"distinctApproximate\":false"))
        #expect(json.contains("\"distinctMethod\":\"exact\""))
        #expect(json.contains("\"percentileMethod\":\"exact\""))
        #expect(json.contains("\"topValuesMethod\":\"exact\""))
        #expect(json.contains("\"p50\":85"))
        #expect(!json.contains("textLength"))
    }

    /// Integers, decimals, text and nulls in a fixed pseudo-random mix.
    static func mixedColumn(count: Int, seed: UInt64) -> [CellValue] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index -> CellValue in
            switch random.next() % 10 {
            case 0: .null
            case 1, 2: .string(["Math", "Physics", "Chemistry", "Art"][Int(random.next() % 4)])
            case 3: .integer(Int64(random.next() % 100))
            default: .number((random.normal() * 10 + 50 + Double(index % 7)).rounded() / 4)
            }
        }
    }

    /// The `frequencies` object of a saved state's JSON, re-encoded with sorted keys.
    static func frequencyPart(_ stats: ColumnStatistics) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: ReportTestSupport.json(stats)) as? [String: Any]
        let part = try #require(object?["frequencies"])
        return try JSONSerialization.data(withJSONObject: part, options: [.sortedKeys])
    }
}
