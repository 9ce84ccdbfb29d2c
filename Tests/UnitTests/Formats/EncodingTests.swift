import Foundation
import Testing
import Formats
import Tabular

@Suite struct EncodingTests {
    @Test func detectionRules() throws {
        #expect(TextEncoding.detect([UInt8]()) == .utf8)
        #expect(TextEncoding.detect("plain ascii".bytes) == .utf8)
        #expect(TextEncoding.detect("Zoë 😀".bytes) == .utf8)
        #expect(TextEncoding.detect([0xEF, 0xBB, 0xBF] + "x".bytes) == .utf8)
        #expect(TextEncoding.detect([0xEF, 0xBB, 0xBF, 0xE9]) == .utf8) // declared UTF-8 stays UTF-8
        #expect(TextEncoding.detect([0xFF, 0xFE, 0x61, 0x00]) == .utf16LittleEndian)
        #expect(TextEncoding.detect([0xFE, 0xFF, 0x00, 0x61]) == .utf16BigEndian)
        #expect(TextEncoding.detect([0x63, 0x61, 0x66, 0xE9]) == .windows1252)
        #expect(try TextEncoding.detect(FormatTestSupport.fixture("latin1.csv")) == .windows1252)
        #expect(try TextEncoding.detect(FormatTestSupport.fixture("students.jsonl")) == .utf8)
        #expect(try TextEncoding.detect(FormatTestSupport.fixture("utf16le.txt")) == .utf16LittleEndian)
    }

    @Test func detectionIsTheSameWhateverTheBlocks() throws {
        let samples: [[UInt8]] = [
            "ab😀cdé".bytes, [0x61, 0xF0, 0x9F, 0x98], [0xE2, 0x82, 0xAC, 0x80], [0xC3],
            try FormatTestSupport.fixture("latin1.csv"), [0xFF, 0xFE, 0x00], [0xEF, 0xBB],
        ]
        for sample in samples {
            let whole = TextEncoding.detect(sample)
            for size in 1...4 {
                var detector = TextEncoding.Detector()
                var start = 0
                while start < sample.count {
                    detector.feed(sample[start..<min(start + size, sample.count)])
                    start += size
                }
                #expect(detector.finish() == whole, "\(sample) in blocks of \(size)")
            }
        }
    }

    @Test func utf8ValidatorFollowsTheUnicodeTable() {
        let valid: [[UInt8]] = [[0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
                                [0xEE, 0x80, 0x80], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF]]
        let invalid: [[UInt8]] = [[0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
                                  [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
                                  [0xFF], [0xE2, 0x82], [0xC3, 0x41]]
        for bytes in valid {
            #expect(UTF8Validator.isValid(bytes), "\(bytes)")
            #expect(UTF8Validator.isValid(bytes) == (String(validating: bytes, as: UTF8.self) != nil))
        }
        for bytes in invalid {
            #expect(!UTF8Validator.isValid(bytes), "\(bytes)")
            #expect(String(validating: bytes, as: UTF8.self) == nil)
        }
        var validator = UTF8Validator()
        validator.feed("abc".bytes + [0xE2, 0x82])
        #expect(validator.isValid)
        validator.feed([0xAC, 0x41, 0xFF, 0x41])
        #expect(!validator.isValid)
        #expect(validator.firstInvalidOffset == 7)
        #expect(validator.sawNonASCII)
    }

    @Test func windows1252MapsTheWholeTable() {
        #expect(Windows1252Transcoder.decode([0x80, 0x92, 0x96, 0x9C, 0x9F]) == "€’–œŸ")
        #expect(Windows1252Transcoder.decode([0x81, 0x8D, 0x8F, 0x90, 0x9D]) == "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(Windows1252Transcoder.decode([0x63, 0x61, 0x66, 0xE9, 0x20, 0xFC, 0xA0, 0xFF]) == "café ü\u{00A0}ÿ")
        // Every printable Latin-1 character agrees with Windows-1252.
        for byte in UInt8(0xA0)...UInt8(0xFF) {
            #expect(Windows1252Transcoder.scalar(for: byte).value == UInt32(byte))
        }
    }

    @Test func latin1CSVThroughTheTranscoderAndTheCSVReader() throws {
        let bytes = try FormatTestSupport.fixture("latin1.csv")
        var transcoder = TextTranscoder(from: TextEncoding.detect(bytes))
        var reader = CSVReader(dialect: .semicolon)
        var records: [CSVRecord] = []
        for start in stride(from: 0, to: bytes.count, by: 7) {
            records += reader.feed(transcoder.transcode(bytes[start..<min(start + 7, bytes.count)]))
        }
        records += reader.feed(transcoder.finish())
        records += try reader.finish()
        #expect(records.map(\.fields) == [["name", "city", "price"], ["José", "Zürich", "€ 10"],
                                          ["Müller’s", "Besançon", "– 5"]])
    }

    @Test func utf16WithBOMConvertsAcrossBlocks() throws {
        let bytes = try FormatTestSupport.fixture("utf16le.txt")
        let expected = "name\tcity\r\nJosé\tZürich\r\n😀\t東京\r\n"
        #expect(TextTranscoder.decode(bytes, from: .utf16LittleEndian) == expected)
        for size in 1...5 {
            var transcoder = TextTranscoder(from: .utf16LittleEndian)
            var output: [UInt8] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                transcoder.transcode(bytes[start..<min(start + size, bytes.count)], into: &output)
            }
            output += transcoder.finish()
            #expect(String(decoding: output, as: UTF8.self) == expected, "blocks of \(size)")
        }
        #expect(UTF16Transcoder.decode([0xFE, 0xFF, 0x00, 0x41, 0xD8, 0x3D, 0xDE, 0x00], littleEndian: false) == "A😀")
        // Unpaired surrogates and a dangling byte become U+FFFD.
        #expect(UTF16Transcoder.decode([0x3D, 0xD8, 0x41, 0x00, 0x00, 0xDE, 0x42], littleEndian: true)
            == "\u{FFFD}A\u{FFFD}\u{FFFD}")
    }

    @Test func encodingNames() {
        #expect(TextEncoding(name: "UTF-8") == .utf8)
        #expect(TextEncoding(name: "latin-1") == .windows1252)
        #expect(TextEncoding(name: "ISO-8859-1") == .windows1252)
        #expect(TextEncoding(name: "windows-1252") == .windows1252)
        #expect(TextEncoding(name: "auto") == nil)
        #expect(TextEncoding.windows1252.description == "windows-1252")
    }
}
