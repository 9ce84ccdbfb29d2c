import Catalog
import Contracts
import Foundation
import Messaging
import MetricsService
import Outbound
import PostgresNIO
import Runtime
import Tabular
@testable import TestSupport
import Testing

/// The pipeline end to end on a real broker and database.
@Suite("End to end (real RabbitMQ and PostgreSQL)")
struct EndToEndTests {
    let env = TestEnvironment.self
    static var root: String { TestEnvironment.packageRoot.path }
    static var examples: URL { TestEnvironment.packageRoot.appendingPathComponent("examples/gradebook") }

    static func schema() throws -> TableSchema {
        try JSONCoding.decode(TableSchema.self, from: [UInt8](try Data(contentsOf: examples.appendingPathComponent("schema.json"))))
    }

    static func gradebookJob(_ id: String) throws -> JobSubmit {
        JobSubmit(jobId: id, idempotencyKey: id, name: "gradebook.csv",
                  source: .path(examples.appendingPathComponent("gradebook.csv").path), schema: try schema())
    }

    @Test("the example gradebook produces the expected CSV and summary, byte for byte")
    func goldenGradebook() async throws {
        let pipeline = try TestPipeline(overrides: ["ingest.roots": Self.root])
        try await pipeline.start()
        let jobId = "job-golden-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(try Self.gradebookJob(jobId))
        let end = try await pipeline.waitForEnd(jobId)
        #expect(end.state == "published")
        #expect(end.rowsTotal == 12 && end.rowsValid == 8 && end.rowsInvalid == 4)
        let csv = try await pipeline.artifact(jobId, "output.csv")
        let summary = String(decoding: try await pipeline.artifact(jobId, "summary.json"), as: UTF8.self)
            .replacingOccurrences(of: jobId, with: "JOB_ID")
        #expect(csv == [UInt8](try Data(contentsOf: Self.examples.appendingPathComponent("expected/output.csv"))))
        #expect(summary == (try String(contentsOf: Self.examples.appendingPathComponent("expected/summary.json"), encoding: .utf8)))
        // Operational endpoints (with the wait the other helpers allow: under the full suite
        // this one process runs the services of dozens of pipelines on two cores).
        for service in TestPipeline.all {
            #expect(try await Outbound.get(url: pipeline.url(service, "/health"), timeout: .seconds(30)).status == 200)
            #expect(try await Outbound.get(url: pipeline.url(service, "/ready"), timeout: .seconds(30)).status == 200,
                    "\(service) not ready")
        }
        let metrics = String(decoding: try await Outbound.get(url: pipeline.url("validate", "/metrics"), timeout: .seconds(30)).body,
                             as: UTF8.self)
        #expect(metrics.contains(#"sluice_messages_consumed_total{outcome="ok",service="validate",type="chunk.ingested"} 1"#))
        #expect(metrics.contains("sluice_handler_duration_seconds_bucket"))
        await pipeline.stopAll()
    }

    @Test("a header without a schema column fails the job once, with a reason, and files an incident")
    func missingColumnFailsJob() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start()
        let jobId = "job-missing-\(UUID().uuidString.lowercased())"
        var job = try Self.gradebookJob(jobId)
        job.source = .inline("student_id,name,course,attendance\nS1,Ann,Maths,0.9\n")
        try await pipeline.submit(job)
        let end = try await pipeline.waitForEnd(jobId)
        #expect(end.state == "failed")
        #expect(end.failureReason?.contains("validate.missing-column") == true)
        #expect(end.failureReason?.contains("grade") == true)
        struct Letter: Decodable { var jobId: String?; var errorType: String; var incidentId: String? }
        let recorded = try await env.eventually {
            try await pipeline.getJSON([Letter].self, "incident", "/dead-letters?job=\(jobId)").count == 1
        }
        #expect(recorded)
        let letters = try await pipeline.getJSON([Letter].self, "incident", "/dead-letters?job=\(jobId)")
        #expect(letters.first?.errorType == "validate.missing-column" && letters.first?.incidentId != nil)
        await pipeline.stopAll()
    }

    @Test("a poison message becomes one dead letter and an incident, and the pipeline keeps flowing")
    func poisonMessage() async throws {
        let pipeline = try TestPipeline(overrides: ["ingest.roots": Self.root])
        try await pipeline.start()
        let topology = SluiceTopology(prefix: pipeline.prefix, subscriptions: ServiceCatalog.subscriptions)
        let poisonId = "poison-\(UUID().uuidString.lowercased())"
        try await pipeline.publisher.publish([OutgoingMessage(
            exchange: topology.eventsExchange, routingKey: "job.submit", body: Array("{this is not json".utf8),
            properties: MessageProperties(messageId: poisonId, type: "job.submit"))])
        let unknownType = "u-\(UUID().uuidString.lowercased())"
        try await pipeline.publisher.publish([OutgoingMessage(
            exchange: topology.eventsExchange, routingKey: "job.submit",
            body: Array(#"{"id":"\#(unknownType)","type":"job.teleport","version":1,"correlationId":"c"}"#.utf8),
            properties: MessageProperties(messageId: unknownType, type: "job.teleport"))])
        let wrongVersion = "v9-\(UUID().uuidString.lowercased())"
        let body = #"{"id":"\#(wrongVersion)","type":"job.submit","version":9,"correlationId":"c","payload":{}}"#
        try await pipeline.publisher.publish([OutgoingMessage(
            exchange: topology.eventsExchange, routingKey: "job.submit", body: Array(body.utf8),
            properties: MessageProperties(messageId: wrongVersion, type: "job.submit"))])

        let duplicate = "dup-\(UUID().uuidString.lowercased())"
        let twice = #"{"id":"\#(duplicate)","type":"job.submit","version":1,"correlationId":"c","payload":{},"version":1}"#
        try await pipeline.publisher.publish([OutgoingMessage(
            exchange: topology.eventsExchange, routingKey: "job.submit", body: Array(twice.utf8),
            properties: MessageProperties(messageId: duplicate, type: "job.submit"))])
        let jobId = "job-after-poison-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(try Self.gradebookJob(jobId))
        #expect(try await pipeline.waitForEnd(jobId).state == "published")

        struct Letter: Decodable { var messageId: String?; var errorType: String; var attempts: Int; var incidentId: String? }
        var letters: [Letter] = []
        _ = try await env.eventually {
            letters = try await pipeline.getJSON([Letter].self, "incident", "/dead-letters")
            return letters.contains { $0.messageId == poisonId } && letters.contains { $0.messageId == wrongVersion }
                && letters.contains { $0.messageId == duplicate }
        }
        try await Task.sleep(for: .seconds(1))  // a retry loop would add more letters by now
        letters = try await pipeline.getJSON([Letter].self, "incident", "/dead-letters")
        let poison = letters.filter { $0.messageId == poisonId }
        #expect(poison.count == 1)
        #expect(poison.first?.errorType == "message.undecodable")
        #expect(poison.first?.attempts == 1, "permanent errors are never retried")
        #expect(poison.first?.incidentId != nil)
        #expect(letters.filter { $0.messageId == wrongVersion }.map(\.errorType) == ["message.unsupported-version"])
        #expect(letters.filter { $0.messageId == unknownType }.map(\.errorType) == ["message.unknown-type"])
        #expect(letters.filter { $0.messageId == duplicate }.map(\.errorType) == ["message.duplicate-key"])
        // Each malformed kind is one incident with a clear reason from the catalog.
        struct IncidentRow: Decodable { var id: String; var errorType: String; var state: String; var count: Int; var ruleId: String? }
        let incidents = try await pipeline.getJSON([IncidentRow].self, "incident", "/incidents")
        #expect(incidents.contains { $0.id == poison.first?.incidentId && $0.state == "open" })
        let byType = Dictionary(incidents.map { ($0.errorType, $0) }) { a, _ in a }
        for (type, rule) in [("message.undecodable", "message-malformed"), ("message.duplicate-key", "message-malformed"),
                             ("message.unknown-type", "message-unknown-type"),
                             ("message.unsupported-version", "message-unknown-type")] {
            #expect(byType[type]?.count == 1 && byType[type]?.ruleId == rule, "\(type): \(String(describing: byType[type]))")
        }
        await pipeline.stopAll()
    }

    @Test("a second submission with the same key, even with other content while the first runs, changes nothing")
    func conflictingSubmission() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start()
        let jobId = "job-conflict-\(UUID().uuidString.lowercased())"
        let first = JobSubmit(jobId: jobId, idempotencyKey: jobId, name: "first.csv",
                              source: .inline(FaultTests.csv(rows: 3000)), chunkSize: 50)
        var second = first
        second.source = .inline("student_id,name\nX1,Intruder\n")
        second.chunkSize = 1
        try await pipeline.submit(first)
        _ = try await env.eventually(every: .milliseconds(10)) { ((try? await pipeline.progress(jobId))??.chunksIngested ?? 0) > 0 }
        try await pipeline.submit(second)
        // 60 chunks: under the full suite's load a job of hundreds of chunks can take minutes.
        let end = try await pipeline.waitForEnd(jobId, timeout: .seconds(240))
        #expect(end.state == "published" && end.rowsTotal == 3000 && end.rowsValid == 3000, "\(end)")
        let csv = String(decoding: try await pipeline.artifact(jobId, "output.csv"), as: UTF8.self)
        #expect(!csv.contains("Intruder"))
        #expect(csv.split(separator: "\n").count == 3001)
        await pipeline.stopAll()
    }

    @Test("a NUL character in a cell does not stall the job")
    func nulCharacter() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nul-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("a,b\n1,x\u{0}y\n2,z\n".utf8).write(to: directory.appendingPathComponent("nul.csv"))
        let pipeline = try TestPipeline(overrides: ["ingest.roots": directory.path])
        try await pipeline.start()
        let jobId = "job-nul-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(JobSubmit(jobId: jobId, idempotencyKey: jobId, name: "nul.csv", source: .path("nul.csv")))
        let end = try await pipeline.waitForEnd(jobId)
        #expect(end.state == "published" && end.rowsValid == 2)
        let csv = String(decoding: try await pipeline.artifact(jobId, "output.csv"), as: UTF8.self)
        #expect(csv == "a,b\n1,x\u{FFFD}y\n2,z\n")
        await pipeline.stopAll()
    }

    @Test("a duplicate submission (same idempotency key) creates nothing new")
    func duplicateSubmission() async throws {
        let pipeline = try TestPipeline(overrides: ["ingest.roots": Self.root])
        try await pipeline.start()
        let jobId = "job-dup-\(UUID().uuidString.lowercased())"
        var job = try Self.gradebookJob(jobId)
        job.chunkSize = 4
        try await pipeline.submit(job)
        try await pipeline.submit(job)                      // a retrying producer: new message id
        try await pipeline.submit(job, messageId: "same-\(jobId)")
        try await pipeline.submit(job, messageId: "same-\(jobId)")  // a redelivery: same message id
        let end = try await pipeline.waitForEnd(jobId)
        try await Task.sleep(for: .seconds(1))
        let settled = try #require(try await pipeline.progress(jobId))
        #expect(end.state == "published")
        #expect(settled.chunksTotal == 3 && settled.chunksIngested == 3 && settled.chunksValidated == 3)
        #expect(settled.rowsValid == 8 && settled.rowsInvalid == 4)
        await pipeline.stopAll()
    }
}
