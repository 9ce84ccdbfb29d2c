import Testing
@testable import Tabular

@Suite("CSVWriter")
struct CSVWriterTests {
    let writer = CSVWriter()

    /// The typed fast path writes exactly what writing each cell's text would.
    @Test(arguments: CSVDialect.all)
    func typedCellsWriteTheirText(dialect: CSVDialect) {
        let writer = CSVWriter(dialect: dialect)
        let cells: [CellValue] = [.null, .integer(0), .integer(-42), .integer(.min), .integer(.max), .number(3.5),
                                  .number(-0.25), .number(90), .number(.infinity), .number(-.infinity), .number(.nan),
                                  .bool(true), .bool(false), .string(""), .string("plain"), .string("a,b;c|d\te"),
                                  .string("say \"hi\""), .string("line\nbreak"), .string("=SUM(A1)"), .string("-3.5"),
                                  .string("+cmd"), .string("@x"), .string("\tlead"), .string("Zürich 🎉")]
        var fast: [UInt8] = []
        writer.append(cells, to: &fast)
        var slow: [UInt8] = []
        writer.append(cells.map(\.csvText), to: &slow)
        #expect(fast == slow)
    }

    @Test func plainFieldsAreWrittenBare() {
        #expect(writer.row(["a", "b c", ""]) == "a,b c,\n")
    }

    @Test func fieldsWithSpecialCharactersAreQuoted() {
        #expect(writer.row(["a,b", "say \"hi\"", "two\nlines", "cr\rhere"])
            == "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"\n")
    }

    @Test func quotingFollowsTheDialectDelimiter() {
        let semicolon = CSVWriter(dialect: .semicolon)
        #expect(semicolon.row(["a,b", "c;d"]) == "a,b;\"c;d\"\n")
        let tab = CSVWriter(dialect: .tab, lineEnding: "\r\n")
        #expect(tab.row(["x\ty", "z"]) == "\"x\ty\"\tz\r\n")
    }

    @Test func formulaGuardPrefixesDangerousText() {
        #expect(writer.field("=SUM(A1)") == "'=SUM(A1)")
        #expect(writer.field("-foo") == "'-foo")
        #expect(writer.field("@x") == "'@x")
        #expect(writer.field("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0")
        #expect(writer.field("\tlookup") == "'\tlookup")
        #expect(writer.field("-") == "'-")
    }

    @Test func formulaGuardLeavesNumbersAndOrdinaryText() {
        for number in ["-3.5", "+1", "-0", "-.5", "-1e5", "+2.5E-3", "42"] {
            #expect(writer.field(number) == number)
        }
        #expect(writer.field("a=b") == "a=b")
        #expect(writer.field(" =x") == " =x")
    }

    @Test func guardGoesInsideTheQuotes() {
        #expect(writer.row(["=HYPERLINK(\"http://x\",\"y\")"])
            == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n")
        #expect(writer.field("\rfoo") == "\"'\rfoo\"")
    }

    @Test func guardCanBeTurnedOff() {
        let raw = CSVWriter(guardsFormulas: false)
        #expect(raw.row(["=1+1", "-foo"]) == "=1+1,-foo\n")
    }

    @Test func appendingToBuffersMatchesRow() {
        var bytes: [UInt8] = []
        var text = ""
        for fields in [["a", "b,c"], ["=x", "-2"]] {
            writer.append(fields, to: &bytes)
            writer.append(fields, to: &text)
        }
        #expect(String(decoding: bytes, as: UTF8.self) == "a,\"b,c\"\n'=x,-2\n")
        #expect(text == "a,\"b,c\"\n'=x,-2\n")
    }

    @Test func typedCellsUseTheirCSVText() {
        #expect(writer.row([CellValue.integer(-3), .number(-2.5), .null, .string("=x"), .bool(true)])
            == "-3,-2.5,,'=x,true\n")
    }

    @Test func writtenRowsParseBackUnchanged() throws {
        let rows = [
            ["id", "note", "empty"], ["1", "comma, inside", ""], ["2", "quote \" in", "\"\""],
            ["3", "multi\r\nline\nand\rcr", "ünïcödé"], ["", "", ""],
        ]
        let raw = CSVWriter(lineEnding: "\r\n", guardsFormulas: false)
        var bytes: [UInt8] = []
        for row in rows { raw.append(row, to: &bytes) }
        #expect(try CSVReader.parse(bytes).map(\.fields) == rows)
    }
}
