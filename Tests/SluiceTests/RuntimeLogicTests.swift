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

/// Rules as plain values and functions, tested directly (no broker, no database).
@Suite("Runtime rules")
struct RuntimeLogicTests {
    @Test("retry delays grow by the multiplier up to the cap; jitter only shortens")
    func retryPolicy() {
        let policy = RetryPolicy(initialDelay: .seconds(1), multiplier: 4, maxDelay: .seconds(30), jitter: 0.2, maxAttempts: 5)
        #expect((1...4).map(policy.delayMilliseconds(afterAttempt:)) == [1000, 4000, 16000, 30000])
        #expect(policy.delayLevels == [1000, 4000, 16000, 30000])
        for _ in 0..<200 {
            let jittered = policy.jitteredMilliseconds(afterAttempt: 2)
            #expect((3200...4000).contains(jittered))
        }
        #expect(RetryPolicy(maxAttempts: 1).delayLevels.isEmpty)
    }

    @Test("configuration precedence is flags > environment > file > defaults")
    func configPrecedence() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID()).json")
        try Data(#"{"http": {"port": 9001}, "db": {"host": "file-host", "port": 7000}, "amqp.url": "amqp://f@h/v"}"#.utf8)
            .write(to: file)
        let values = try ConfigValues(flags: ["http.port=9003"], environment: ["SLUICE_HTTP_PORT": "9002", "SLUICE_DB_HOST": "env-host", "HOME": "/x"],
                                      file: file.path)
        let config = try RuntimeConfig(service: "ingest", values: values)
        #expect(config.httpPort == 9003)
        #expect(config.database.host == "env-host")
        #expect(config.database.port == 7000)
        #expect(config.database.user == "sluice_ingest" && config.database.schema == "ingest")
        #expect(config.amqp.host == "h" && config.amqp.vhost == "v")
        #expect(throws: SluiceError.self) { try RuntimeConfig(service: "x", values: ConfigValues(["http.port": "eighty"])) }
    }

    @Test("AMQP URLs parse, including TLS, vhost escapes and query options")
    func amqpURL() throws {
        let plain = try AMQPConfig(url: "amqp://u:p%40ss@broker:5673/%2F?heartbeat=10")
        #expect(plain.user == "u" && plain.password == "p@ss" && plain.host == "broker" && plain.port == 5673)
        #expect(plain.vhost == "/" && plain.heartbeatSeconds == 10 && !plain.tls)
        let tls = try AMQPConfig(url: "amqps://u:p@broker/prod?cacertfile=/ca.pem")
        #expect(tls.tls && tls.port == 5671 && tls.vhost == "prod" && tls.caCertificatePath == "/ca.pem")
        #expect(!tls.redacted.contains("p@"))
        #expect(throws: TransportError.self) { try AMQPConfig(url: "http://nope") }
    }

    @Test("trace context: children keep the trace id and get a new span")
    func traceParent() {
        let root = TraceParent.new()
        #expect(TraceParent.isValid(root))
        let child = TraceParent.child(of: root)
        #expect(child.split(separator: "-")[1] == root.split(separator: "-")[1])
        #expect(child != root)
        #expect(TraceParent.isValid(TraceParent.child(of: "garbage")))
    }

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

    @Test("topology names derive from the prefix; incident consumes every DLQ")
    func topologyNames() {
        let t = SluiceTopology(prefix: "p")
        #expect(t.queue("ingest") == "p.ingest" && t.deadLetterQueue("ingest") == "p.ingest.dlq")
        #expect(t.serviceOfDeadLetterQueue("p.validate.dlq") == "validate")
        #expect(t.serviceOfDeadLetterQueue("p.validate") == nil)
        #expect(t.consumedQueues("incident").count == 1 + SluiceTopology.consumingServices.count)
        let all = t.all()
        #expect(all.bindings.contains { $0.queue == "p.validate" && $0.routingKey == "chunk.ingested" })
        let retry = all.queues.first { $0.name == "p.ingest.retry.1000ms" }
        #expect(retry?.arguments["x-dead-letter-routing-key"] == .string("p.ingest"))
    }

    @Test("incident fingerprints ignore ids, numbers and timestamps")
    func fingerprintMasking() {
        let a = Failure.mask("job job-8b33b148-bbaa-4830-b215-28156da5696b failed at 2026-11-22T10:00:01Z after 3 tries")
        let b = Failure.mask("job job-aaaaaaaa-bbbb-4830-b215-000000000000 failed at 2026-11-23T11:12:13.5Z after 7 tries")
        #expect(a == b)
        #expect(Failure.mask("timeout") != Failure.mask("refused"))
    }

    @Test("without a schema, structural rules report missing and extra cells and blank rows per record")
    func recordRules() {
        let header = ["id", "x"]
        #expect(RecordRules.check(Record(line: 2, values: ["1", "a"]), header: header).isEmpty)
        #expect(RecordRules.check(Record(line: 4, values: ["1"]), header: header).map(\.code) == ["missing-cell"])
        #expect(RecordRules.check(Record(line: 5, values: ["1", "a", "b"]), header: header).map(\.code) == ["extra-cell"])
        #expect(RecordRules.check(Record(line: 6, values: [.null, .null]), header: header).map(\.code) == ["blank-row"])
    }

    @Test("the standard clean-up trims text and turns numbers into numbers")
    func standardCleanup() {
        let out = StandardCleanup.apply(Record(line: 1, values: [" a ", " 42 ", "3.50", "007", "true"]))
        #expect(out.values == [.string("a"), .integer(42), .number(3.5), .string("007"), .string("true")])
    }

    @Test("a path source must resolve inside an ingest root; traversal and symlink escapes are refused")
    func pathResolution() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("root-\(UUID())")
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID()).csv")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("a\n1\n".utf8).write(to: root.appendingPathComponent("in.csv"))
        try Data("a\n1\n".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link.csv"), withDestinationURL: outside)
        #expect(try PathResolver.resolve("in.csv", roots: [root.path]).hasSuffix("/in.csv"))
        for bad in ["../\(outside.lastPathComponent)", "link.csv", outside.path] {
            #expect { try PathResolver.resolve(bad, roots: [root.path]) } throws: {
                ($0 as? SluiceError)?.code == "ingest.path-outside-root"
            }
        }
        #expect { try PathResolver.resolve("missing.csv", roots: [root.path]) } throws: {
            ($0 as? SluiceError)?.code == "ingest.file-not-found"
        }
    }
}
