import Testing
@testable import Tabular

/// Parses a whole string and returns records as (line, fields) pairs for compact asserts.
private func parse(_ text: String, _ dialect: CSVDialect = .comma) throws -> [CSVRecord] {
    try CSVReader.parse(Array(text.utf8), dialect: dialect)
}

/// Parses by feeding blocks of `size` bytes, to exercise every split position.
private func parseInBlocks(_ bytes: [UInt8], size: Int) throws -> [CSVRecord] {
    var reader = CSVReader()
    var records: [CSVRecord] = []
    var offset = 0
    while offset < bytes.count {
        let upper = min(offset + size, bytes.count)
        records += reader.feed(bytes[offset..<upper])
        offset = upper
    }
    return records + (try reader.finish())
}

@Suite("CSVReader")
struct CSVReaderTests {
    @Test func simpleRowsWithLineNumbers() throws {
        let records = try parse("a,b,c\n1,2,3\n")
        #expect(records == [
            CSVRecord(line: 1, fields: ["a", "b", "c"]),
            CSVRecord(line: 2, fields: ["1", "2", "3"]),
        ])
    }

    @Test func quotedFieldsWithEmbeddedNewlinesKeepTheirBytes() throws {
        let records = try parse("id,note\n1,\"line one\nline two\"\n2,\"cr\rcrlf\r\nend\"\n")
        #expect(records.map(\.fields) == [
            ["id", "note"], ["1", "line one\nline two"], ["2", "cr\rcrlf\r\nend"],
        ])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func recordSpanningLinesTwoAndThreeIsFollowedByLineFour() throws {
        let records = try parse("h1,h2\nx,\"spans\nlines\"\ny,z\n")
        #expect(records.map(\.line) == [1, 2, 4])
        #expect(records[1].fields == ["x", "spans\nlines"])
    }

    @Test func doubledQuotesBecomeOneQuote() throws {
        let records = try parse("\"she said \"\"hi\"\"\",\"\"\"\",\"\"\n")
        #expect(records.map(\.fields) == [["she said \"hi\"", "\"", ""]])
    }

    @Test func crlfLoneCRAndLFLineEndsAllWork() throws {
        let records = try parse("a,b\r\nc,d\re,f\ng,h")
        #expect(records.map(\.fields) == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
        #expect(records.map(\.line) == [1, 2, 3, 4])
    }

    @Test func byteOrderMarkIsStripped() throws {
        let records = try CSVReader.parse([0xEF, 0xBB, 0xBF] + Array("name,age\nAda,36\n".utf8))
        #expect(records.first?.fields == ["name", "age"])
        #expect(records.count == 2)
    }

    @Test func byteOrderMarkOnlyCountsAtTheStart() throws {
        let bom = String(decoding: [0xEF, 0xBB, 0xBF], as: UTF8.self)
        let records = try parse("a\n\(bom)b\n")
        #expect(records.map(\.fields) == [["a"], ["\u{FEFF}b"]])
    }

    @Test func emptyFileHasNoRecords() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("\n\r\n").isEmpty)
    }

    @Test func headerOnlyFileHasOneRecord() throws {
        #expect(try parse("id,name,email\n") == [CSVRecord(line: 1, fields: ["id", "name", "email"])])
        #expect(try parse("id,name,email") == [CSVRecord(line: 1, fields: ["id", "name", "email"])])
    }

    @Test func finalLineWithoutNewlineIsKept() throws {
        let records = try parse("a,b\n1,\"two\"")
        #expect(records.last == CSVRecord(line: 2, fields: ["1", "two"]))
    }

    @Test func emptyLinesAreSkippedButCounted() throws {
        let records = try parse("a\n\n\r\nb\n\nc")
        #expect(records == [
            CSVRecord(line: 1, fields: ["a"]), CSVRecord(line: 4, fields: ["b"]),
            CSVRecord(line: 6, fields: ["c"]),
        ])
    }

    @Test func raggedRowsAreKeptAsIs() throws {
        let records = try parse("a,b,c\n1\n1,2,3,4\n,\n")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1"], ["1", "2", "3", "4"], ["", ""]])
        #expect(records[1].field(at: 2) == nil)
    }

    @Test func trailingDelimiterMakesAnEmptyLastField() throws {
        #expect(try parse("a,b,\nc,d,").map(\.fields) == [["a", "b", ""], ["c", "d", ""]])
    }

    @Test func strayQuoteInUnquotedFieldIsLiteral() throws {
        #expect(try parse("5\" pipe,ok\n").map(\.fields) == [["5\" pipe", "ok"]])
    }

    @Test func textAfterClosingQuoteContinuesTheField() throws {
        #expect(try parse("\"ab\"cd,e\n").map(\.fields) == [["abcd", "e"]])
    }

    @Test func otherDialectsSplitOnTheirDelimiter() throws {
        #expect(try parse("a;\"b;c\";d\n", .semicolon).map(\.fields) == [["a", "b;c", "d"]])
        #expect(try parse("a\tb,c\n", .tab).map(\.fields) == [["a", "b,c"]])
        #expect(try parse("a|b|\"c|d\"\n", .pipe).map(\.fields) == [["a", "b", "c|d"]])
    }

    @Test func multiByteCharactersSurviveAnySplit() throws {
        let bytes = Array("city,name\nZürich,\"Đặng, Thị\"\n東京,😀\n".utf8)
        let whole = try CSVReader.parse(bytes)
        #expect(whole.map(\.fields) == [["city", "name"], ["Zürich", "Đặng, Thị"], ["東京", "😀"]])
        for size in 1...7 {
            #expect(try parseInBlocks(bytes, size: size) == whole)
        }
    }

    @Test func feedingByteByByteEqualsFeedingWhole() throws {
        let text = "\u{FEFF}h1,h2,h3\r\n\"a\"\"b\",\"multi\r\nline\",plain\r\n\r\n"
            + "x,\"y\rz\",\"\"\n\"q\"tail,5\" x,\nlast,\"row\""
        let bytes = Array(text.utf8)
        let whole = try CSVReader.parse(bytes)
        #expect(whole.map(\.line) == [1, 2, 5, 7, 8])
        #expect(whole[3].fields == ["qtail", "5\" x", ""])
        #expect(try parseInBlocks(bytes, size: 1) == whole)
        #expect(try parseInBlocks(bytes, size: 2) == whole)
        #expect(try parseInBlocks(bytes, size: 5) == whole)
    }

    @Test func unterminatedQuoteReportsTheLineWhereItOpened() throws {
        let error = #expect(throws: CSVError.self) {
            try parse("a,b\nc,d\ne,\"never closed\nmore\nlines\n")
        }
        #expect(error == .unterminatedQuote(line: 3))
        #expect(error?.code == "csv.unterminated-quote")
        #expect(error?.message.contains("line 3") == true)
    }

    @Test func invalidUTF8ReportsLineAndField() throws {
        let bytes = Array("a,b\nok,fine\n".utf8) + [0x78, 0x2C, 0xE9, 0x74, 0xE9, 0x0A]
        let error = #expect(throws: CSVError.self) { try CSVReader.parse(bytes) }
        #expect(error == .invalidUTF8(line: 3, field: 2))
        #expect(error?.code == "csv.invalid-utf8")
    }

    @Test func failureIsStickyAndStopsEmittingRecords() throws {
        var reader = CSVReader()
        let first = reader.feed(Array("good\n".utf8) + [0xFF, 0x0A])
        #expect(first == [CSVRecord(line: 1, fields: ["good"])])
        #expect(reader.failure == .invalidUTF8(line: 2, field: 1))
        #expect(reader.feed(Array("more,rows\n".utf8)).isEmpty)
        #expect(throws: CSVError.invalidUTF8(line: 2, field: 1)) { try reader.finish() }
    }

    @Test func readerIsReusableAfterFinish() throws {
        var reader = CSVReader()
        _ = reader.feed(Array("a\nb".utf8))
        #expect(try reader.finish() == [CSVRecord(line: 2, fields: ["b"])])
        #expect(reader.feed(Array("c\n".utf8)) == [CSVRecord(line: 1, fields: ["c"])])
    }
}
