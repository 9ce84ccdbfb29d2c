import Chunks
import Columnar
import Contracts
import Tabular
import Testing

/// A stage that leaves columns undecoded and carries them into its output chunk must write
/// the chunk a full decode and encode would mean: same rows, same cells.
@Suite("Chunk carrying")
struct ChunkCarryTests {
    static let header = ChunkCodec.Header(columns: ["id", "mixed", "score", "note"])
    static let records: [Record] = (0..<20).map(record)

    static func record(_ row: Int) -> Record {
        let mixed: CellValue = row % 3 == 0 ? .string("t\(row)") : .integer(Int64(row))  // a union column
        let score: CellValue = row % 4 == 0 ? .null : .number(Double(row) + 0.5)
        let note: CellValue = .string(row % 2 == 0 ? "even" : "odd")
        return Record(line: row + 2, values: [.integer(Int64(row)), mixed, score, note], keys: ["k\(row)"])
    }

    @Test("left columns are placeholders and come back as arrays; unions are decoded anyway")
    func leaving() throws {
        let table = ChunkCodec.table(Self.records, header: Self.header)
        let decoded = try ChunkCodec.decode(table, leaving: [0, 1, 2])
        #expect(Set(decoded.undecoded.keys) == [0, 2])
        #expect(decoded.columns.isEmpty, "the arrays go unless asked for")
        #expect(try ChunkCodec.decode(table, keepingColumns: true).columns == Array(table.columns[1...4]))
        let full = try ChunkCodec.decode(table)
        for (mine, theirs) in zip(decoded.records, full.records) {
            #expect(mine.values[0] == .null && mine.values[2] == .null)
            #expect(mine.values[1] == theirs.values[1] && mine.values[3] == theirs.values[3])
            #expect(mine.keys == theirs.keys && mine.line == theirs.line)
        }
    }

    @Test("carried columns gathered for kept rows read back as the full path writes them")
    func carried() throws {
        let table = ChunkCodec.table(Self.records, header: Self.header)
        let decoded = try ChunkCodec.decode(table, leaving: [0, 2])
        let kept = [0, 3, 4, 7, 12, 19]
        let carried = try decoded.undecoded.mapValues { try #require($0.take(kept)) }
        let bytes = ChunkCodec.encode(kept.map { decoded.records[$0] }, header: Self.header, carried: carried)
        let expected = ChunkCodec.encode(kept.map { try! ChunkCodec.decode(table).records[$0] }, header: Self.header)
        #expect(try ChunkCodec.decode(bytes).records == ChunkCodec.decode(expected).records)
    }

    @Test("a ragged chunk is decoded whole")
    func ragged() throws {
        var records = Self.records
        records[3].values.removeLast()
        let decoded = try ChunkCodec.decode(ChunkCodec.table(records, header: Self.header), leaving: [0, 2])
        #expect(decoded.undecoded.isEmpty)
        #expect(decoded.records[5].values[0] == .integer(5))
    }
}
