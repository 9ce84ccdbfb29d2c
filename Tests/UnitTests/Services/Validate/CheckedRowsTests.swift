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
    static func run(_ rows: [[String?]], schema: TableSchema = schema) async throws -> (texts: [Record], records: [Record], carried: Set<Int>) {
        let (texts, records, carried, _) = try await written(rows, schema: schema)
        return (texts, records, carried)
    }

    /// `run`, and the validated chunk as written.
    static func written(_ rows: [[String?]], schema: TableSchema = schema) async throws
        -> (texts: [Record], records: [Record], carried: Set<Int>, table: ArrowTable) {
        var builder = TextChunkBuilder(headerWidth: header.count)
        for (offset, cells) in rows.enumerated() { builder.append(line: offset + 2, cells: cells) }
        let table = builder.table(header: ChunkCodec.Header(columns: header))
        let checker = try CompiledSchema(schema: schema).rowChecker(header: header)
        let missing = ChunkValidator.missingTokens(schema, header: header)
        var direct = CheckedRows()
        await direct.check(try #require(try TextChunk(table)), with: checker, missing: missing)
        var viaRecords = CheckedRows()
        await viaRecords.check(try ChunkCodec.decode(table).records, with: checker, missing: missing)
        let written = ChunkCodec.encode(direct.valid, header: ChunkCodec.Header(columns: header), carried: direct.carried)
        let expected = ChunkCodec.encode(viaRecords.valid, header: ChunkCodec.Header(columns: header))
        #expect(direct.errors == viaRecords.errors && direct.invalid == viaRecords.invalid)
        return (try ChunkCodec.decode(written).records, try ChunkCodec.decode(expected).records, Set(direct.carried.keys),
                try ArrowStream.decodeTable(written))
    }

    @Test("text chunks check as their records do; only text columns that kept every text are carried; dates are typed")
    func carriesTextColumns() async throws {
        let (texts, records, carried, table) = try await Self.written(Self.rows)
        #expect(texts == records)
        #expect(texts.count == 3 && texts[1].values[2] == .null)
        // name and the unknown note; not city ("NA" became null), nor the integer id; the date column made as date32
        #expect(carried == [1, 3, 4])
        #expect(table.fields.first { $0.name == "when" }?.type == .date32)
        #expect(texts.map { $0.values[3] } == [.string("2024-01-02"), .string("2024-01-03"), .string("2024-01-05")])
    }

    @Test("a date column takes ISO dates and nulls, and gives up on anything else")
    func dateColumn() throws {
        var column = DateColumnBuilder()
        #expect(column.append(.string("1969-12-31")) && column.append(.null) && column.append(.string("9999-12-31")))
        let array = column.finish()
        #expect(array.type == .date32 && array.length == 3 && array.nullCount == 1 && array.date32(0) == -1)
        var other = DateColumnBuilder()
        #expect(!other.append(.string("2024-01-02T10:00:00")) && !other.append(.string("2024-13-01"))
                && !other.append(.integer(3)))
    }

    @Test("ragged rows are checked but no text column is carried (the date column is still typed)")
    func ragged() async throws {
        let (texts, records, carried) = try await Self.run(Self.rows + [["5", "Dee"], ["6", "Eve", "Oslo", "2024-01-06", "z", "extra"]])
        #expect(texts == records)
        #expect(carried == [3])
    }

    @Test("with no missing values an empty cell is the text \"\": a column holding one is not carried as null")
    func noMissingValues() async throws {
        let schema = TableSchema(fields: [Field(name: "id", type: "integer"), Field(name: "name", type: "string")],
                                 missingValues: [])
        let rows: [[String?]] = [["1", "Ada"], ["2", nil]]
        let header = ["id", "name"]
        var builder = TextChunkBuilder(headerWidth: 2)
        for (offset, cells) in rows.enumerated() { builder.append(line: offset + 2, cells: cells) }
        let table = builder.table(header: ChunkCodec.Header(columns: header))
        let checker = try CompiledSchema(schema: schema).rowChecker(header: header)
        var checked = CheckedRows()
        await checked.check(try #require(try TextChunk(table)), with: checker, missing: ChunkValidator.missingTokens(schema, header: header))
        #expect(checked.carried[1] == nil)
        let written = ChunkCodec.encode(checked.valid, header: ChunkCodec.Header(columns: header), carried: checked.carried)
        #expect(try ChunkCodec.decode(written).records.map { $0.values[1] } == [.string("Ada"), .string("")])
    }

    @Test("a chunk of typed cells is not read as texts")
    func typedChunk() throws {
        let table = ChunkCodec.table([Record(line: 2, values: [.integer(1)])], header: ChunkCodec.Header(columns: ["n"]))
        #expect(try TextChunk(table) == nil)
    }
}
