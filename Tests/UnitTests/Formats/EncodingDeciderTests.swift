import Formats
import Tabular
import Testing

/// `EncodingDecider`: UTF-8 or Windows-1252 from the first non-ASCII sequence, the same
/// whatever the block boundaries.
@Suite struct EncodingDeciderTests {
    static func decode(_ bytes: [UInt8], blockSize: Int) -> (text: [UInt8], decider: EncodingDecider) {
        var decider = EncodingDecider()
        var output: [UInt8] = []
        var start = 0
        while start < bytes.count {
            output += decider.feed(Array(bytes[start..<min(start + blockSize, bytes.count)]))
            start += blockSize
        }
        output += decider.finish()
        return (output, decider)
    }

    @Test("ASCII passes through undecided and reports UTF-8")
    func ascii() {
        let (text, decider) = Self.decode(Array("id,name\n1,Ana\n".utf8), blockSize: 3)
        #expect(text == Array("id,name\n1,Ana\n".utf8))
        #expect(decider.decision == nil && decider.encoding == .utf8 && !decider.replacedSequences)
    }

    @Test("a valid first sequence decides UTF-8, and later invalid bytes are reported, not transcoded")
    func utf8() {
        let bytes = Array("a,José\n".utf8) + [0x62, 0xFF, 0x0A]
        for size in 1...6 {
            let (text, decider) = Self.decode(bytes, blockSize: size)
            #expect(text == bytes, "blocks of \(size)")
            #expect(decider.decision == .utf8 && decider.replacedSequences)
        }
        #expect(!Self.decode(Array("Zürich 😀 東京".utf8), blockSize: 2).decider.replacedSequences)
    }

    @Test("an invalid first sequence decides Windows-1252 from that byte on, whatever the blocks")
    func windows1252() {
        // "José,€5\n" in Windows-1252, with a UTF-8-looking pair after it (it is 1252 too: Ã©).
        let bytes: [UInt8] = Array("name\n".utf8) + [0x4A, 0x6F, 0x73, 0xE9, 0x2C, 0x80, 0x35, 0x0A, 0xC3, 0xA9]
        for size in 1...7 {
            let (text, decider) = Self.decode(bytes, blockSize: size)
            #expect(String(decoding: text, as: UTF8.self) == "name\nJosé,€5\nÃ©", "blocks of \(size)")
            #expect(decider.decision == .windows1252)
        }
    }

    @Test("a sequence cut off by the end of the input, or a lead byte with a bad follower, is Windows-1252")
    func truncatedAndBroken() {
        #expect(String(decoding: Self.decode([0x61, 0xC3], blockSize: 1).text, as: UTF8.self) == "aÃ")
        #expect(Self.decode([0x61, 0xE2, 0x82], blockSize: 8).decider.decision == .windows1252)
        #expect(Self.decode([0xE2, 0x28, 0xA1], blockSize: 8).decider.decision == .windows1252)
        #expect(Self.decode([0xF0, 0x9F, 0x98, 0x80], blockSize: 1).decider.decision == .utf8)
        #expect(Self.decode([0xED, 0xA0, 0x80], blockSize: 8).decider.decision == .windows1252, "a surrogate is not UTF-8")
    }
}
