import Testing
import Toolkit

@Suite("Percent-encoding")
struct PercentEncodingTests {
    @Test func onlyUnreservedBytesStay() {
        #expect(PercentEncoding.encode("aZ09-._~") == "aZ09-._~")
        #expect(PercentEncoding.encode("a b/c=d+e@f") == "a%20b%2Fc%3Dd%2Be%40f")
        #expect(PercentEncoding.encode("é") == "%C3%A9", "UTF-8 bytes, uppercase hex")
        #expect(PercentEncoding.encode("jobs/j 1/x", keepingSlashes: true) == "jobs/j%201/x")
        #expect(PercentEncoding.encode("") == "")
    }
}
