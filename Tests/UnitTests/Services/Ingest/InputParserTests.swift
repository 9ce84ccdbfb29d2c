@testable import IngestService
import Testing

/// NUL is replaced once per block of text, before parsing, instead of once per cell.
@Suite
struct InputParserTests {
    @Test func nulBecomesTheReplacementCharacterAnywhereInABlock() {
        func replaced(_ bytes: [UInt8]) -> [UInt8] {
            var text = bytes
            InputParser.replaceNUL(in: &text)
            return text
        }
        let mark: [UInt8] = [0xEF, 0xBF, 0xBD]
        #expect(replaced(Array("a,b\n1,2\n".utf8)) == Array("a,b\n1,2\n".utf8))
        #expect(replaced([0]) == mark)
        #expect(replaced([0x61, 0, 0x62, 0, 0]) == [0x61] + mark + [0x62] + mark + mark)
        #expect(replaced([]) == [])
        // Text decoded from it reads U+FFFD where the NUL was.
        #expect(String(decoding: replaced(Array("x\u{0}y".utf8)), as: UTF8.self) == "x\u{FFFD}y")
    }
}
