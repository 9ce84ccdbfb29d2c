import Chunks
import Columnar
import Contracts
import Foundation
import Tabular
import Testing

/// Records ⇄ Arrow chunks: exact round trips (every cell keeps its kind), the column types
/// chosen, and pyarrow reading a chunk as a data team would.
@Suite("Chunk codec")
struct ChunkCodecTests {
    static func randomCell(_ random: inout SplitMix64, kinds: [Int]) -> CellValue {
        switch kinds[Int(random.next() % UInt64(kinds.count))] {
        case 0: return .null
        case 1: return .integer(Int64(bitPattern: random.next()) >> Int64(random.next() % 64))
        case 2: return .number([0.1, -2.5e300, 1e-7, 90.0, -0.0, .infinity, .nan][Int(random.next() % 7)])
        case 3: return .bool(random.next() % 2 == 0)
        default:
            let texts = ["", "plain", "with, comma", "quote \"q\"", "tab\tnew\nline", "Zürich 🎉", "  padded  ", "\u{0}nul"]
            return .string(texts[Int(random.next() % UInt64(texts.count))])
        }
    }

    /// The codec's one rule: a whole number below 2^53 held as a double reads back as an integer.
    static func expected(_ cell: CellValue) -> CellValue {
        if case .number(let value) = cell, value.rounded(.towardZero) == value, value.magnitude < 9_007_199_254_740_992 {
            return .integer(Int64(value))
        }
        return cell
    }

    /// `Record` equality after the codec's rule, NaN equal to NaN (the cell survived if its bits did).
    static func same(_ a: [Record], _ b: [Record]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.line == y.line, x.keys == y.keys, x.dedupe == y.dedupe, x.values.count == y.values.count else { return false }
            for (u, v) in zip(x.values.map(expected), y.values.map(expected)) {
                if case .number(let p) = u, case .number(let q) = v, p.bitPattern == q.bitPattern { continue }
                if u != v { return false }
            }
        }
        return true
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func randomChunksRoundTripExactly(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let header = ["id", "mixed", "texts", "numbers", "flags", "empty", "ints and doubles"]
        // Per column, the kinds its cells may take.
        let kinds: [[Int]] = [[1], [0, 1, 2, 3, 4], [0, 4], [0, 2], [3], [0], [1, 2]]
        let ragged = seed % 2 == 0
        var records: [Record] = []
        for row in 0..<(200 + Int(random.next() % 300)) {
            var values = header.indices.map { Self.randomCell(&random, kinds: kinds[$0]) }
            if ragged && row % 7 == 3 { values.removeLast(2) }
            if ragged && row % 11 == 5 { values.append(.string("extra")) }
            records.append(Record(line: row + 2, values: values,
                                  keys: seed == 3 ? nil : [row % 5 == 0 ? nil : "k\(row)", "pk\(row)"],
                                  dedupe: row % 3 == 0 ? "d\(row % 17)" : nil))
        }
        let chunkHeader = ChunkCodec.Header(columns: header, metadata: [("sluice.job", "j-\(seed)"), ("sluice.stage", "validated")])
        let decoded = try ChunkCodec.decode(ChunkCodec.encode(records, header: chunkHeader))
        #expect(decoded.header == chunkHeader)
        let firstDifference = zip(decoded.records, records).first { !Self.same([$0], [$1]) }
        #expect(firstDifference == nil, "first difference: \(String(describing: firstDifference))")
        #expect(decoded.records.count == records.count)
    }

    @Test func columnTypesFollowTheCells() throws {
        let records = [Record(line: 2, values: [.integer(30), .integer(30), .null, .number(1.5), .bool(true)]),
                       Record(line: 3, values: [.string("n/a"), .number(39.5), .null, .number(2), .bool(false)])]
        let table = ChunkCodec.table(records, header: ChunkCodec.Header(columns: ["w", "t", "n", "f", "b"]))
        #expect(table.fields.map(\.name) == ["_line", "w", "t", "n", "f", "b"])
        let decoded = try ChunkCodec.decode(table).records
        #expect(decoded.map(\.values) == [[.integer(30), .integer(30), .null, .number(1.5), .bool(true)],
                                          [.string("n/a"), .number(39.5), .null, .integer(2), .bool(false)]])
        guard case .denseUnion(let members, let ids) = table.fields[1].type else {
            Issue.record("an int beside a double is a union, got \(table.fields[1].type)")
            return
        }
        #expect(members.map(\.type) == [.int64, .utf8] && ids == [1, 4])
        #expect(table.fields[2...].map(\.type) == [.float64, .null, .float64, .bool], "30 beside 39.5 is a double column")
    }

    @Test func anEmptyChunkKeepsItsHeader() throws {
        let header = ChunkCodec.Header(columns: ["a", "b"])
        let decoded = try ChunkCodec.decode(ChunkCodec.encode([], header: header))
        #expect(decoded.header == header && decoded.records.isEmpty)
    }

    @Test func recordErrorsRoundTrip() throws {
        let errors = [RecordError(line: 4, field: "grade", code: "type-error", message: "not an integer", value: "x"),
                      RecordError(line: 9, field: nil, code: "missing-cell", message: "a row has 3 cells", value: nil)]
        #expect(try RecordErrorCodec.decode(RecordErrorCodec.encode(errors)) == errors)
        #expect(try RecordErrorCodec.decode(RecordErrorCodec.encode([])) == [])
    }

    @Test func notAChunkIsRefused() throws {
        let plain = ArrowStream.encode(ArrowTable(fields: [ArrowField(name: "x", type: .int64)], columns: [ArrowBuilder(.int64).finish()]))
        #expect(throws: ArrowFormatError.self) { try ChunkCodec.decode(plain) }
    }

    @Test func pyarrowReadsAChunk() throws {
        let records = [Record(line: 2, values: [.string("S1"), .integer(90), .number(0.11), .bool(true), .integer(30)],
                              keys: ["fp1"], dedupe: "d1"),
                       Record(line: 4, values: [.string("S3"), .null, .number(0.13), .bool(false), .number(45.33)],
                              keys: [nil], dedupe: nil)]
        let bytes = ChunkCodec.encode(records, header: ChunkCodec.Header(
            columns: ["student_id", "grade", "attendance", "passed", "weighted"], metadata: [("sluice.stage", "transformed")]))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chunk-\(UUID().uuidString).arrows").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try ArrowStreamTests.python("""
            import sys, json, pyarrow.ipc as ipc
            t = ipc.open_stream(open(sys.argv[1], 'rb')).read_all()
            t.validate(full=True)
            print(json.dumps({"names": t.column_names, "rows": t.to_pylist(),
                              "stage": t.schema.metadata[b"sluice.stage"].decode()}))
            """, [path])
        #expect(result.status == 0, "\(result.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(out["names"] as? [String] == ["_line", "student_id", "grade", "attendance", "passed", "weighted", "_key.0", "_dedupe"])
        #expect(out["stage"] as? String == "transformed")
        let rows = try #require(out["rows"] as? [[String: Any]])
        #expect(rows[0]["_line"] as? Int == 2 && rows[0]["student_id"] as? String == "S1" && rows[0]["grade"] as? Int == 90)
        #expect(rows[1]["grade"] is NSNull && rows[1]["weighted"] as? Double == 45.33 && rows[1]["_key.0"] is NSNull)
        #expect(rows[0]["weighted"] as? Double == 30, "30 beside 45.33: a double column")
        #expect(rows[0]["passed"] as? Bool == true && rows[0]["_dedupe"] as? String == "d1")
    }
}
