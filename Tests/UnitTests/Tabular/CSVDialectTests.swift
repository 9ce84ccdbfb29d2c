import Testing
@testable import Tabular

/// Runs detection on a string sample.
private func detect(_ sample: String) -> CSVDialect {
    CSVDialect.detect(sample: Array(sample.utf8))
}

@Suite("CSVDialect")
struct CSVDialectTests {
    @Test func detectsComma() {
        #expect(detect("id,name,city\n1,Ada,London\n2,Alan,Wilmslow\n") == .comma)
    }

    @Test func detectsSemicolonEvenWithDecimalCommas() {
        let sample = "id;amount;note\n1;3,50;ok\n2;1.234,00;also, fine\n3;7;x\n"
        #expect(detect(sample) == .semicolon)
    }

    @Test func detectsTab() {
        #expect(detect("name\tnote\nBob\thi, there\nEve\tbye, now; ok\n") == .tab)
    }

    @Test func detectsPipe() {
        #expect(detect("a|b|c|d\n1|2|3|4\n5|6|7|8\n") == .pipe)
    }

    @Test func ignoresDelimitersInsideQuotesIncludingAcrossLines() {
        let sample = "a;b\n\"x,y,z\";\"1,\n2,3\"\n\"p,q\";r\n"
        #expect(detect(sample) == .semicolon)
    }

    @Test func tiesGoToComma() {
        #expect(detect("a,b;c\n1,2;3\n") == .comma)
        #expect(detect("") == .comma)
        #expect(detect("single\ncolumn\n") == .comma)
    }

    @Test func singleHeaderLineIsEnough() {
        #expect(detect("id;name;email") == .semicolon)
    }

    @Test func partialLastLineOfATruncatedSampleIsIgnored() {
        #expect(detect("a|b|c\n1|2|3\n4|5,6,7,8,9") == .pipe)
    }

    @Test func byteOrderMarkAndCRLFAreHandled() {
        let sample = [0xEF, 0xBB, 0xBF] + Array("a\tb\r\n1\t2\r\n".utf8)
        #expect(CSVDialect.detect(sample: sample) == .tab)
    }

    @Test func onlySupportedDelimitersAreAccepted() {
        #expect(CSVDialect(delimiter: UInt8(ascii: ";")) == .semicolon)
        #expect(CSVDialect(delimiter: UInt8(ascii: ".")) == nil)
        #expect(CSVDialect(name: "tab") == .tab)
        #expect(CSVDialect(name: "|") == .pipe)
        #expect(CSVDialect(name: "colon") == nil)
        #expect(CSVDialect.semicolon.description == "semicolon")
    }
}
