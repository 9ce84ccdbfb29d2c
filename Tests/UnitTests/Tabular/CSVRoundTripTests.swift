import Testing
@testable import Tabular


/// Random field text biased towards the characters that stress the parser.
private func randomField(_ rng: inout SplitMix64) -> String {
    let alphabet: [String] = ["a", "b", "7", " ", ",", ";", "\t", "|", "\"", "\n", "\r", "\r\n",
                              "é", "東", "😀", "=", "-", "'"]
    let length = Int.random(in: 0...8, using: &rng)
    return (0..<length).map { _ in alphabet.randomElement(using: &rng)! }.joined()
}

/// Random ragged rows; a row is never a single empty field, which CSV cannot
/// distinguish from a blank line.
private func randomTable(_ rng: inout SplitMix64) -> [[String]] {
    (0..<Int.random(in: 0...12, using: &rng)).map { _ in
        let row = (0..<Int.random(in: 1...6, using: &rng)).map { _ in randomField(&rng) }
        return row == [""] ? ["x"] : row
    }
}

@Suite("CSV round trip")
struct CSVRoundTripTests {
    @Test(arguments: CSVDialect.all)
    func writerOutputParsesBackForRandomTables(dialect: CSVDialect) throws {
        var rng = SplitMix64(seed: 42)
        for lineEnding in ["\n", "\r\n", "\r"] {
            let writer = CSVWriter(dialect: dialect, lineEnding: lineEnding, guardsFormulas: false)
            for _ in 0..<150 {
                let table = randomTable(&rng)
                var bytes: [UInt8] = []
                for row in table { writer.append(row, to: &bytes) }
                #expect(try CSVReader.parse(bytes, dialect: dialect).map(\.fields) == table)
            }
        }
    }

    @Test func randomBlockSplitsNeverChangeTheResult() throws {
        var rng = SplitMix64(seed: 7)
        let writer = CSVWriter(lineEnding: "\r\n", guardsFormulas: false)
        for _ in 0..<200 {
            var bytes: [UInt8] = Bool.random(using: &rng) ? [0xEF, 0xBB, 0xBF] : []
            for row in randomTable(&rng) { writer.append(row, to: &bytes) }
            let whole = try CSVReader.parse(bytes)

            var reader = CSVReader()
            var records: [CSVRecord] = []
            var offset = 0
            while offset < bytes.count {
                let upper = min(bytes.count, offset + Int.random(in: 1...9, using: &rng))
                records += reader.feed(bytes[offset..<upper])
                offset = upper
            }
            records += try reader.finish()
            #expect(records == whole)
        }
    }

    @Test func lineNumbersCountEveryPhysicalLineBreak() throws {
        var rng = SplitMix64(seed: 99)
        let writer = CSVWriter(guardsFormulas: false)
        for _ in 0..<200 {
            let table = randomTable(&rng)
            var bytes: [UInt8] = []
            var expectedLines: [Int] = []
            var line = 1
            for row in table {
                expectedLines.append(line)
                let text = writer.row(row)
                writer.append(row, to: &bytes)
                // Count breaks the way an editor does: CRLF is one, lone CR and LF are one each.
                line += text.replacingCRLF.utf8.filter { $0 == UInt8(ascii: "\n") }.count
            }
            #expect(try CSVReader.parse(bytes).map(\.line) == expectedLines)
        }
    }
}

extension String {
    /// The text with every line break (CRLF, CR or LF) written as a single LF.
    fileprivate var replacingCRLF: String {
        var result = ""
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\n", previousCR { previousCR = false; continue }
            previousCR = scalar == "\r"
            result.unicodeScalars.append(scalar == "\r" ? "\n" : scalar)
        }
        return result
    }
}
