import Columnar
import Foundation
@testable import TestSupport
import Testing

/// The Arrow IPC stream: round trips through Sluice's own reader, bad bytes refused without
/// a crash, and pyarrow (the oracle) reading what Sluice writes and the other way round.
@Suite("Arrow IPC stream")
struct ArrowStreamTests {
    /// Every type Sluice writes, with nulls, plus a mixed column as a dense union.
    static func sample() -> ArrowTable {
        var ids = ArrowBuilder(.int64), scores = ArrowBuilder(.float64), flags = ArrowBuilder(.bool)
        var days = ArrowBuilder(.date32), names = ArrowBuilder(.utf8), nothing = ArrowBuilder(.null)
        let texts: [String?] = ["Ada", nil, "", "Grace \"G\" Hopper, 1906–1992 🎉", "x"]
        for row in 0..<5 {
            ids.append(Int64(row) * 1_000_000_007 - 2)
            if row == 1 { scores.appendNull() } else { scores.append(Double(row) / 3) }
            if row == 2 { flags.appendNull() } else { flags.append(row % 2 == 0) }
            if row == 3 { days.appendNull() } else { days.append(days: Int32(19_000 + row)) }
            if let text = texts[row] { names.append(text) } else { names.appendNull() }
            nothing.appendNull()
        }
        // Mixed: 30 (int), 39.5 (double), null, "n/a" (text), 12 (int).
        var mixedInts = ArrowBuilder(.int64), mixedDoubles = ArrowBuilder(.float64)
        var mixedNulls = ArrowBuilder(.null), mixedTexts = ArrowBuilder(.utf8)
        mixedInts.append(Int64(30)); mixedDoubles.append(39.5); mixedNulls.appendNull(); mixedTexts.append("n/a")
        mixedInts.append(Int64(12))
        let unionFields = [ArrowField(name: "null", type: .null), ArrowField(name: "int64", type: .int64),
                           ArrowField(name: "float64", type: .float64), ArrowField(name: "utf8", type: .utf8)]
        let unionType = ArrowType.denseUnion(unionFields, typeIds: [0, 1, 2, 4])
        let mixed = ArrowArray.denseUnion(unionType, children: [mixedNulls.finish(), mixedInts.finish(),
                                                                 mixedDoubles.finish(), mixedTexts.finish()],
                                          typeIds: [1, 2, 0, 4, 1], offsets: [0, 0, 0, 0, 1])
        return ArrowTable(
            fields: [ArrowField(name: "id", type: .int64, nullable: false), ArrowField(name: "score", type: .float64),
                     ArrowField(name: "flag", type: .bool), ArrowField(name: "day", type: .date32),
                     ArrowField(name: "name", type: .utf8, metadata: [("sluice.kind", "text")]),
                     ArrowField(name: "nothing", type: .null), ArrowField(name: "mixed", type: unionType)],
            columns: [ids.finish(), scores.finish(), flags.finish(), days.finish(), names.finish(), nothing.finish(), mixed],
            metadata: [("sluice.chunk.version", "1"), ("sluice.job", "job-1")])
    }

    @Test func roundTripsThroughItsOwnReader() throws {
        let table = Self.sample()
        let bytes = ArrowStream.encode(table)
        #expect(bytes.count % 8 == 0)
        #expect(try ArrowStream.decodeTable(bytes) == table)
        let read = try ArrowStream.decodeTable(bytes)
        #expect(read.columns[4].string(3) == "Grace \"G\" Hopper, 1906–1992 🎉")
        #expect(read.columns[4].isNull(1) && !read.columns[4].isNull(2))
        #expect(read.columns[6].unionSlot(1) == (2, 0) && read.columns[6].isNull(2))
    }

    @Test func anEmptyBatchRoundTrips() throws {
        let table = ArrowTable(fields: [ArrowField(name: "a", type: .utf8)], columns: [ArrowBuilder(.utf8).finish()])
        #expect(try ArrowStream.decodeTable(ArrowStream.encode(table)) == table)
    }

    @Test func damagedBytesAreRefusedNeverACrash() throws {
        let bytes = ArrowStream.encode(Self.sample())
        // Every truncation, and a byte flipped at every position: an error or a table, no crash.
        var refused = 0
        for cut in stride(from: 0, to: bytes.count, by: 3) {
            if (try? ArrowStream.decodeTable(Array(bytes[..<cut]))) == nil { refused += 1 }
        }
        #expect(refused > 0)
        for position in 0..<bytes.count {
            for pattern: [UInt8] in [[0xA5], [0xFF, 0xFF, 0xFF, 0x7F], [0x00, 0x00, 0x00, 0x80]] {
                var damaged = bytes
                for (offset, byte) in pattern.enumerated() where position + offset < damaged.count {
                    damaged[position + offset] = offset == 0 && pattern.count == 1 ? damaged[position] ^ byte : byte
                }
                _ = try? ArrowStream.decodeTable(damaged)
            }
        }
        #expect(throws: ArrowFormatError.self) { try ArrowStream.decodeTable([1, 2, 3]) }
    }

    @Test func aSchemaNestedTooDeeplyIsRefused() throws {
        var type = ArrowType.int64
        var array = ArrowBuilder(.int64).finish()
        for _ in 0..<6 {
            type = .denseUnion([ArrowField(name: "inner", type: type)], typeIds: [0])
            array = ArrowArray.denseUnion(type, children: [array], typeIds: [], offsets: [])
        }
        let bytes = ArrowStream.encode(ArrowTable(fields: [ArrowField(name: "deep", type: type)], columns: [array]))
        #expect(throws: ArrowFormatError.self) { try ArrowStream.decodeTable(bytes) }
    }

    @Test func pyarrowReadsWhatSluiceWrites() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arrow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("chunk.arrows").path
        try Data(ArrowStream.encode(Self.sample())).write(to: URL(fileURLWithPath: path))
        let result = try Self.python("""
            import sys, json, pyarrow.ipc as ipc
            table = ipc.open_stream(open(sys.argv[1], 'rb')).read_all()
            table.validate(full=True)
            out = {"schema": [f"{f.name}:{f.type}:{f.nullable}" for f in table.schema],
                   "meta": {k.decode(): v.decode() for k, v in table.schema.metadata.items()},
                   "fieldMeta": {k.decode(): v.decode() for k, v in table.schema.field('name').metadata.items()},
                   "rows": [[str(v) for v in row.values()] for row in table.to_pylist()]}
            print(json.dumps(out))
            """, [path])
        #expect(result.status == 0, "\(result.stderr)")
        let out = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(out?["schema"] as? [String] == [
            "id:int64:False", "score:double:True", "flag:bool:True", "day:date32[day]:True", "name:string:True",
            "nothing:null:True", "mixed:dense_union<null: null=0, int64: int64=1, float64: double=2, utf8: string=4>:True"])
        #expect(out?["meta"] as? [String: String] == ["sluice.chunk.version": "1", "sluice.job": "job-1"])
        #expect(out?["fieldMeta"] as? [String: String] == ["sluice.kind": "text"])
        let rows = out?["rows"] as? [[String]]
        #expect(rows?.count == 5)
        #expect(rows?[0] == ["-2", "0.0", "True", "2022-01-08", "Ada", "None", "30"])
        #expect(rows?[1] == ["1000000005", "None", "False", "2022-01-09", "None", "None", "39.5"])
        #expect(rows?[2].dropFirst(2).first == "None")
        #expect(rows?[3] == ["3000000019", "1.0", "False", "None", "Grace \"G\" Hopper, 1906–1992 🎉", "None", "n/a"])
        #expect(rows?[4].last == "12")
    }

    @Test func sluiceReadsWhatPyarrowWrites() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arrow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("py.arrows").path
        let result = try Self.python("""
            import sys, datetime, pyarrow as pa, pyarrow.ipc as ipc
            t = pa.table({"i": pa.array([1, None, 3], pa.int64()), "f": pa.array([0.5, 2.0, None]),
                          "b": pa.array([None, True, False]), "d": pa.array([datetime.date(2026, 12, 5), None, None]),
                          "s": pa.array(["a", "", None]), "e": pa.array(["x", "y", "z"])},
                         metadata={"origin": "pyarrow"})
            with ipc.new_stream(sys.argv[1], t.schema) as w:
                w.write_table(t)
            """, [path])
        #expect(result.status == 0, "\(result.stderr)")
        let table = try ArrowStream.decodeTable(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(table.fields.map(\.name) == ["i", "f", "b", "d", "s", "e"])
        #expect(table.fields.map(\.type) == [.int64, .float64, .bool, .date32, .utf8, .utf8])
        #expect(table.metadata.first?.key == "origin")
        let (i, f, b, d, s) = (table.columns[0], table.columns[1], table.columns[2], table.columns[3], table.columns[4])
        #expect(i.int64(0) == 1 && i.isNull(1) && i.int64(2) == 3)
        #expect(f.float64(0) == 0.5 && f.float64(1) == 2.0 && f.isNull(2))
        #expect(b.isNull(0) && b.bool(1) && !b.bool(2))
        #expect(d.date32(0) == 20_792 && d.isNull(1))
        #expect(s.string(0) == "a" && s.string(1) == "" && s.isNull(2))
    }

    /// Runs a Python 3 script with arguments; returns status and output.
    static func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try Python.run(script, arguments)
    }
}
