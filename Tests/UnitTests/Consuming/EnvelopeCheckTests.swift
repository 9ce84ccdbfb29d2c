import Catalog
@testable import Consuming
import Contracts
import Foundation
@testable import Hosting
@testable import IncidentService
@testable import IngestService
import Messaging
import PostgresNIO
@testable import Runtime
import Tabular
import Testing
@testable import TransformService
@testable import ValidateService

@Suite("Envelope checks and error classes")
struct EnvelopeCheckTests {
    @Test("bodies that can never succeed are permanent errors")
    func envelopeChecks() {
        #expect(JSONKeyScan.scan(Array(#"{"a":"x\u0000y"}"#.utf8)) == .nulEscape)
        #expect(JSONKeyScan.scan(Array(#"{"a":"x\\u0000y"}"#.utf8)) == nil, "an escaped backslash, then text")
        // Duplicate keys in any object, also when spelled with escapes; the same key in
        // sibling or nested objects is fine.
        #expect(JSONKeyScan.scan(Array(#"{"id":"1","type":"t","id":"2"}"#.utf8)) == .duplicateKey("id"))
        #expect(JSONKeyScan.scan(Array(#"{"p":{"records":[{"a":1,"b":2},{"a":1,"a":3}]}}"#.utf8)) == .duplicateKey("a"))
        #expect(JSONKeyScan.scan(Array(#"{"a":1,"\u0061":2}"#.utf8)) == .duplicateKey("a"))
        #expect(JSONKeyScan.scan(Array(#"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}],"c":"a,"a":"}"#.utf8)) == nil)
        let duplicated = Array(#"{"id":"1","type":"job.submit","version":1,"correlationId":"c","version":2}"#.utf8)
        #expect { try EnvelopeCheck.head(of: duplicated) } throws: { ($0 as? SluiceError)?.code == "message.duplicate-key" }
        #expect { try EnvelopeCheck.head(of: Array(#"{"id":"\u0000"}"#.utf8)) } throws: {
            ($0 as? SluiceError)?.code == "message.nul-character"
        }
        #expect(throws: SluiceError.self) { try EnvelopeCheck.head(of: Array("nope".utf8)) }
        let ok = try? EnvelopeCheck.head(of: Array(#"{"id":"1","type":"job.submit","version":1,"correlationId":"c"}"#.utf8))
        #expect(ok?.type == "job.submit")
    }
    @Test("errors are classified transient or permanent")
    func classification() {
        #expect(Dispatcher.classify(SluiceError.permanent("x", "y")).disposition == .permanent)
        #expect(Dispatcher.classify(TransportError.connectionLost("x")).disposition == .transient)
        #expect(Dispatcher.classify(DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "d"))).disposition == .permanent)
        struct Odd: Error {}
        #expect(Dispatcher.classify(Odd()).disposition == .transient)
    }
}
