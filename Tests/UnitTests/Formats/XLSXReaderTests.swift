import Foundation
import Testing
import Formats
import Tabular

@Suite struct XLSXReaderTests {
    private func readSheet(_ fixture: String, sheet: String? = nil, limits: FormatLimits = .default)
        throws -> [SourceRow] {
        var reader = try XLSXReader(fileAt: FormatTestSupport.fixtureURL(fixture), sheet: sheet, limits: limits)
        return try reader.readAll()
    }

    private func failure(_ fixture: String, sheet: String? = nil, limits: FormatLimits = .default) throws -> FormatError? {
        let url = try FormatTestSupport.fixtureURL(fixture)
        do {
            var reader = try XLSXReader(fileAt: url, sheet: sheet, limits: limits)
            _ = try reader.readAll()
            return nil
        } catch {
            return error
        }
    }

    @Test func openpyxlWorkbookWithDatesBooleansFormulasAndEmptyCells() throws {
        let rows = try readSheet("grades.xlsx")
        #expect(rows == [
            SourceRow(line: 1, cells: ["Student ID", "Name", "Enrolled", "Last Login", "Grade", "Passed", "Bonus", "Total"]),
            SourceRow(line: 2, cells: ["S001", "Zoë", "2024-03-01", "2024-03-01T08:30:00", "91.5", "true", "2", nil]),
            SourceRow(line: 3, cells: ["S002", "Émile", "1999-12-31", "2000-01-01T23:59:59", "70", "false", nil, nil]),
            SourceRow(line: 5, cells: ["S003", "  padded  ", nil, nil, "0.1", nil, "-3", nil]),
            SourceRow(line: 6, cells: ["12345678901234", "big", "1900-01-01T00:00:00", nil, "1e-05", nil, "1e+20", nil]),
        ])
    }

    @Test func sheetsByNameInTabOrder() throws {
        let url = try FormatTestSupport.fixtureURL("grades.xlsx")
        #expect(try XLSXReader.sheetNames(fileAt: url) == ["Grades", "Notes", "Header Only", "Empty"])
        let notes = try readSheet("grades.xlsx", sheet: "Notes")
        #expect(notes.map(\.cells) == [["topic", "text"], ["multi", "line one\nline two"],
                                       ["xml", "a < b & c > d \"q\" 'a'"]])
        #expect(try readSheet("grades.xlsx", sheet: "Header Only") == [SourceRow(line: 1, cells: ["a", "b", "c"])])
        #expect(try readSheet("grades.xlsx", sheet: "Empty").isEmpty)
        #expect(try readSheet("grades.xlsx", sheet: "notes").count == 3)
        var reader = try XLSXReader(fileAt: url.path, sheet: "Header Only")
        #expect(reader.sheetName == "Header Only")
        #expect(reader.sheetNames.count == 4)
        _ = try reader.next()
    }

    @Test func missingSheetNamesTheSheetsThatExist() throws {
        let error = try #require(try failure("grades.xlsx", sheet: "Grade"))
        #expect(error.code == "format.xlsx-sheet-not-found")
        #expect(error.message.contains("\"Grade\""))
        #expect(error.message.contains("\"Grades\", \"Notes\", \"Header Only\", \"Empty\""))
        let chart = try #require(try failure("handmade.xlsx", sheet: "Chart1"))
        #expect(chart.code == "format.xlsx-sheet-not-found")
        #expect(chart.message.contains("chart"))
    }

    @Test func handmadeSheetCoversEveryCellTypeAndLayout() throws {
        let rows = try readSheet("handmade.xlsx")
        #expect(rows.map(\.line) == [1, 2, 3, 5, 6, 7, 9])
        #expect(rows.map(\.cells) == [
            ["Name", "Kind", "Value", "Other"],
            ["  spaced  ", "rich inline", "3", "ab"],
            ["Bold and plain", "true", "false", "#DIV/0!"],
            ["東京", nil, "2024-03-01", nil],
            ["Tom & Jerry <3 é😀", "2024-03-01T08:30:00", "1999-12-31T23:59:59", "1.5"],
            ["no refs", "60", "1900-03-01", "0.25"],
            ["1", "0.0025", "12:00:00", "1900-02-28", nil, "0"],
        ])
    }

    @Test func relationshipTargetsCommentsAndCDATA() throws {
        let rows = try readSheet("handmade.xlsx", sheet: "Second")
        #expect(rows == [
            SourceRow(line: 3, cells: [nil, "<cdata> & text"]),
            SourceRow(line: 4, cells: [nil, "x", nil, "4"]),
        ])
    }

    @Test func the1904DateSystem() throws {
        let rows = try readSheet("date1904.xlsx")
        #expect(rows.map(\.cells) == [["when"], ["1904-01-01"], ["2024-02-29"]])
    }

    @Test func zipBombsAreRefused() throws {
        let declared = try #require(try failure("bomb.xlsx"))
        #expect(declared.code == "format.xlsx-compression-ratio")
        // The directory claims 1000 bytes; counting the inflated bytes catches it.
        let lying = try #require(try failure("bomb-lying.xlsx"))
        #expect(lying.code == "format.xlsx-compression-ratio")
        let generous = FormatLimits(maxUncompressedBytes: 5 << 20, maxCompressionRatio: 100_000)
        #expect(try failure("bomb.xlsx", limits: generous)?.code == "format.xlsx-too-large")
        #expect(try failure("bomb-lying.xlsx", limits: generous)?.code == "format.xlsx-too-large")
    }

    @Test func tooManyEntriesAndNonZipFiles() throws {
        let directory = try FormatTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("entries.xlsx")
        try WorkbookBuilder.write(to: url, extraEntries: 10_000) { write in
            write(Data(#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>"#.utf8))
        }
        do {
            _ = try XLSXReader(fileAt: url)
            Issue.record("expected too many entries")
        } catch {
            #expect(error.code == "format.xlsx-too-many-entries")
        }
        var reader = try XLSXReader(fileAt: url, limits: FormatLimits(maxArchiveEntries: 20_000))
        #expect(try reader.readAll() == [SourceRow(line: 1, cells: ["a"])])
        #expect(try failure("not-a-zip.xlsx")?.code == "format.xlsx-invalid")
        #expect(try failure("students.jsonl")?.code == "format.xlsx-invalid")
        let xls = directory.appendingPathComponent("old.xls")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)).write(to: xls)
        do {
            _ = try XLSXReader(fileAt: xls)
            Issue.record("expected an error for an .xls file")
        } catch {
            #expect(error.code == "format.xlsx-invalid")
            #expect(error.message.contains("97-2003"))
        }
    }

    @Test func cellLimits() throws {
        let directory = try FormatTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("wide.xlsx")
        try WorkbookBuilder.write(to: url) { write in
            write(Data(#"<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>"#.utf8))
            write(Data(#"<row r="2"><c r="A2" t="inlineStr"><is><t>"#.utf8))
            write(Data(String(repeating: "x", count: 3000).utf8))
            write(Data("</t></is></c></row>".utf8))
        }
        var reader = try XLSXReader(fileAt: url)
        let rows = try reader.readAll()
        #expect(rows[0].cells.count == 16_384)
        #expect(rows[0].cells.last == "2")
        let narrow = FormatLimits(maxFieldBytes: 1000, maxColumns: 100)
        var limited = try XLSXReader(fileAt: url, limits: narrow)
        for _ in 0..<2 { // the failure is sticky
            do {
                _ = try limited.next()
                Issue.record("expected a too-many-columns error")
            } catch {
                #expect(error.code == "format.too-many-columns")
                #expect(error.line == 1)
            }
        }
        var short = try XLSXReader(fileAt: url, limits: FormatLimits(maxFieldBytes: 1000))
        do {
            _ = try short.readAll()
            Issue.record("expected a field-too-long error")
        } catch {
            #expect(error.code == "format.field-too-long")
            #expect(error.line == 2)
        }
    }

    @Test func bigSheetStreamsInBatchesAndCanBeAbandoned() throws {
        let directory = try FormatTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("big.xlsx")
        let count = 100_000
        try WorkbookBuilder.write(to: url) { write in
            write(Data(#"<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c><c r="C1" t="inlineStr"><is><t>grade</t></is></c><c r="D1" t="inlineStr"><is><t>ok</t></is></c></row>"#.utf8))
            var block = ""
            for row in 2...(count + 1) {
                block += #"<row r="\#(row)"><c r="A\#(row)"><v>\#(row)</v></c><c r="B\#(row)" t="inlineStr"><is><t>name \#(row)</t></is></c><c r="C\#(row)"><v>\#(Double(row) / 4)</v></c><c r="D\#(row)" t="b"><v>1</v></c></row>"#
                if block.utf8.count > 60_000 {
                    write(Data(block.utf8))
                    block = ""
                }
            }
            write(Data(block.utf8))
        }
        let start = Date()
        var reader = try XLSXReader(fileAt: url)
        var total = 0
        var last: SourceRow?
        while case let batch = try reader.next(max: 1000), !batch.isEmpty {
            #expect(batch.count <= 1000)
            total += batch.count
            last = batch.last
        }
        let seconds = Date().timeIntervalSince(start)
        print("XLSX: \(count) rows in \(seconds) s")
        #expect(total == count + 1)
        #expect(last == SourceRow(line: count + 1, cells: ["\(count + 1)", "name \(count + 1)", "\(Double(count + 1) / 4)", "true"]))

        // Abandoning a reader mid-sheet stops its background extraction.
        for _ in 0..<20 {
            var partial = try XLSXReader(fileAt: url)
            #expect(try partial.next(max: 10).count == 10)
        }
    }
}
