import Testing
@testable import Validation
import Contracts
import Tabular

@Suite("String, integer, number and boolean readers")
struct StringAndNumberParserTests {
    typealias Field = TableSchema.Field

    @Test func stringKeepsTextVerbatim() throws {
        let field = Field(name: "s", type: "string")
        #expect(try SchemaTestSupport.value(field, "  padded ") == .string("  padded "))
        #expect(try SchemaTestSupport.value(field, "é\u{301}") == .string("é\u{301}"))
        #expect(try SchemaTestSupport.value(Field(name: "s"), "no type means string") == .string("no type means string"))
    }

    @Test(arguments: [
        ("a@example.com", true), ("first.last+tag@sub.example.co.uk", true), ("é@example.com", true),
        ("user@münchen.de", true), ("A@EXAMPLE.COM", true), ("\"a\\.b\"@example.com", true),
        ("a@b", false), ("a@b.c", false), ("a..b@example.com", false), ("a@@example.com", false),
        ("a@example.com.", false), ("a@1.2.3.4", false), ("ab cd@example.com", false), ("plain", false),
        ("a@ex_ample.com", false), ("a@-example.com", false),
    ])
    func email(_ text: String, _ valid: Bool) throws {
        #expect(try SchemaTestSupport.accepts(Field(name: "e", type: "string", format: "email"), text) == valid)
    }

    @Test(arguments: [
        ("http://example.com", true), ("mailto:a@b", true), ("x:", true), ("git+ssh://h/r", true),
        ("example.com", false), ("//host", false), ("1http://x", false), (" http://x", false), ("é:x", false),
    ])
    func uri(_ text: String, _ valid: Bool) throws {
        #expect(try SchemaTestSupport.accepts(Field(name: "u", type: "string", format: "uri"), text) == valid)
    }

    @Test(arguments: [
        ("2bc1c94f-0deb-43e9-92a1-4775189ec9f8", true), ("{2BC1C94F0DEB43E992A14775189EC9F8}", true),
        ("urn:uuid:2bc1c94f-0deb-43e9-92a1-4775189ec9f8", true), ("2bc1_94f0deb43e992a14775189ec9f8", true),
        ("2bc1c94f-0deb-43e9-92a1-4775189ec9f", false), ("2bc1c94f-0deb-43e9-92a1-4775189ec9g8", false),
        ("-2bc1c94f0deb43e992a14775189ec9f", false), ("+2bc1c94f0deb43e992a14775189ec9f", true),
        ("-0000000000000000000000000000000", false),  // every "-" is dropped, leaving 31 digits
    ])
    func uuid(_ text: String, _ valid: Bool) throws {
        #expect(try SchemaTestSupport.accepts(Field(name: "u", type: "string", format: "uuid"), text) == valid)
    }

    @Test(arguments: [
        ("aGVsbG8=", true), ("abcd", true), ("ab==", true), ("a b c d", true), ("!!!!", true), ("abc=d", true),
        ("aGVsbG8", false), ("a===", false), ("ab=c", false), ("abcde", false), ("é", false), ("a", false),
    ])
    func binary(_ text: String, _ valid: Bool) throws {
        #expect(try SchemaTestSupport.accepts(Field(name: "b", type: "string", format: "binary"), text) == valid)
    }

    @Test func integerFollowsPythonInt() throws {
        let field = Field(name: "n", type: "integer")
        #expect(try SchemaTestSupport.value(field, " 42 ") == .integer(42))
        #expect(try SchemaTestSupport.value(field, "+7") == .integer(7))
        #expect(try SchemaTestSupport.value(field, "1_000") == .integer(1000))
        #expect(try SchemaTestSupport.value(field, "007") == .integer(7))
        #expect(try SchemaTestSupport.value(field, "١٢٣") == .integer(123))
        #expect(try SchemaTestSupport.value(field, "\u{1C}5") == .integer(5))
        #expect(try SchemaTestSupport.value(field, "99999999999999999999") == .string("99999999999999999999"))
        for bad in ["1.0", "1.5", "1e3", "1__0", "_1", "0x10", "1 2", "\u{200B}1", "--5", "abc"] {
            #expect(try SchemaTestSupport.value(field, bad) == nil, "\(bad)")
        }
        #expect(try SchemaTestSupport.value(field, String(repeating: "1", count: 4301)) == nil)
    }

    @Test func integerWithoutBareNumberStripsDecoration() throws {
        let field = Field(name: "n", type: "integer", bareNumber: false)
        #expect(try SchemaTestSupport.value(field, "$1") == .integer(1))
        #expect(try SchemaTestSupport.value(field, "(5)") == .integer(5))
        #expect(try SchemaTestSupport.value(field, "€-5") == .integer(-5))
        #expect(try SchemaTestSupport.value(field, ".5") == .integer(5))  // frictionless quirk
        #expect(try SchemaTestSupport.value(field, "-$5") == nil)
        #expect(try SchemaTestSupport.value(field, "-") == nil)
    }

    @Test func numberFollowsPythonDecimal() throws {
        let field = Field(name: "x", type: "number")
        #expect(try SchemaTestSupport.value(field, " 1.50 ") == .number(1.5))
        #expect(try SchemaTestSupport.value(field, ".5") == .number(0.5))
        #expect(try SchemaTestSupport.value(field, "5.") == .number(5))
        #expect(try SchemaTestSupport.value(field, "1E-3") == .number(0.001))
        #expect(try SchemaTestSupport.value(field, "_1_0_") == .number(10))
        #expect(try SchemaTestSupport.value(field, "-Infinity") == .number(-.infinity))
        #expect(try SchemaTestSupport.value(field, "1e999999999") == .number(.infinity))
        if case .number(let nan)? = try SchemaTestSupport.value(field, "NaN") { #expect(nan.isNaN) } else { Issue.record("NaN") }
        for bad in ["1,5", ".", "e5", "1e", "0x1", "1.5.5", "1 .5", "inff", "$5", "1e9999999999999999999"] {
            #expect(try SchemaTestSupport.value(field, bad) == nil, "\(bad)")
        }
    }

    @Test func numberSeparators() throws {
        let european = Field(name: "x", type: "number", decimalChar: ",", groupChar: ".")
        #expect(try SchemaTestSupport.value(european, "1.234,5") == .number(1234.5))
        #expect(try SchemaTestSupport.value(european, "1.5") == .number(15))
        let comma = Field(name: "x", type: "number", decimalChar: ",")
        #expect(try SchemaTestSupport.value(comma, "1,5") == .number(1.5))
        #expect(try SchemaTestSupport.value(comma, "1.5") == nil)
        let spaced = Field(name: "x", type: "number", groupChar: " ")
        #expect(try SchemaTestSupport.value(spaced, "1 000 000") == .number(1_000_000))
        #expect(try SchemaTestSupport.value(spaced, "1\u{A0}000") == nil)
        let money = Field(name: "x", type: "number", bareNumber: false)
        #expect(try SchemaTestSupport.value(money, "$1.5") == .number(1.5))
        #expect(try SchemaTestSupport.value(money, "12.5 %") == .number(12.5))
        #expect(try SchemaTestSupport.value(money, "EUR 1,000") == nil)
    }

    @Test func booleans() throws {
        let field = Field(name: "b", type: "boolean")
        for text in ["true", "True", "TRUE", "1"] { #expect(try SchemaTestSupport.value(field, text) == .bool(true)) }
        for text in ["false", "False", "FALSE", "0"] { #expect(try SchemaTestSupport.value(field, text) == .bool(false)) }
        for text in ["yes", "tRUE", " true", "1.0"] { #expect(try SchemaTestSupport.value(field, text) == nil) }
        let custom = Field(name: "b", type: "boolean", trueValues: ["oui", "both"], falseValues: ["non", "both"])
        #expect(try SchemaTestSupport.value(custom, "oui") == .bool(true))
        #expect(try SchemaTestSupport.value(custom, "both") == .bool(false))  // falseValues win, as in frictionless
        #expect(try SchemaTestSupport.value(custom, "true") == nil)
    }
}
