import Testing
@testable import Validation
import Contracts
import Tabular

@Suite("Geopoint, object, array and any readers")
struct StructuredParserTests {
    typealias Field = TableSchema.Field

    @Test func geopointDefault() throws {
        let field = Field(name: "p", type: "geopoint")
        #expect(try SchemaTestSupport.value(field, " 90 , 45 ") == .string("90,45"))
        #expect(try SchemaTestSupport.value(field, "1e2,5") == .string("100,5"))
        #expect(try SchemaTestSupport.value(field, "-180,-90") == .string("-180,-90"))
        for bad in ["180.0001,0", "0,91", "1,2,3", "a,b", "nan,0", "inf,0", "1,", "45"] {
            #expect(try SchemaTestSupport.value(field, bad) == nil, "\(bad)")
        }
    }

    @Test func geopointArrayAndObject() throws {
        let array = Field(name: "p", type: "geopoint", format: "array")
        #expect(try SchemaTestSupport.value(array, "[90, 45]") == .string("90,45"))
        #expect(try SchemaTestSupport.value(array, "[\"90\", \"45\"]") == .string("90,45"))
        #expect(try SchemaTestSupport.value(array, "[true, false]") == .string("1,0"))
        #expect(try SchemaTestSupport.value(array, "\"12\"") == .string("1,2"))  // Python unpacks strings
        #expect(try SchemaTestSupport.value(array, "[90.5, -45.25]") == .string("90.5,-45.25"))
        for bad in ["[90,45,1]", "[null,1]", "[NaN, 1]", "[1.5e400, 1]", "[1,2]x"] {
            #expect(try SchemaTestSupport.value(array, bad) == nil, "\(bad)")
        }
        let object = Field(name: "p", type: "geopoint", format: "object")
        #expect(try SchemaTestSupport.value(object, "{\"lat\": 45, \"lon\": 90}") == .string("90,45"))
        #expect(try SchemaTestSupport.value(object, "{\"lon\":1,\"lat\":2,\"lon\":3}") == .string("3,2"))
        #expect(try SchemaTestSupport.value(object, "{\"lon\": 90, \"lat\": 45, \"x\": 1}") == nil)
        #expect(try SchemaTestSupport.value(object, "[1,2]") == nil)
    }

    @Test func jsonObjectsAndArrays() throws {
        let object = Field(name: "o", type: "object")
        #expect(try SchemaTestSupport.value(object, " {\"a\": [1, 2]} ") == .string(" {\"a\": [1, 2]} "))
        #expect(try SchemaTestSupport.value(object, "{\"a\": NaN}") != nil)
        for bad in ["[]", "1", "null", "{\"a\":1,}", "{a:1}", "{\"a\":\"x\ty\"}", "\u{FEFF}{}"] {
            #expect(try SchemaTestSupport.value(object, bad) == nil, "\(bad)")
        }
        let array = Field(name: "a", type: "array")
        #expect(try SchemaTestSupport.value(array, "[1, [2, 3], {\"k\": null}]") != nil)
        for bad in ["{}", "[01]", "[1.]", "[\"a\",]", "[1,2]x"] {
            #expect(try SchemaTestSupport.value(array, bad) == nil, "\(bad)")
        }
    }

    @Test func anyKeepsText() throws {
        let field = Field(name: "x", type: "any")
        #expect(try SchemaTestSupport.value(field, " anything at all ") == .string(" anything at all "))
    }

    @Test func jsonEqualityFollowsPython() {
        func key(_ text: String) -> String? { JSONText.parse(text)?.equalityKey }
        #expect(key("[1, true, 1.0]") == key("[1.0, 1, true]"))
        #expect(key("{\"a\": 1, \"b\": 2}") == key("{\"b\": 2.0, \"a\": 1}"))
        #expect(key("{\"a\": 1, \"a\": 2}") == key("{\"a\": 2}"))
        #expect(key("[\"\\u00e9\"]") == key("[\"é\"]"))
        #expect(key("[\"é\"]") != key("[\"e\\u0301\"]"))
        #expect(key("[NaN]") == nil)
        #expect(JSONText.parse("{\"a\":1,\"a\":2}")?.count == 1)
    }

    @Test func pythonJSONGrammar() {
        #expect(JSONText.parse(" \t\r\n[1]\n") != nil)
        #expect(JSONText.parse("\u{A0}[1]") == nil)  // only JSON whitespace
        #expect(JSONText.parse("[-Infinity, Infinity, NaN]") != nil)
        #expect(JSONText.parse("[-inf]") == nil)
        #expect(JSONText.parse("[1e400]").map { if case .array(let items) = $0, case .float(let value) = items[0] { return value.isInfinite } else { return false } } == true)
        #expect(JSONText.parse("\"\\ud800\"")?.count == 1)  // lone surrogates are kept
        #expect(JSONText.parse("\"\\x\"") == nil)
        #expect(JSONText.parse("[1e+]") == nil)
        #expect(JSONText.parse("[" + String(repeating: "1", count: 4301) + "]") == nil)
        #expect(JSONText.parse(String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)) == nil)
    }

    @Test func exactDoubleExpansion() {
        #expect(DecimalNumber(exactly: 0.5).key == "5e-1")
        #expect(DecimalNumber(exactly: 0.1).plainText.hasPrefix("0.1000000000000000055511151231257827"))
        #expect(DecimalNumber(exactly: 1e20).key == "1e20")
        #expect(DecimalNumber(exactly: -0.0).key == "0")
    }
}
