import Chunks
import Columnar
import Contracts
import Tabular
import Testing
import Validation
@testable import ValidateService

/// Validate reads ingest's text chunks column by column and carries text columns through;
/// what it writes must be what checking the same rows as records writes.
@Suite("Checked rows")
struct CheckedRowsTests {
    typealias Field = TableSchema.Field
    static let header = ["id", "name", "city", "when", "note"]
    static let schema = TableSchema(fields: [
        Field(name: "id", type: "integer"), Field(name: "name", type: "string"),
        Field(name: "city", type: "string", missingValues: ["", "NA"]), Field(name: "when", type: "date"),
    ])
    static let rows: [[String?]] = [
        ["1", "Ada", "Oslo", "2024-01-02", "x"],
        ["2", nil, "NA", "2024-01-03", nil],       // city read as missing: not as it came
        ["x", "Bob", "Rome", "2024-01-04", "bad id"],  // invalid
        ["4", "Cy", nil, "2024-01-05", "y"],
    ]

    /// Both paths over `rows`: (validated records as written and read back, carried columns).
    static func run(_ rows: [[String?]]) throws -> (texts: [Record], records: [Record], carried: Set<Int>) {
        var builder = TextChunkBuilder(headerWidth: header.count)
        for (offset, cells) in rows.enumerated() { builder.append(line: offset + 2, cells: cells) }
        let table = builder.table(header: ChunkCodec.Header(columns: header))
        let checker = try CompiledSchema(schema: schema).rowChecker(header: header)
        let missing = ChunkValidator.missingTokens(schema, header: header)
        var direct = CheckedRows()
        direct.check(try #require(try TextChunk(table)), with: checker, missing: missing)
        var viaRecords = CheckedRows()
        viaRecords.check(try ChunkCodec.decode(table).records, with: checker, missing: missing)
        let written = ChunkCodec.encode(direct.valid, header: ChunkCodec.Header(columns: header), carried: direct.carried)
        let expected = ChunkCodec.encode(viaRecords.valid, header: ChunkCodec.Header(columns: header))
        #expect(direct.errors == viaRecords.errors && direct.invalid == viaRecords.invalid)
        return (try ChunkCodec.decode(written).records, try ChunkCodec.decode(expected).records, Set(direct.carried.keys))
    }

    @Test("text chunks check as their records do; only text columns that kept every text are carried")
    func carriesTextColumns() throws {
        let (texts, records, carried) = try Self.run(Self.rows)
        #expect(texts == records)
        #expect(texts.count == 3 && texts[1].values[2] == .null)
        #expect(carried == [1, 4])  // name and the unknown note; not city ("NA" became null), nor typed columns
    }

    @Test("ragged rows are checked but nothing is carried")
    func ragged() throws {
        let (texts, records, carried) = try Self.run(Self.rows + [["5", "Dee"], ["6", "Eve", "Oslo", "2024-01-06", "z", "extra"]])
        #expect(texts == records)
        #expect(carried.isEmpty)
    }

    @Test("a chunk of typed cells is not read as texts")
    func typedChunk() throws {
        let table = ChunkCodec.table([Record(line: 2, values: [.integer(1)])], header: ChunkCodec.Header(columns: ["n"]))
        #expect(try TextChunk(table) == nil)
    }
}
