import Chunks
import Columnar
import Contracts
import Tabular
import Testing

/// Ingest's direct path must make the very chunk the record codec makes of the same rows:
/// downstream stages, the contract and a redelivery's identical bytes all rest on one format.
@Suite("Text chunk builder")
struct TextChunkBuilderTests {
    static let header = ChunkCodec.Header(columns: ["a", "b", "c"], metadata: [("sluice.job", "j1"), ("sluice.stage", "ingested")])

    /// Both encodings of `rows` (cells per row, `nil` a null).
    static func both(_ rows: [[String?]], header: ChunkCodec.Header = header) -> (direct: [UInt8], records: [UInt8]) {
        var builder = TextChunkBuilder(headerWidth: header.columns.count, capacity: rows.count)
        var records: [Record] = []
        for (offset, cells) in rows.enumerated() {
            builder.append(line: offset + 2, cells: cells)
            records.append(Record(line: offset + 2, values: cells.map { $0.map(CellValue.string) ?? .null }))
        }
        #expect(builder.count == rows.count)
        return (builder.encode(header: header), ChunkCodec.encode(records, header: header))
    }

    @Test("rectangular rows of texts and nulls")
    func rectangular() {
        let (direct, records) = Self.both([["1", "x", nil], ["2", "", "Zürich 🎉"], ["3", "y", "z"]])
        #expect(direct == records)
    }

    @Test("a column null in every row is a null column")
    func allNullColumn() throws {
        let (direct, records) = Self.both([["1", nil, "a"], ["2", nil, "b"]])
        #expect(direct == records)
        let table = try ArrowStream.decodeTable(direct)
        #expect(table.fields[2].type == .null)
    }

    @Test("ragged rows add extra columns and a width column")
    func ragged() throws {
        let rows: [[String?]] = [["1", "x"], ["2", "y", "z", "extra"], [], ["4", nil, "w", nil, "more"]]
        let (direct, records) = Self.both(rows)
        #expect(direct == records)
        let table = try ArrowStream.decodeTable(direct)
        #expect(table.fields.map(\.name) == ["_line", "a", "b", "c", "_extra.1", "_extra.2", "_width"])
    }

    @Test("no rows: one null column per header column")
    func empty() {
        let (direct, records) = Self.both([])
        #expect(direct == records)
    }

    @Test("random rows agree with the record codec")
    func random() {
        var random = SplitMix64(seed: 77)
        let texts: [String?] = [nil, "", "plain", "with, comma", "tab\tnew\nline", "Zürich 🎉", "  padded  ", "a longer text than fifteen bytes"]
        for _ in 0..<200 {
            let rows = (0..<Int(random.next() % 40)).map { _ in
                (0..<Int(random.next() % 6)).map { _ in texts[Int(random.next() % UInt64(texts.count))] }
            }
            let (direct, records) = Self.both(rows)
            #expect(direct == records)
        }
    }
}
