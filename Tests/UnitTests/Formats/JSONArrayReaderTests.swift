import Foundation
import Testing
import Formats
import Tabular

@Suite struct JSONArrayReaderTests {
    private func read(_ text: String, limits: FormatLimits = .default, blockSize: Int = 64 << 10)
        throws(FormatError) -> [SourceRow] {
        try FormatTestSupport.read({ JSONArrayReader(limits: limits) }, text.bytes, blockSize: blockSize)
    }

    private func failure(_ text: String, limits: FormatLimits = .default) -> FormatError? {
        FormatTestSupport.failure({ JSONArrayReader(limits: limits) }, text.bytes)
    }

    @Test func recordsAreNumberedByIndexAndShapedByTheFirstObject() throws {
        let rows = try read("""
            [
              {"id": 1, "name": "Ada", "tags": ["a", "b"]},
              {"name": "Bob", "id": 2.50, "new": "x", "other": {"k": null}},
              {"id": 3}
            ]
            """)
        #expect(rows == [
            SourceRow(line: 1, cells: ["id", "name", "tags"]),
            SourceRow(line: 1, cells: ["1", "Ada", #"["a","b"]"#]),
            SourceRow(line: 2, cells: ["2.50", "Bob", nil, "x", #"{"k":null}"#], extraKeys: ["new", "other"]),
            SourceRow(line: 3, cells: ["3", nil, nil]),
        ])
    }

    @Test func emptyInputsYieldNoRows() throws {
        #expect(try read("").isEmpty)
        #expect(try read(" \n\t ").isEmpty)
        #expect(try read("[]").isEmpty)
        #expect(try read("\u{FEFF} [ \r\n ] \n").isEmpty)
    }

    @Test func minifiedAndWhitespaceEverywhere() throws {
        let rows = try read("\u{FEFF}\r\n[\n\t{ \"a\" :\r\n1 }\n ,\n{\"a\":2}\r\n]\r\n")
        #expect(rows.map(\.cells) == [["a"], ["1"], ["2"]])
    }

    @Test func nonObjectElementNamesTheRecord() throws {
        let error = try #require(failure("[{\"a\":1},\n {\"a\":2},\n 3]"))
        #expect(error.code == "format.not-an-object")
        #expect(error.line == 3)
        #expect(error.message.contains("Record 3 (line 3, column 2)"))
        #expect(error.message.contains("a number"))
        #expect(failure("[[1]]")?.code == "format.not-an-object")
        #expect(failure("[\"x\"]")?.code == "format.not-an-object")
    }

    @Test func topLevelMustBeAnArray() throws {
        #expect(failure("{\"a\":1}")?.code == "format.json-not-an-array")
        #expect(failure("\"x\"")?.code == "format.json-not-an-array")
    }

    @Test func structuralErrors() throws {
        let cases: [(String, String, String)] = [
            ("[{\"a\":1},]", "format.json-syntax", "trailing comma"),
            ("[{\"a\":1} {\"a\":2}]", "format.json-syntax", "expected ',' or ']' after record 1"),
            ("[{\"a\":1}] x", "format.json-syntax", "after the closing ']'"),
            ("[{\"a\":1},\n{\"a\" 2}]", "format.json-syntax", "Record 2 (line 2, column 6)"),
            ("[{\"a\":1],", "format.json-syntax", "Record 1"),
            ("[{\"a\":1,\"a\":2}]", "format.json-duplicate-key", "\"a\""),
        ]
        for (text, code, fragment) in cases {
            let error = try #require(failure(text), "\(text)")
            #expect(error.code == code, "\(text): \(error)")
            #expect(error.message.contains(fragment), "\(text): \(error)")
        }
    }

    @Test func truncatedInputIsReportedWhereverItStops() throws {
        let text = "[{\"a\": \"x\\u00e9\", \"b\": [1, {\"c\": 2}]}, {\"a\": \"y\"}]"
        let bytes = text.bytes
        for cut in 1..<bytes.count {
            let error = FormatTestSupport.failure({ JSONArrayReader() }, Array(bytes[..<cut]))
            #expect(error?.code == "format.json-truncated", "cut at \(cut): \(String(describing: error))")
        }
        let error = try #require(failure("[{\"a\":1},\n  {\"a\": [1, 2"))
        #expect(error.message.contains("Record 2 (starting on line 2, column 3)"))
    }

    @Test func deepNestingIsRefusedBeforeBuffering() throws {
        let deep = "[{\"a\":" + String(repeating: "[", count: 1_000_000)
        let error = try #require(failure(deep))
        #expect(error.code == "format.json-too-deep")
        #expect(error.message.contains("Record 1"))
        #expect(failure("[{\"a\":[[1]]}]", limits: FormatLimits(maxDepth: 2))?.code == "format.json-too-deep")
        #expect(try read("[{\"a\":[1]}]", limits: FormatLimits(maxDepth: 2)).count == 2)
    }

    @Test func recordSizeLimitBoundsTheBuffer() throws {
        let limits = FormatLimits(maxRecordBytes: 100)
        let big = "[{\"a\":\"" + String(repeating: "x", count: 200) + "\"}]"
        #expect(failure(big, limits: limits)?.code == "format.record-too-long")
        #expect(FormatTestSupport.failure({ JSONArrayReader(limits: limits) }, big.bytes, blockSize: 7)?.code
            == "format.record-too-long")
    }

    @Test func everyChunkBoundaryGivesTheSameRows() throws {
        let text = """
            \u{FEFF}[ {"id": 1, "s": "a\\"b\\\\c\\/\\u00e9\\ud83d\\ude00 é😀 \\u0000", "n": -1.5e-3,
               "o": {"k": ["x", {"y": "]}[{"}], "e": {}}, "t": true, "f": false, "z": null},
             {"s": "}", "id": 2, "q": "\\"}\\""}\r\n,{}]\r\n
            """
        let whole = try read(text)
        #expect(whole.count == 4)
        #expect(whole[1].cells[1] == "a\"b\\c/é😀 é😀 \u{FFFD}")
        #expect(whole[1].cells[3] == #"{"k":["x",{"y":"]}[{"}],"e":{}}"#)
        #expect(whole[2].extraKeys == ["q"])
        for size in 1...16 {
            #expect(try read(text, blockSize: size) == whole, "block size \(size)")
        }
    }
}
