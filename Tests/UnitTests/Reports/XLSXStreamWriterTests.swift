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
        let writer = try XLSXStreamWriter(path: path, options: XLSXWriterOptions(temporaryDirectory: directory.path))
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
        let options = XLSXWriterOptions(temporaryDirectory: directory.path, maxRowsPerSheet: 4)
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
        let writer = try XLSXStreamWriter(path: path, options: XLSXWriterOptions(temporaryDirectory: directory.path))
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

    /// A writer released without `close()` discards the workbook: no file, no temporary
    /// files, no open descriptors.
    @Test func releasingWithoutCloseWritesNothing() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-discard")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("discarded.xlsx").path
        // Open descriptors whose (unlinked) files live in `directory`: the sheets' spools.
        func spools() throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { fd in
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
                return target?.hasPrefix(directory.path) == true
            }.count
        }
        do {
            let writer = try XLSXStreamWriter(path: path, options: XLSXWriterOptions(temporaryDirectory: directory.path))
            try writer.startSheet(named: "Data", header: ["n"])
            for index in 0..<1_000 { try writer.appendRow([.integer(Int64(index))]) }
            try writer.addSheet(named: "Extra", header: ["x"], rows: [[1]])
            #expect(try spools() == 2)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        #expect(try spools() == 0)
    }

    @Test func sheetNamesAreSanitised() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-names")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("names.xlsx").path
        let writer = try XLSXStreamWriter(path: path, options: XLSXWriterOptions(temporaryDirectory: directory.path))
        try writer.startSheet(named: "by course/term: [all]?", header: ["a"])
        try writer.addSheet(named: "'" + String(repeating: "x", count: 40), header: [], rows: [])
        try writer.addSheet(named: "", header: [], rows: [])
        try writer.close()
        #expect(writer.sheetNames == ["by course_term_ _all__", String(repeating: "x", count: 31), "Sheet"])
        #expect(try Self.read(path).map(\.name) == writer.sheetNames)
    }

    @Test func errorsHaveCodes() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-errors")
        defer { try? FileManager.default.removeItem(at: directory) }
        let options = XLSXWriterOptions(temporaryDirectory: directory.path)
        let writer = try XLSXStreamWriter(path: directory.appendingPathComponent("e.xlsx").path, options: options)
        #expect(throws: XLSXError.noSheet) { try writer.appendRow([1]) }
        try writer.close()
        #expect(throws: XLSXError.closed) { try writer.close() }
        #expect(throws: XLSXError.closed) { try writer.appendRow([1]) }

        let missing = directory.appendingPathComponent("no/such/dir/out.xlsx").path
        let orphan = try XLSXStreamWriter(path: missing, options: options)
        try orphan.startSheet(named: "Data", header: ["a"])
        do {
            try orphan.close()
            Issue.record("closing into a missing directory should fail")
        } catch {
            #expect(error.code == "xlsx.file-not-created")
            #expect(error.message.contains(missing))
        }
    }

    /// 50,000 rows stream through without trouble and read back with the right count.
    @Test func manyRows() throws {
        let directory = try ReportTestSupport.scratchDirectory("xlsx-many")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("many.xlsx").path
        let writer = try XLSXStreamWriter(path: path, options: XLSXWriterOptions(temporaryDirectory: directory.path))
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
        // libxlsxwriter removed its temporary files.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "many.xlsx" }
        #expect(leftovers.isEmpty)
    }
}
