import Foundation
import Testing
import Formats
import Tabular

@Suite struct TextLinesReaderTests {
    @Test func fixtureWithBOMCRLFTrailingWhitespaceAndBlankLines() throws {
        let bytes = try FormatTestSupport.fixture("items.txt")
        let rows = try FormatTestSupport.read({ TextLinesReader(columnName: "fruit") }, bytes)
        #expect(rows == [
            SourceRow(line: 1, cells: ["fruit"]),
            SourceRow(line: 1, cells: ["apple"]),
            SourceRow(line: 2, cells: ["banana"]),
            SourceRow(line: 4, cells: ["  cherry pie"]),
            SourceRow(line: 6, cells: ["durian"]),
            SourceRow(line: 7, cells: ["élan"]),
        ])
        for size in 1...5 {
            #expect(try FormatTestSupport.read({ TextLinesReader(columnName: "fruit") }, bytes, blockSize: size) == rows)
        }
    }

    @Test func defaultColumnAndEmptyInputs() throws {
        #expect(try TextLinesReader.parse("a\nb\n".bytes).map(\.cells) == [["value"], ["a"], ["b"]])
        #expect(try TextLinesReader.parse([UInt8]()).isEmpty)
        #expect(try TextLinesReader.parse("\u{FEFF}".bytes).isEmpty)
        #expect(try TextLinesReader.parse(" \r\n\t\n\u{00A0}\n".bytes).isEmpty)
    }

    @Test func invalidUTF8NamesTheLine() throws {
        let bytes = "ok\n".bytes + [0x63, 0x61, 0x66, 0xE9] + "\n".bytes
        let error = try #require(FormatTestSupport.failure({ TextLinesReader() }, bytes))
        #expect(error.code == "format.invalid-utf8")
        #expect(error.line == 2)
        // Transcoded first, the same bytes read fine.
        let utf8 = Windows1252Transcoder().transcode(bytes)
        #expect(try TextLinesReader.parse(utf8).last?.cells == ["café"])
    }

    @Test func tenMegabyteLineAndTheLimits() throws {
        let big = String(repeating: "x", count: 10 << 20)
        let bytes = ("short\n" + big + "  \r\nend").bytes
        let rows = try FormatTestSupport.read({ TextLinesReader() }, bytes)
        #expect(rows.count == 4)
        #expect(rows[2].cells[0]?.utf8.count == 10 << 20)
        #expect(rows[3] == SourceRow(line: 3, cells: ["end"]))
        let tight = FormatLimits(maxFieldBytes: 1 << 20)
        let error = try #require(FormatTestSupport.failure({ TextLinesReader(limits: tight) }, bytes))
        #expect(error.code == "format.field-too-long")
        #expect(error.line == 2)
        let tighter = FormatLimits(maxRecordBytes: 1 << 20)
        #expect(FormatTestSupport.failure({ TextLinesReader(limits: tighter) }, bytes)?.code == "format.record-too-long")
    }
}
