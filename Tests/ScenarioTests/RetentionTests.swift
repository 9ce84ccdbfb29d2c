import APIModels
import Contracts
import Foundation
import Tabular
@testable import TestSupport
import Testing
import Validation

/// Issue 10's retention: a finished job's intermediate chunks are deleted after
/// `retention.chunks.seconds` unless an incident not yet resolved refers to the job; its
/// artifacts stay (real RabbitMQ and PostgreSQL, the local object store).
@Suite("Chunk retention (real RabbitMQ and PostgreSQL)")
struct RetentionTests {
    let env = TestEnvironment.self

    /// Whether the job has chunks of `stage` in the store.
    func exists(_ jobId: String, _ stage: String) -> Bool {
        !((try? FileManager.default.contentsOfDirectory(atPath: env.objectRoot + "/jobs/\(jobId)/\(stage)")) ?? []).isEmpty
    }

    @Test("chunks go after the retention time while artifacts stay; an open incident holds a failed job's chunks until it is resolved")
    func retention() async throws {
        let pipeline = try TestPipeline(overrides: ["retention.chunks.seconds": "1", "retention.interval.seconds": "1",
                                                    "chunks.inline.bytes": "0"])
        try await pipeline.start(["incident"])
        try await pipeline.start(TestPipeline.all.filter { $0 != "incident" })
        let content = FaultTests.csv(rows: 30)
        let done = "job-kept-\(UUID().uuidString.lowercased())"
        let failing = "job-held-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(JobSubmit(jobId: done, idempotencyKey: done, source: .inline(content), chunkSize: 10))
        let schema = try JSONCoding.decode(TableSchema.self, from: Array("""
            {"fields": [{"name": "nowhere", "type": "string", "constraints": {"required": true}}]}
            """.utf8))
        try await pipeline.submit(JobSubmit(jobId: failing, idempotencyKey: failing, source: .inline(content), chunkSize: 10,
                                            schema: schema))
        #expect(try await pipeline.waitForEnd(done, timeout: .seconds(60)).state == "published")
        #expect(try await pipeline.waitForEnd(failing, timeout: .seconds(60)).state == "failed")

        let gone = try await env.eventually(timeout: .seconds(30)) {
            !exists(done, "ingested") && !exists(done, "validated") && !exists(done, "transformed")
        }
        #expect(gone, "the published job's chunks are deleted after the retention time")
        #expect(!(try await pipeline.artifact(done, "output.csv")).isEmpty, "its artifacts stay")

        try await Task.sleep(for: .seconds(3))  // several more rounds
        #expect(exists(failing, "ingested"), "an open incident holds the failed job's chunks")
        let incidents = try await pipeline.getJSON([Incident].self, "incident", "/incidents")
        let incident = try #require(incidents.first { $0.errorType == "validate.missing-column" }, "\(incidents.map(\.errorType))")
        _ = try await pipeline.call(Incident.self, "incident", "/incidents/\(incident.id)/resolve", [String: String]())
        let released = try await env.eventually(timeout: .seconds(30)) { !exists(failing, "ingested") }
        #expect(released, "resolved, the incident no longer holds them")
        await pipeline.stopAll()
    }
}
