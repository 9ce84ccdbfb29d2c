import Testing
import Tabular

/// The shared JSON token grammar, tested directly; the readers built on it (Formats'
/// record parser, Validation's `json.loads` twin, the envelope key scan) have their own tests.
@Suite("JSONLexer")
struct JSONLexerTests {
    private func withBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try Array(text.utf8).withUnsafeBufferPointer(body)
    }

    @Test func whitespaceIsOnlyTheFourJSONBytes() {
        #expect(withBytes(" \t\r\n x") { JSONLexer.skipWhitespace($0, from: 0) } == 5)
        #expect(withBytes("\u{0C}x") { JSONLexer.skipWhitespace($0, from: 0) } == 0, "form feed is not JSON whitespace")
        #expect(withBytes("\u{A0}x") { JSONLexer.skipWhitespace($0, from: 0) } == 0)
        #expect(withBytes("   ") { JSONLexer.skipWhitespace($0, from: 1) } == 3)
    }

    @Test func literals() {
        #expect(withBytes("[true]") { JSONLexer.matches("true", in: $0, at: 1) })
        #expect(!withBytes("[tru") { JSONLexer.matches("true", in: $0, at: 1) })
        #expect(!withBytes("trUe") { JSONLexer.matches("true", in: $0, at: 0) })
    }

    @Test(arguments: [
        // text, end of the valid prefix, integer?, problem
        ("0", 1, true, nil), ("-0", 2, true, nil), ("123,", 3, true, nil), ("-12.50]", 6, false, nil),
        ("1e3", 3, false, nil), ("1E+3", 4, false, nil), ("2.5e-07}", 7, false, nil),
        ("-", 0, true, .missingDigit), ("-x", 0, true, .missingDigit), ("+1", 0, true, .missingDigit),
        (".5", 0, true, .missingDigit), ("1.", 1, true, .missingFraction), ("1.x", 1, true, .missingFraction),
        ("1e", 1, true, .missingExponent), ("1.5e+", 3, false, .missingExponent),
        ("01", 1, true, .leadingZero), ("-00", 2, true, .leadingZero),
    ] as [(String, Int, Bool, JSONLexer.NumberProblem?)])
    func numbers(text: String, end: Int, isInteger: Bool, problem: JSONLexer.NumberProblem?) {
        let number = withBytes(text) { JSONLexer.scanNumber($0, from: 0) }
        #expect(number.end == end)
        #expect(number.isInteger == isInteger)
        #expect(number.problem == problem)
    }

    @Test func numberProblemPointsAtTheMissingDigitOrTheEnd() {
        #expect(withBytes("1.x") { JSONLexer.scanNumber($0, from: 0) }.problemAt == 2)
        #expect(withBytes("1e") { JSONLexer.scanNumber($0, from: 0) }.problemAt == 2, "the end of the input")
        #expect(withBytes("012") { JSONLexer.scanNumber($0, from: 0) }.problemAt == 1)
    }

    @Test func escapes() throws {
        let cases: [(String, UInt16)] = [(#"\""#, 0x22), (#"\\"#, 0x5C), (#"\/"#, 0x2F), (#"\b"#, 8), (#"\f"#, 12),
                                         (#"\n"#, 10), (#"\r"#, 13), (#"\t"#, 9), (#"\u00e9"#, 0xE9), (#"\uD83D"#, 0xD83D)]
        for (text, unit) in cases {
            let decoded = try withBytes(text) { try JSONLexer.escape($0, at: 0) }
            #expect(decoded.unit == unit, "\(text)")
            #expect(decoded.next == text.utf8.count)
        }
        #expect(throws: JSONLexProblem.unknownEscape(UInt8(ascii: "x"), at: 0)) { try withBytes(#"\x"#) { try JSONLexer.escape($0, at: 0) } }
        #expect(throws: JSONLexProblem.badUnicodeEscape(at: 0)) { try withBytes(#"\u12g4"#) { try JSONLexer.escape($0, at: 0) } }
        #expect(throws: JSONLexProblem.badUnicodeEscape(at: 0)) { try withBytes(#"\u+123"#) { try JSONLexer.escape($0, at: 0) } }
        #expect(throws: JSONLexProblem.endOfInput(at: 4)) { try withBytes(#"\u12"#) { try JSONLexer.escape($0, at: 0) } }
    }

    @Test func stringsAsUTF16KeepLoneSurrogates() throws {
        var units: [UInt16] = []
        let end = try withBytes(#""é\uD800\n\uD83D\uDE00x" tail"#) {
            try JSONLexer.decodeString($0, from: 1, appendingUTF16: &units)
        }
        #expect(units == [0xE9, 0xD800, 0x0A, 0xD83D, 0xDE00, 0x78])
        #expect(end == #""é\uD800\n\uD83D\uDE00x""#.utf8.count)
    }

    @Test func stringsAsUTF8PairSurrogatesAndReplaceTheRest() throws {
        func utf8(_ text: String, replacingNUL: Bool = true) throws -> String {
            var out: [UInt8] = []
            _ = try withBytes(text) { try JSONLexer.decodeString($0, from: 1, appendingUTF8: &out, replacingNUL: replacingNUL) }
            return String(decoding: out, as: UTF8.self)
        }
        #expect(try utf8(#""a\uD83D\uDE00b""#) == "a😀b")
        #expect(try utf8(#""\uD800x""#) == "\u{FFFD}x", "a lone lead surrogate")
        #expect(try utf8(#""\uD800\u0041""#) == "\u{FFFD}A", "a lead surrogate followed by another escape")
        #expect(try utf8(#""\uDC00""#) == "\u{FFFD}", "a lone trail surrogate")
        #expect(try utf8(#""a\u0000b""#) == "a\u{FFFD}b")
        #expect(try utf8(#""a\u0000b""#, replacingNUL: false) == "a\u{0}b")
    }

    @Test func malformedStrings() {
        var units: [UInt16] = []
        #expect(throws: JSONLexProblem.endOfInput(at: 4)) { try withBytes(#""abc"#) { try JSONLexer.decodeString($0, from: 1, appendingUTF16: &units) } }
        #expect(throws: JSONLexProblem.controlCharacter(0x0A, at: 2)) { try withBytes("\"a\nb\"") { try JSONLexer.decodeString($0, from: 1, appendingUTF16: &units) } }
        #expect(throws: JSONLexProblem.endOfInput(at: 3)) { try withBytes(#""a\"#) { try JSONLexer.decodeString($0, from: 1, appendingUTF16: &units) } }
    }

    @Test func plainRunsStopAtQuoteBackslashOrControl() {
        #expect(withBytes(#"abc"d"#) { JSONLexer.plainRunEnd($0, from: 0) } == 3)
        #expect(withBytes(#"ab\n"#) { JSONLexer.plainRunEnd($0, from: 0) } == 2)
        #expect(withBytes("a\tb") { JSONLexer.plainRunEnd($0, from: 0) } == 1)
        #expect(withBytes("abc") { JSONLexer.plainRunEnd($0, from: 0) } == 3)
    }
}
