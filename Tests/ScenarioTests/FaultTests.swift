import Contracts
import Foundation
import PostgresNIO
import Storage
@testable import TestSupport
import Testing

/// Crash faults against the real pipeline: outputs must equal a fault-free run.
@Suite("Faults (real RabbitMQ and PostgreSQL, child processes)")
struct FaultTests {
    let env = TestEnvironment.self

    /// A CSV with `rows` records, every 7th missing its required grade.
    static func csv(rows: Int) -> String {
        var text = "student_id,name,course,grade,attendance\n"
        for i in 1...rows {
            let grade = i % 7 == 0 ? "" : "\(50 + i % 50)"
            text += "S\(i),Student \(i),Course \(i % 5),\(grade),0.\(i % 10)\n"
        }
        return text
    }

    @Test("validate killed with SIGKILL mid-job and restarted: identical artifacts, no duplicate rows")
    func killValidateMidJob() async throws {
        let pipeline = try TestPipeline(overrides: ["consumer.prefetch": "20"])
        try await pipeline.start(TestPipeline.all.filter { $0 != "validate" })
        var validate = try ServiceProcess("validate", prefix: pipeline.prefix)
        let schema = try EndToEndTests.schema()
        let content = Self.csv(rows: 3000)
        func job(_ id: String) -> JobSubmit {
            JobSubmit(jobId: id, idempotencyKey: id, name: "faulty.csv", source: .inline(content), chunkSize: 10, schema: schema)
        }
        let faulty = "job-kill-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(job(faulty))
        let midway = try await env.eventually(timeout: .seconds(60), every: .milliseconds(20)) {
            (try await pipeline.progress(faulty)?.chunksValidated ?? 0) >= 20
        }
        #expect(midway, "validate never got going: \(validate.output)")
        await validate.kill()
        let atKill = try await pipeline.progress(faulty)
        #expect((atKill?.chunksValidated ?? 0) < 300, "the kill should land mid-job")
        validate = try ServiceProcess("validate", prefix: pipeline.prefix)
        let end = try await pipeline.waitForEnd(faulty, timeout: .seconds(120))
        #expect(end.state == "published", "validate log: \(validate.output)")

        let clean = "job-clean-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(job(clean))
        #expect(try await pipeline.waitForEnd(clean, timeout: .seconds(120)).state == "published")

        let faultyCSV = try await pipeline.artifact(faulty, "output.csv")
        let cleanCSV = try await pipeline.artifact(clean, "output.csv")
        #expect(faultyCSV == cleanCSV)
        let lines = String(decoding: faultyCSV, as: UTF8.self).split(separator: "\n")
        let expectedLines: Int = 1 + 3000 - 3000 / 7
        #expect(lines.count == expectedLines, "header plus every valid row exactly once")
        #expect(Set(lines).count == lines.count, "no duplicate rows")
        let faultySummary = String(decoding: try await pipeline.artifact(faulty, "summary.json"), as: UTF8.self)
            .replacingOccurrences(of: faulty, with: "JOB")
        let cleanSummary = String(decoding: try await pipeline.artifact(clean, "summary.json"), as: UTF8.self)
            .replacingOccurrences(of: clean, with: "JOB")
        #expect(faultySummary == cleanSummary)

        // validate's own records were written once per chunk despite the crash.
        try await env.withDatabase(env.adminDatabase(schema: env.schema("validate", prefix: pipeline.prefix))) { db in
            let rows = try await db.client.query("""
                SELECT count(*), count(DISTINCT (chunk_index, line, code)) FROM record_errors WHERE job_id = \(faulty)
                """, logger: env.logger)
            for try await (all, distinct) in rows.decode((Int, Int).self) {
                #expect(all == distinct && all == 3000 / 7)
            }
        }
        await validate.terminate()
        await pipeline.stopAll()
    }

    @Test("a service stopped with SIGTERM finishes in-flight work; the job completes after restart")
    func gracefulShutdown() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start(TestPipeline.all.filter { $0 != "transform" })
        var transform = try ServiceProcess("transform", prefix: pipeline.prefix)
        let jobId = "job-term-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(JobSubmit(jobId: jobId, idempotencyKey: jobId, name: "t.csv",
                                            source: .inline(Self.csv(rows: 2000)), chunkSize: 10))
        _ = try await env.eventually(timeout: .seconds(60), every: .milliseconds(20)) {
            (try await pipeline.progress(jobId)?.chunksTransformed ?? 0) >= 10
        }
        #expect(await transform.terminate(), "SIGTERM must stop the service gracefully: \(transform.output)")
        #expect(transform.process.terminationStatus == 0, "graceful exit: \(transform.output)")
        transform = try ServiceProcess("transform", prefix: pipeline.prefix)
        let end = try await pipeline.waitForEnd(jobId, timeout: .seconds(120))
        #expect(end.state == "published" && end.rowsValid == 2000)
        await transform.terminate()
        await pipeline.stopAll()
    }
}
