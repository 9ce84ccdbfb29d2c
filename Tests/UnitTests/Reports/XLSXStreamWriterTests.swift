import Foundation
import Reports
import Contracts
import Tabular
import Testing

/// The XLSX writer, read back with openpyxl.
@Suite
struct XLSXStreamWriterTests {
    /// One cell as openpyxl sees it: Python type name, value, and openpyxl's data type
    /// (`n` number, `s` string, `b` boolean, `f` formula).
    struct Cell: Decodable, Equatable {
        var type: String
        var value: JSONValue
        var dataType: String
    }

    /// A JSON scalar from the reader script.
    enum JSONValue: Decodable, Equatable {
        case null, bool(Bool), int(Int64), double(Double), string(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
            else if let number = try? container.decode(Int64.self) { self = .int(number) }
            else if let number = try? container.decode(Double.self) { self = .double(number) }
            else { self = .string(try container.decode(String.self)) }
        }
    }

    /// One sheet: its name, cells row by row, and whether each header cell is bold.
    struct Sheet: Decodable {
        var name: String
        var rows: [[Cell]]
        var headerBold: [Bool]
    }

    static let reader = """
        import sys, json, openpyxl
        book = openpyxl.load_workbook(sys.argv[1])
        out = []
        for sheet in book.worksheets:
            rows = [[{"type": type(c.value).__name__, "value": c.value, "dataType": c.data_type} for c in row]
                    for row in sheet.iter_rows()]
            bold = [bool(c.font and c.font.b) for c in next(sheet.iter_rows(max_row=1), [])]
            out.append({"name": sheet.title, "rows": rows, "headerBold": bold})
        print(json.dumps(out))
        """

    /// Reads an XLSX file back through openpyxl.
    static func read(_ path: String) throws -> [Sheet] {
        let result = try ReportTestSupport.python(reader, [path])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode([Sheet].self, from: Data(result.stdout.utf8))
    }

    @Test func cellsRoundTripWithTypes() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.xlsx").path
        let writer = try XLSXStreamWriter(path: path)
        try writer.startSheet(named: "Data", header: ["name", "grade", "ratio", "passed", "note"])
        try writer.appendRow(["Zoë", 90, 0.5, true, "=1+1"])
        try writer.appendRow(["Émile €", -3, .number(.nan), false, .null])
        try writer.appendRow([.null, .integer(9_007_199_254_740_993), 1e300, .null, "@SUM(A1)"])
        try writer.appendRow(["line\nbreak", .null, .null, .null, "tab\there"])
        var statistics = TableStatistics(columnNames: ["name", "grade"])
        statistics.add(row: ["Zoë", 90])
        statistics.add(row: ["Émile €", -3])
        try writer.addSummarySheet(statistics.summary)
        var validation = ValidationSummary(rowsTotal: 5, rowsValid: 4, rowsInvalid: 1)
        validation.record(ValidationIssue(line: 3, field: "grade", code: "constraint-error",
                                          message: "grade must be ≥ 0", value: "-3"))
        try writer.addValidationSheet(validation)
        try writer.close()
        #expect(writer.sheetNames == ["Data", "Summary", "Validation"])
        #expect(writer.rowsWritten == 4)

        let sheets = try Self.read(path)
        #expect(sheets.map(\.name) == ["Data", "Summary", "Validation"])
        let data = sheets[0]
        #expect(data.headerBold == [true, true, true, true, true])
        #expect(data.rows[0].map(\.value) == ["name", "grade", "ratio", "passed", "note"].map { .string($0) })
        let first = data.rows[1]
        #expect(first[0] == Cell(type: "str", value: .string("Zoë"), dataType: "s"))
        #expect(first[1] == Cell(type: "int", value: .int(90), dataType: "n"))
        #expect(first[2] == Cell(type: "float", value: .double(0.5), dataType: "n"))
        #expect(first[3] == Cell(type: "bool", value: .bool(true), dataType: "b"))
        // Text that looks like a formula stays text.
        #expect(first[4] == Cell(type: "str", value: .string("=1+1"), dataType: "s"))
        let second = data.rows[2]
        #expect(second[0].value == .string("Émile €"))
        #expect(second[1].value == .int(-3))
        #expect(second[2] == Cell(type: "str", value: .string("nan"), dataType: "s"))
        #expect(second[4].value == .null)
        let third = data.rows[3]
        #expect(third[0].value == .null)
        #expect(third[1] == Cell(type: "str", value: .string("9007199254740993"), dataType: "s"))
        #expect(third[2].value == .double(1e300))
        #expect(third[4] == Cell(type: "str", value: .string("@SUM(A1)"), dataType: "s"))
        #expect(data.rows[4][0].value == .string("line\nbreak"))
        #expect(data.rows[4][4].value == .string("tab\there"))

        let summary = sheets[1]
        #expect(summary.rows[0].map(\.value) == TableSummary.csvHeader.map { .string($0) })
        #expect(summary.rows[1][0].value == .string("name"))
        #expect(summary.rows[2][0].value == .string("grade"))
        #expect(summary.rows[2][2].value == .int(2))
        #expect(summary.rows[2][8].value == .double(43.5))

        let validationRows = sheets[2].rows.map { $0.map(\.value) }
        #expect(validationRows[1].prefix(2) == [.string("Rows total"), .int(5)])
        #expect(validationRows[4].prefix(2) == [.string("Success rate"), .double(0.8)])
        #expect(validationRows.contains { $0.prefix(2) == [.string("constraint-error"), .int(1)] })
        #expect(validationRows.last?.prefix(5) == [.int(3), .string("grade"), .string("constraint-error"),
                                                   .string("grade must be ≥ 0"), .string("-3")])
    }

    @Test func continuesOnNewSheetWhenFull() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-split")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("split.xlsx").path
        let options = XLSXWriterOptions(maxRowsPerSheet: 4)
        let writer = try XLSXStreamWriter(path: path, options: options)
        try writer.startSheet(named: "Data", header: ["n"])
        for index in 0..<10 { try writer.appendRow([.integer(Int64(index))]) }
        try writer.addSheet(named: "Data", header: ["x"], rows: [[1]])
        try writer.close()
        #expect(writer.sheetNames == ["Data", "Data (2)", "Data (3)", "Data (4)", "Data (5)"])
        let sheets = try Self.read(path)
        #expect(sheets.map(\.name) == writer.sheetNames)
        let values = sheets.prefix(4).map { $0.rows.map { $0[0].value } }
        #expect(values[0] == [.string("n"), .int(0), .int(1), .int(2)])
        #expect(values[1] == [.string("n"), .int(3), .int(4), .int(5)])
        #expect(values[3] == [.string("n"), .int(9)])
        #expect(XLSXWriterOptions().maxRowsPerSheet == 1_048_576)
    }

    /// Extra sheets can be added between data rows; each sheet keeps its own row cursor.
    @Test func interleavedSheets() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-interleaved")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("interleaved.xlsx").path
        let writer = try XLSXStreamWriter(path: path)
        try writer.startSheet(named: "Data", header: ["n"])
        try writer.appendRow([1])
        try writer.appendRow([2])
        try writer.addSheet(named: "Notes", header: ["note"], rows: [["written mid-stream"]])
        try writer.appendRow([3])
        try writer.close()
        let sheets = try Self.read(path)
        #expect(sheets.map(\.name) == ["Data", "Notes"])
        #expect(sheets[0].rows.map { $0[0].value } == [.string("n"), .int(1), .int(2), .int(3)])
        #expect(sheets[1].rows.map { $0[0].value } == [.string("note"), .string("written mid-stream")])
    }

    /// A writer released without `close()` discards the workbook: no file and no open
    /// descriptor is left (the file is the only thing it holds; there are no spool files).
    @Test func releasingWithoutCloseWritesNothing() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-discard")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("discarded.xlsx").path
        // Open descriptors whose files live in `directory`.
        func descriptors() throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { fd in
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
                return target?.hasPrefix(directory.path) == true
            }.count
        }
        do {
            let writer = try XLSXStreamWriter(path: path)
            try writer.startSheet(named: "Data", header: ["n"])
            for index in 0..<1_000 { try writer.appendRow([.integer(Int64(index))]) }
            try writer.addSheet(named: "Extra", header: ["x"], rows: [[1]])
            #expect(try descriptors() == 1)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        #expect(try descriptors() == 0)
    }

    @Test func sheetNamesAreSanitised() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-names")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("names.xlsx").path
        let writer = try XLSXStreamWriter(path: path)
        try writer.startSheet(named: "by course/term: [all]?", header: ["a"])
        try writer.addSheet(named: "'" + String(repeating: "x", count: 40), header: [], rows: [])
        try writer.addSheet(named: "", header: [], rows: [])
        try writer.close()
        #expect(writer.sheetNames == ["by course_term_ _all__", String(repeating: "x", count: 31), "Sheet"])
        // Excel counts UTF-16 units (an emoji is two); XML cannot carry U+FFFE.
        #expect(XLSXWriterOptions.sanitizedSheetName(String(repeating: "😀", count: 20)) == String(repeating: "😀", count: 15))
        #expect(XLSXWriterOptions.sanitizedSheetName("a\u{FFFE}b") == "a_b")
        #expect(try Self.read(path).map(\.name) == writer.sheetNames)
    }

    @Test func errorsHaveCodes() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-errors")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try XLSXStreamWriter(path: directory.appendingPathComponent("e.xlsx").path)
        #expect(throws: XLSXError.noSheet) { try writer.appendRow([1]) }
        try writer.close()
        #expect(throws: XLSXError.closed) { try writer.close() }
        #expect(throws: XLSXError.closed) { try writer.appendRow([1]) }
        #expect(throws: XLSXError.closed) { try writer.startSheet(named: "Late", header: []) }

        // The file is created up front, so a missing directory is reported at once.
        let missing = directory.appendingPathComponent("no/such/dir/out.xlsx").path
        do {
            _ = try XLSXStreamWriter(path: missing)
            Issue.record("writing into a missing directory should fail")
        } catch {
            #expect(error.code == "xlsx.file-not-created")
            #expect(error.message.contains(missing))
            #expect(error.message.contains("No such file or directory"))
        }
        let wide = try XLSXStreamWriter(path: directory.appendingPathComponent("wide.xlsx").path)
        let tooWide = [String](repeating: "c", count: XLSXWriterOptions.excelMaxColumns + 1)
        #expect(throws: XLSXError.tooManyColumns(count: tooWide.count, limit: XLSXWriterOptions.excelMaxColumns)) {
            try wide.startSheet(named: "Data", header: tooWide)
        }
    }

    /// 50,000 rows stream through without trouble and read back with the right count.
    @Test func manyRows() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-many")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("many.xlsx").path
        let writer = try XLSXStreamWriter(path: path)
        try writer.startSheet(named: "Data", header: ["id", "name", "score", "ok"])
        for index in 0..<50_000 {
            try writer.appendRow([.integer(Int64(index)), .string("name \(index)"), .number(Double(index) / 8), .bool(index % 2 == 0)])
        }
        try writer.close()
        let script = """
            import sys, openpyxl
            book = openpyxl.load_workbook(sys.argv[1], read_only=True)
            rows = list(book["Data"].iter_rows(values_only=True))
            print(len(rows), rows[-1])
            """
        let result = try ReportTestSupport.python(script, [path])
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "50001 (49999, 'name 49999', 6249.875, False)")
        // Nothing but the output was written.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "many.xlsx" }
        #expect(leftovers.isEmpty)
    }

    /// Control characters, CR, NUL, U+FFFF and text that looks like an OOXML `_xHHHH_`
    /// escape come back exactly as Excel reads them. openpyxl returns inline strings
    /// without decoding those escapes, so the script decodes them with openpyxl's own
    /// `unescape` (Excel's rule: `_xHHHH_` left to right).
    @Test func textEscapesRoundTrip() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-escapes")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("escapes.xlsx").path
        let texts = [
            "bell\u{7}tab\tvt\u{B}esc\u{1B}us\u{1F}", "cr\rlf\ncrlf\r\n", "_x0041_", "a_x005F_b", "_x12g4_ _x00e9_",
            "<b>&amp;</b> > <", " leading", "trailing ", "nul\0here", "\u{FFFE}\u{FFFF}\u{FFFD}", "Zoë 🙂 €", "__x0041__",
        ]
        let writer = try XLSXStreamWriter(path: path)
        try writer.startSheet(named: "Data", header: ["text"])
        for text in texts { try writer.appendRow([.string(text)]) }
        try writer.close()
        let script = """
            import sys, json, openpyxl
            from openpyxl.utils.escape import unescape
            sheet = openpyxl.load_workbook(sys.argv[1])["Data"]
            print(json.dumps([unescape(row[0].value) for row in sheet.iter_rows(min_row=2)]))
            """
        let result = try ReportTestSupport.python(script, [path])
        #expect(result.status == 0, "\(result.stderr)")
        let read = try JSONDecoder().decode([String].self, from: Data(result.stdout.utf8))
        #expect(read == texts.map { $0.replacingOccurrences(of: "\0", with: "\u{FFFD}") })

        let xml = try Self.entry(path, "xl/worksheets/sheet1.xml")
        #expect(xml.contains("<t>_x005F_x0041_</t>"))
        #expect(xml.contains("bell_x0007_tab\tvt_x000B_esc_x001B_us_x001F_"))
        #expect(xml.contains("cr&#13;lf\ncrlf&#13;\n"))
        #expect(xml.contains("<t xml:space=\"preserve\"> leading</t>"))
        #expect(xml.contains("&lt;b&gt;&amp;amp;&lt;/b&gt; &gt; &lt;"))
    }

    /// Numbers are written in a form openpyxl (and XML Schema's xsd:double) reads back
    /// exactly, with integers as integers and decimals as decimals; a whole decimal within
    /// ±2⁵³ is written as an integer (`90`, like the other outputs).
    @Test func numbersRoundTrip() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-numbers")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("numbers.xlsx").path
        let doubles: [Double] = [1e300, 0.5, 90.0, -0.0, .leastNonzeroMagnitude, 1e16, 1.7976931348623157e308, 0.1, -123456.789, 1e-7]
        let integers: [Int64] = [0, -1, 1 << 53, -(1 << 53), 1 << 53 + 1, .min, .max]
        let writer = try XLSXStreamWriter(path: path)
        try writer.startSheet(named: "Data", header: ["value"])
        for value in doubles { try writer.appendRow([.number(value)]) }
        for value in integers { try writer.appendRow([.integer(value)]) }
        try writer.appendRow([.number(.infinity)])
        try writer.appendRow([.number(-.infinity)])
        try writer.close()
        let script = """
            import sys, openpyxl
            sheet = openpyxl.load_workbook(sys.argv[1])["Data"]
            for row in sheet.iter_rows(min_row=2):
                print(type(row[0].value).__name__, repr(row[0].value))
            """
        let result = try ReportTestSupport.python(script, [path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let expected = doubles.map { $0 == $0.rounded() && $0.magnitude <= 9_007_199_254_740_992 ? "int \(Int64($0))" : "float \($0)" }
            // (Swift and Python print the others alike)
            + ["int 0", "int -1", "int 9007199254740992", "int -9007199254740992", "str '9007199254740993'",
               "str '-9223372036854775808'", "str '9223372036854775807'", "str 'inf'", "str '-inf'"]
        #expect(lines == expected)
    }

    /// Text over Excel's 32,767 characters is cut (ending in "…") and counted.
    @Test func longTextIsTruncated() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-long")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("long.xlsx").path
        let writer = try XLSXStreamWriter(path: path)
        try writer.startSheet(named: "Data", header: ["text"])
        try writer.appendRow([.string(String(repeating: "é", count: 40_000))])
        try writer.appendRow([.string(String(repeating: "a", count: 32_767))])
        try writer.addSheet(named: "Extra", header: [], rows: [[.string(String(repeating: "b", count: 32_768))]])
        try writer.close()
        #expect(writer.truncatedCells == 2)
        let script = """
            import sys, openpyxl
            book = openpyxl.load_workbook(sys.argv[1])
            cells = [book["Data"]["A2"].value, book["Data"]["A3"].value, book["Extra"]["A1"].value]
            print([(len(c), c[-2:]) for c in cells])
            """
        let result = try ReportTestSupport.python(script, [path])
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            == "[(32767, 'é…'), (32767, 'aa'), (32767, 'b…')]")
    }

    /// At every deflate level the file is a valid ZIP archive (Python's `testzip`, and
    /// `unzip -t` where installed) that openpyxl reads, and the same rows give the same bytes.
    @Test(arguments: [Int32(0), 1, 6, 9])
    func validArchiveAtLevel(_ level: Int32) throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-level")
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            let writer = try XLSXStreamWriter(path: path, options: XLSXWriterOptions(deflateLevel: level))
            try writer.startSheet(named: "Data", header: ["id", "name", "score"])
            for index in 0..<20_000 {
                try writer.appendRow([.integer(Int64(index)), .string("name \(index % 97)"), .number(Double(index) / 3)])
            }
            try writer.addSheet(named: "Notes", header: ["note"], rows: [[.string("level \(level)")]])
            try writer.close()
            return path
        }
        let path = try write("a.xlsx")
        #expect(FileManager.default.contents(atPath: path) == FileManager.default.contents(atPath: try write("b.xlsx")))
        let script = """
            import sys, zipfile, openpyxl
            with zipfile.ZipFile(sys.argv[1]) as archive:
                assert archive.testzip() is None
                names = archive.namelist()
            rows = list(openpyxl.load_workbook(sys.argv[1], read_only=True)["Data"].iter_rows(values_only=True))
            print(len(rows), rows[-1], names)
            """
        let result = try ReportTestSupport.python(script, [path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("20001 (19999, 'name 17', 6666.333333333333) ['xl/worksheets/sheet1.xml', "
            + "'xl/worksheets/sheet2.xml', '[Content_Types].xml'"))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") {
            let unzip = try ReportTestSupport.run("/usr/bin/unzip", ["-t", path])
            #expect(unzip.status == 0, "\(unzip.stdout)")
            #expect(unzip.stdout.contains("No errors detected"))
        }
    }

    /// One entry of a ZIP archive as text, via Python's zipfile.
    static func entry(_ path: String, _ name: String) throws -> String {
        let result = try ReportTestSupport.python(
            "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())", [path, name])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }
}
