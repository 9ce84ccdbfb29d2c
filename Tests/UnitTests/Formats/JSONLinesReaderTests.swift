import Foundation
import Testing
import Formats
import Tabular

@Suite struct JSONLinesReaderTests {
    private func read(_ text: String, limits: FormatLimits = .default, blockSize: Int = 64 << 10)
        throws(FormatError) -> [SourceRow] {
        try FormatTestSupport.read({ JSONLinesReader(limits: limits) }, text.bytes, blockSize: blockSize)
    }

    private func failure(_ text: String, limits: FormatLimits = .default) -> FormatError? {
        FormatTestSupport.failure({ JSONLinesReader(limits: limits) }, text.bytes)
    }

    @Test func headerIsTheFirstObjectsKeysAndValuesBecomeText() throws {
        let rows = try read("""
            {"id": 1, "name": "Ada", "score": 1.50, "big": 1e3, "ok": true, "none": null}
            {"name": "Bob", "id": -0, "ok": false, "nested": {"a": [1, "x", null]}}
            """)
        #expect(rows.count == 3)
        #expect(rows[0] == SourceRow(line: 1, cells: ["id", "name", "score", "big", "ok", "none"]))
        #expect(rows[1] == SourceRow(line: 1, cells: ["1", "Ada", "1.50", "1e3", "true", nil]))
        #expect(rows[2].line == 2)
        #expect(rows[2].cells == ["-0", "Bob", nil, nil, "false", nil, #"{"a":[1,"x",null]}"#])
        #expect(rows[2].extraKeys == ["nested"])
    }

    @Test func blankLinesCRLFAndBOMAreHandledAndLinesCounted() throws {
        let text = "\u{FEFF}{\"a\":\"x\"}\r\n\r\n   \r\n{\"a\":\"y\"}\r\n\n{\"a\":\"z\"}"
        let rows = try read(text)
        #expect(rows.map(\.line) == [1, 1, 4, 6])
        #expect(rows.map { $0.cells } == [["a"], ["x"], ["y"], ["z"]])
    }

    @Test func emptyAndBlankInputYieldNoRows() throws {
        #expect(try read("").isEmpty)
        #expect(try read("\n\r\n  \n").isEmpty)
        #expect(try read("\u{FEFF}").isEmpty)
    }

    @Test func stringEscapesAndSurrogatePairsDecode() throws {
        let rows = try read(#"{"s": "tab\tq\"b\\s\/ \u00e9 \ud83d\ude00 nul\u0000 lone\ud800x", "k\u00e9y": 1}"#)
        #expect(rows[0].cells == ["s", "kéy"])
        #expect(rows[1].cells[0] == "tab\tq\"b\\s/ é 😀 nul\u{FFFD} lone\u{FFFD}x")
    }

    @Test func nestedValuesAreCompactCanonicalJSON() throws {
        let rows = try read(#"{"n": { "b" : [ 1.0 , true,{"c":"line\nbreak \u0001 é"} ] , "e": {} , "f": []}}"#)
        #expect(rows[1].cells == [#"{"b":[1.0,true,{"c":"line\nbreak \u0001 é"}],"e":{},"f":[]}"#])
    }

    @Test func nonObjectLineNamesTheLine() throws {
        let error = try #require(failure("{\"a\":1}\n\n[1,2]\n"))
        #expect(error.code == "format.not-an-object")
        #expect(error.line == 3)
        #expect(error.message.contains("Line 3"))
        #expect(error.message.contains("an array"))
    }

    @Test func duplicateKeysAreRefusedEverywhere() throws {
        for text in [#"{"a":1,"a":2}"#, "{\"a\":1}\n{\"a\":1,\"b\":2,\"a\":3}",
                     "{\"a\":1}\n{\"x\":1,\"x\":2}", #"{"a":{"k":1,"k":2}}"#] {
            let error = try #require(failure(text), "\(text)")
            #expect(error.code == "format.json-duplicate-key", "\(text)")
        }
    }

    @Test func syntaxErrorsGiveLineAndColumn() throws {
        let cases: [(String, String, String)] = [
            ("{\"a\":1}\n{\"a\" 1}", "format.json-syntax", "Line 2, column 6"),
            ("{\"a\":01}", "format.json-syntax", "leading zeros"),
            ("{\"a\":.5}", "format.json-syntax", "Line 1, column 6"),
            ("{\"a\":tru}", "format.json-syntax", "expected true"),
            ("{\"a\":\"x\ty\"}", "format.json-syntax", "control character"),
            ("{\"a\":\"\\q\"}", "format.json-syntax", "unknown escape"),
            ("{\"a\":1} x", "format.json-syntax", "after the end of the object"),
            ("{\"a\":1,}", "format.json-syntax", "expected a key"),
            ("{\"a\":1\n{\"a\":2}", "format.json-syntax", "single line"),
            ("{\"a\":1}\n{\"a\":[1,2", "format.json-truncated", "Line 2"),
        ]
        for (text, code, fragment) in cases {
            let error = try #require(failure(text), "\(text)")
            #expect(error.code == code, "\(text): \(error)")
            #expect(error.message.contains(fragment), "\(text): \(error)")
        }
    }

    @Test func invalidUTF8IsReported() throws {
        var bytes = "{\"a\":\"caf".bytes
        bytes += [0xE9, 0x22, 0x7D]
        let error = try #require(FormatTestSupport.failure({ JSONLinesReader() }, bytes))
        #expect(error.code == "format.invalid-utf8")
    }

    @Test func depthLimitIsEnforcedWithoutRecursingFurther() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try #require(failure("{\"a\":\(deep)}"))
        #expect(error.code == "format.json-too-deep")
        let limits = FormatLimits(maxDepth: 3)
        #expect(try read(#"{"a":{"b":[1]}}"#, limits: limits).count == 2)
        #expect(failure(#"{"a":{"b":[[1]]}}"#, limits: limits)?.code == "format.json-too-deep")
    }

    @Test func fieldColumnAndRecordLimits() throws {
        let limits = FormatLimits(maxFieldBytes: 5, maxColumns: 2, maxRecordBytes: 40)
        #expect(try read(#"{"a":"12345"}"#, limits: limits).count == 2)
        #expect(failure(#"{"a":"123456"}"#, limits: limits)?.code == "format.field-too-long")
        #expect(failure(#"{"a":[1,2,3]}"#, limits: limits)?.code == "format.field-too-long")
        #expect(failure(#"{"a":1,"b":2,"c":3}"#, limits: limits)?.code == "format.too-many-columns")
        #expect(failure("{\"a\":1}\n{\"b\":2,\"c\":3}", limits: limits)?.code == "format.too-many-columns")
        let long = "{\"a\":\"" + String(repeating: "x", count: 50) + "\"}"
        #expect(failure(long, limits: limits)?.code == "format.record-too-long")
    }

    @Test func failuresAreSticky() throws {
        var reader = JSONLinesReader()
        #expect(throws: FormatError.self) { try reader.feed("[1]\n".bytes) }
        #expect(throws: FormatError.self) { try reader.feed("{\"a\":1}\n".bytes) }
        #expect(throws: FormatError.self) { try reader.finish() }
    }

    @Test func everyChunkBoundaryGivesTheSameRows() throws {
        let text = "\u{FEFF}{\"id\":1,\"name\":\"Zoë \\u00e9\\ud83d\\ude00 é😀\",\"n\":{\"x\":[1,2]}}\r\n"
            + "\r\n{\"name\":\"b\\\"q\",\"id\":2,\"extra\":true}\n{\"id\":3}"
        let whole = try read(text)
        #expect(whole.count == 4)
        for size in 1...9 {
            #expect(try read(text, blockSize: size) == whole, "block size \(size)")
        }
    }
}

extension JSONLinesReaderTests {
    @Test func manyExtraKeysStillFindDuplicates() throws {
        let keys = (0..<30).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let rows = try read("{\"a\":1}\n{\(keys)}")
        #expect(rows[2].extraKeys.count == 30)
        #expect(rows[2].cells.count == 31)
        let error = try #require(failure("{\"a\":1}\n{\(keys),\"k25\":0}"))
        #expect(error.code == "format.json-duplicate-key")
        #expect(error.message.contains("\"k25\""))
    }
}
