import CivilTime
import Formats
import Foundation
import Tabular
import Testing

/// The sheet tokenizer and handler fed directly, with blocks split at every byte.
@Suite struct XMLTokenizerTests {
    static let sheet = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <!DOCTYPE worksheet>
        <x:worksheet xmlns:x="urn:main" note='a > b'><!-- <row r="99"> ignored -->
        <x:sheetData>
        <x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>h&amp;1</x:t></x:is></x:c><x:c r="B1" t='inlineStr' x:extra="q&quot;>"><x:is><x:t>h2</x:t></x:is></x:c></x:row>
        <x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:t xml:space="preserve">line&#10;two&#x20AC;\r\nthree</x:t></x:is></x:c></x:row>
        <x:row r="4"><x:c r="B4" t="inlineStr"><x:is><x:t><![CDATA[<b>&amp;</b>]]></x:t></x:is></x:c><x:c r="AA4"><x:v>7</x:v></x:c></x:row>
        <x:row r="5"><x:c r="A5" s="1"><x:v>45352.5</x:v></x:c><x:c r="B5"/><x:c r="C5" t="e"><x:v>#N/A</x:v></x:c></x:row>
        </x:sheetData></x:worksheet>
        """

    private func rows(blockSize: Int) throws(FormatError) -> [SourceRow] {
        var styles = XLSXStyles.none
        styles = try XLSXStyles.parse(Array(#"<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="22"/></cellXfs></styleSheet>"#.utf8), part: "styles")
        var handler = XLSXSheetHandler(strings: ["zero", "one"], styles: styles, date1904: false, limits: .default)
        var tokenizer = XMLTokenizer(part: "sheet", maxTokenBytes: 1 << 20)
        let bytes = Array(Self.sheet.utf8)
        var start = 0
        while start < bytes.count {
            try tokenizer.feed(Array(bytes[start..<min(start + blockSize, bytes.count)]), into: &handler)
            start += blockSize
        }
        try tokenizer.finish(into: &handler)
        return handler.rows
    }

    @Test func everyBlockSizeGivesTheSameRows() throws {
        let whole = try rows(blockSize: 1 << 20)
        var wide = [String?](repeating: nil, count: 27)
        wide[1] = "<b>&amp;</b>"
        wide[26] = "7"
        #expect(whole == [
            SourceRow(line: 1, cells: ["h&1", "h2"]),
            SourceRow(line: 2, cells: ["one", "line\ntwo€\nthree"]),
            SourceRow(line: 4, cells: wide),
            SourceRow(line: 5, cells: ["2024-03-01T12:00:00", nil, "#N/A"]),
        ])
        for size in 1...9 {
            #expect(try rows(blockSize: size) == whole, "blocks of \(size)")
        }
    }

    @Test func dateFormatsAreRecognised() {
        let cases: [(String, ExcelSerialDate.Kind?)] = [
            ("yyyy-mm-dd", .date), ("d/m/yy", .date), ("mmm yyyy", .date), ("mmmm", .date),
            ("h:mm AM/PM", .time), ("hh:mm:ss", .time), ("mm:ss", .time),
            ("yyyy-mm-dd hh:mm", .dateTime), ("[$-409]dddd, mmmm d, yyyy", .date),
            ("\"Day \"d mmm yyyy;@", .date), ("yyyy\\-mm\\-dd\\ hh:mm:ss", .dateTime),
            ("General", nil), ("0.00%", nil), ("0.00E+00", nil), ("#,##0 \"days\"", nil),
            ("[h]:mm:ss", nil), ("[Red]0.00;[Blue]-0.00", nil), ("@", nil), ("_(* #,##0_)", nil),
        ]
        for (code, kind) in cases {
            #expect(XLSXStyles.kind(ofFormat: code) == kind, "\(code)")
        }
        #expect(XLSXStyles.builtInKind(14) == .date)
        #expect(XLSXStyles.builtInKind(22) == .dateTime)
        #expect(XLSXStyles.builtInKind(46) == .time)
        #expect(XLSXStyles.builtInKind(2) == nil)
    }

    @Test func serialNumbersBecomeISODates() {
        func date(_ serial: Double, _ kind: ExcelSerialDate.Kind = .date, _ date1904: Bool = false) -> String? {
            ExcelSerialDate(serial: serial, system: date1904 ? .excel1904 : .excel1900)?.text(as: kind)
        }
        #expect(date(1) == "1900-01-01")
        #expect(date(59) == "1900-02-28")
        #expect(date(60) == nil) // Excel's phantom 1900-02-29
        #expect(date(61) == "1900-03-01")
        #expect(date(25_569) == "1970-01-01")
        #expect(date(45_352) == "2024-03-01")
        #expect(date(45_352.354166666664) == "2024-03-01T08:30:00")
        #expect(date(45_352.5, .dateTime) == "2024-03-01T12:00:00")
        #expect(date(45_352, .dateTime) == "2024-03-01T00:00:00")
        #expect(date(45_352.000005787) == "2024-03-01T00:00:00.500")
        #expect(date(0.999999999) == "1900-01-01") // rounds up to the next midnight
        #expect(date(0.75, .time) == "18:00:00")
        #expect(date(1.25, .time) == "1900-01-01T06:00:00")
        #expect(date(2_958_465) == "9999-12-31")
        #expect(date(2_958_466) == nil)
        #expect(date(-1) == nil)
        #expect(date(0, .date, true) == "1904-01-01")
        #expect(date(43_890, .date, true) == "2024-03-01")
    }

    @Test func numbersPrintShortest() {
        let cases: [(String, String)] = [
            ("3", "3"), ("3.0", "3"), ("-0", "0"), ("1E+2", "100"), ("0.1", "0.1"), ("1e-05", "1e-05"),
            ("0.30000000000000004", "0.30000000000000004"), ("12345678901234", "12345678901234"),
            ("1234567890123456789", "1.2345678901234568e+18"), ("007", "7"), ("2.5E-3", "0.0025"),
            ("abc", "abc"), ("-12.50", "-12.5"), ("1E+15", "1000000000000000"), ("1e16", "1e+16"),
        ]
        for (text, expected) in cases {
            #expect(ExcelValue.number(text) == expected, "\(text)")
        }
    }
}
