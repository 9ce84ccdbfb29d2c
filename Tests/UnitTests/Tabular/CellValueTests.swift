import Foundation
import Testing
@testable import Tabular

@Suite("CellValue")
struct CellValueTests {
    @Test(arguments: [
        ("", CellValue.null), ("   ", .null), ("\t\n", .null),
        ("42", .integer(42)), ("  -17 ", .integer(-17)), ("+5", .integer(5)), ("0", .integer(0)),
        ("-0", .integer(0)), ("9223372036854775807", .integer(.max)),
        ("-9223372036854775808", .integer(.min)),
        ("007", .string("007")), ("0123", .string("0123")), ("-007", .string("-007")),
        ("9223372036854775808", .string("9223372036854775808")),
        ("-3.50", .number(-3.5)), (".5", .number(0.5)), ("1e3", .number(1000)),
        ("5.", .number(5)), ("0.25", .number(0.25)), ("-1.5E-2", .number(-0.015)),
        ("00.5", .string("00.5")), ("1e999", .string("1e999")),
        ("true", .string("true")), ("FALSE", .string("FALSE")), ("yes", .string("yes")),
        ("inf", .string("inf")), ("nan", .string("nan")), ("0x1F", .string("0x1F")),
        ("1,000", .string("1,000")), ("1.2.3", .string("1.2.3")), ("-", .string("-")),
        ("e5", .string("e5")), ("1e", .string("1e")), ("  hello world ", .string("hello world")),
        ("\u{00A0}12\u{00A0}", .integer(12)),
    ])
    func coerce(text: String, expected: CellValue) {
        #expect(CellValue.coerce(text) == expected)
    }

    @Test func csvTextRendersEachCase() {
        #expect(CellValue.null.csvText == "")
        #expect(CellValue.string("a,b").csvText == "a,b")
        #expect(CellValue.integer(-12).csvText == "-12")
        #expect(CellValue.number(3.5).csvText == "3.5")
        #expect(CellValue.number(90).csvText == "90.0")
        #expect(CellValue.number(0.1).csvText == "0.1")
        #expect(CellValue.number(1e16).csvText == "1e+16")
        #expect(CellValue.bool(false).csvText == "false")
    }

    @Test func csvTextOfCoercedNumbersCoercesBackToTheSameValue() {
        for value: CellValue in [.integer(-5), .number(3.25), .number(-0.001), .number(90), .number(1e300)] {
            #expect(CellValue.coerce(value.csvText) == value)
        }
    }

    @Test func jsonUsesPlainValues() throws {
        let row: [CellValue] = [.null, "text", 12, 3.5, true]
        let json = String(decoding: try JSONEncoder().encode(row), as: UTF8.self)
        #expect(json == "[null,\"text\",12,3.5,true]")
    }

    @Test func jsonRoundTrip() throws {
        let row: [CellValue] = [
            .null, .string("héllo \"q\""), .string(""), .string("12"), .integer(.min), .integer(7),
            .number(-3.25), .number(1e-7), .bool(true), .bool(false),
        ]
        let data = try JSONEncoder().encode(row)
        #expect(try JSONDecoder().decode([CellValue].self, from: data) == row)
    }

    @Test func integralDoublesComeBackAsIntegersBecauseJSONHasOneNumberType() throws {
        let data = try JSONEncoder().encode([CellValue.number(90)])
        #expect(try JSONDecoder().decode([CellValue].self, from: data) == [.integer(90)])
    }

    @Test func jsonRejectsContainers() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CellValue.self, from: Data("[1]".utf8))
        }
    }

    @Test func helpers() {
        #expect(CellValue.null.isNull)
        #expect(!CellValue.string("").isNull)
        #expect(CellValue.integer(2).doubleValue == 2)
        #expect(CellValue.string("2").doubleValue == nil)
        #expect("\(CellValue.number(2.5))" == "2.5")
        #expect(String(reflecting: CellValue.string("1")) == ".string(\"1\")")
        #expect(String(reflecting: CellValue.integer(1)) == ".integer(1)")
    }
}
