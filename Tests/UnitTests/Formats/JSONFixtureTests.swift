import Foundation
import Testing
import Formats
import Tabular

/// The JSON readers on committed files and on large files generated at test time.
@Suite struct JSONFixtureTests {
    @Test func studentsJSONLines() throws {
        let bytes = try FormatTestSupport.fixture("students.jsonl")
        let rows = try FormatTestSupport.read({ JSONLinesReader() }, bytes)
        #expect(rows == [
            SourceRow(line: 1, cells: ["student_id", "name", "grade", "passed", "tags"]),
            SourceRow(line: 1, cells: ["S001", "Zoë Ålund", "91.50", "true", #"["a","b"]"#]),
            SourceRow(line: 3, cells: ["S002", "Jean-Luc Émile", "7.5e1", "false", nil]),
            SourceRow(line: 5, cells: ["S003", "😀 Smiley", nil, "true", "[]", "late"], extraKeys: ["note"]),
        ])
        for size in [1, 2, 3, 5, 8, 13] {
            #expect(try FormatTestSupport.read({ JSONLinesReader() }, bytes, blockSize: size) == rows)
        }
    }

    @Test func recordsArrayByteByByte() throws {
        let bytes = try FormatTestSupport.fixture("records.json")
        let whole = try JSONArrayReader.parse(bytes)
        #expect(whole == [
            SourceRow(line: 1, cells: ["id", "title", "price", "meta", "when"]),
            SourceRow(line: 1, cells: ["1", "Café \"quoted\" \\ slash/", "1.50", #"{"k":[1,2.0,{"deep":null}]}"#, "2024-03-01"]),
            SourceRow(line: 2, cells: ["2", "Tab\there", "-0", "{}", nil]),
            SourceRow(line: 3, cells: ["3e2", "third", nil, nil, nil, "x"], extraKeys: ["extra"]),
        ])
        var reader = JSONArrayReader()
        var rows: [SourceRow] = []
        for byte in bytes { rows += try reader.feed([byte]) }
        rows += try reader.finish()
        #expect(rows == whole)
    }

    @Test func truncatedFixtureFailsAtEveryCut() throws {
        let bytes = try FormatTestSupport.fixture("records.json")
        let end = bytes.lastIndex(of: UInt8(ascii: "]"))!
        for cut in stride(from: 1, through: end, by: 3) {
            let error = FormatTestSupport.failure({ JSONArrayReader() }, Array(bytes[..<cut]))
            #expect(error?.code == "format.json-truncated", "cut at \(cut)")
        }
    }

    @Test func tenMegabyteStringField() throws {
        // Escapes and a surrogate pair every few kilobytes, so block edges land inside them.
        var piece = String(repeating: "abcdefgh", count: 512) + #"\"\\\u00e9\ud83d\ude00"#
        piece += "é"
        let repeats = (10 << 20) / piece.utf8.count + 1
        let field = String(repeating: piece, count: repeats)
        let expected = String(repeating: String(repeating: "abcdefgh", count: 512) + "\"\\é😀é", count: repeats)
        let jsonl = ("{\"id\":1,\"text\":\"" + field + "\"}\n{\"id\":2,\"text\":\"short\"}\n").bytes
        for size in [4093, 65536] {
            let rows = try FormatTestSupport.read({ JSONLinesReader() }, jsonl, blockSize: size)
            #expect(rows.count == 3)
            #expect(rows[1].cells[1] == expected)
            #expect(rows[2].cells == ["2", "short"])
        }
        let array = ("[{\"id\":1,\"text\":\"" + field + "\"},\n{\"id\":2,\"text\":\"short\"}]").bytes
        let rows = try FormatTestSupport.read({ JSONArrayReader() }, array, blockSize: 4093)
        #expect(rows[1].cells[1] == expected)
        #expect(rows[2].line == 2)
        let limits = FormatLimits(maxFieldBytes: 1 << 20)
        let error = try #require(FormatTestSupport.failure({ JSONArrayReader(limits: limits) }, array))
        #expect(error.code == "format.field-too-long")
        #expect(error.message.contains("\"text\""))
        #expect(error.line == 1)
    }

    @Test func manyRowsStayFast() throws {
        let count = 100_000
        var text = ""
        text.reserveCapacity(count * 90)
        for index in 0..<count {
            text += #"{"id":\#(index),"name":"student \#(index)","grade":\#(Double(index % 100) + 0.5),"ok":true,"note":null}"#
            text += "\n"
        }
        let jsonl = text.bytes
        var start = Date()
        var reader = JSONLinesReader()
        var rows = 0
        var buffer: [SourceRow] = []
        for offset in stride(from: 0, to: jsonl.count, by: 65_536) {
            try reader.feed(jsonl[offset..<min(offset + 65_536, jsonl.count)], into: &buffer)
            rows += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        rows += try reader.finish().count
        print("JSONL: \(count) rows in \(Date().timeIntervalSince(start)) s")
        #expect(rows == count + 1)

        let array = ("[" + text.split(separator: "\n").joined(separator: ",\n") + "]").bytes
        start = Date()
        var arrayReader = JSONArrayReader()
        rows = 0
        for offset in stride(from: 0, to: array.count, by: 65_536) {
            try arrayReader.feed(array[offset..<min(offset + 65_536, array.count)], into: &buffer)
            rows += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        rows += try arrayReader.finish().count
        print("JSON array: \(count) rows in \(Date().timeIntervalSince(start)) s")
        #expect(rows == count + 1)
    }
}
