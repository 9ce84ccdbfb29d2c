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
        func delivery(_ body: String, _ properties: MessageProperties = MessageProperties()) -> Delivery {
            Delivery(deliveryTag: 1, generation: 1, queue: "q", exchange: "x", routingKey: "job.submit", redelivered: false,
                     properties: properties, body: Array(body.utf8))
        }
        let duplicated = #"{"id":"1","type":"job.submit","version":1,"correlationId":"c","version":2}"#
        #expect { try EnvelopeCheck.head(of: delivery(duplicated)) } throws: { ($0 as? SluiceError)?.code == "message.duplicate-key" }
        #expect { try EnvelopeCheck.head(of: delivery(#"{"id":"\u0000"}"#)) } throws: {
            ($0 as? SluiceError)?.code == "message.nul-character"
        }
        #expect(throws: SluiceError.self) { try EnvelopeCheck.head(of: delivery("nope")) }
        let body = #"{"id":"1","type":"job.submit","version":1,"correlationId":"c"}"#
        let ok = try? EnvelopeCheck.head(of: delivery(body))
        #expect(ok?.type == "job.submit")
        // Mirrored properties give the head without reading the body; the body is still scanned.
        let mirrored = MessageProperties(messageId: "1", type: "job.submit", correlationId: "c",
                                         headers: ["x-sluice-version": .int(1), "x-sluice-job-id": .string("j")])
        let routed = try? EnvelopeCheck.head(of: delivery("not read", mirrored))
        #expect(routed?.id == "1" && routed?.jobId == "j" && routed?.version == 1)
        #expect { try EnvelopeCheck.head(of: delivery(duplicated, mirrored)) } throws: {
            ($0 as? SluiceError)?.code == "message.duplicate-key"
        }
        // The handler's decode must find the same head in the body.
        let same = EnvelopeHead(id: "1", type: "job.submit", version: 1, jobId: "j", correlationId: "c")
        #expect(throws: Never.self) { try EnvelopeCheck.agree(same, same) }
        var other = same
        other.version = 2
        #expect { try EnvelopeCheck.agree(same, other) } throws: { ($0 as? SluiceError)?.code == "message.properties-mismatch" }
        #expect(EnvelopeCheck.undecodableHead(Array("nope".utf8))?.code == "message.undecodable")
        #expect(EnvelopeCheck.undecodableHead(Array(body.utf8)) == nil)
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
