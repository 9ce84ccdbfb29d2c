import APIModels
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

    /// How far a job must be for a kill of `service` to land mid-job.
    static func midway(_ service: String, _ progress: JobProgress?) -> Bool {
        guard let progress else { return false }
        switch service {
        case "ingest": return progress.chunksIngested >= 30
        case "validate": return progress.chunksValidated >= 20
        case "transform": return progress.chunksTransformed >= 20
        default: return progress.chunksTransformed >= 100  // publish is running its pass ahead
        }
    }

    @Test("a data-plane service killed with SIGKILL mid-job and restarted: identical artifacts, every row once",
          arguments: ["ingest", "validate", "transform", "publish"])
    func killMidJob(service: String) async throws {
        let pipeline = try TestPipeline(overrides: ["consumer.prefetch": "20"])
        try await pipeline.start(TestPipeline.all.filter { $0 != service })
        let port = try env.freePort()
        var process = try ServiceProcess(service, prefix: pipeline.prefix, overrides: ["http.port": "\(port)"])
        pipeline.register(service, port: port)
        let schema = try EndToEndTests.schema()
        let rows = 6000
        let content = Self.csv(rows: rows)
        func job(_ id: String) -> JobSubmit {
            JobSubmit(jobId: id, idempotencyKey: id, name: "faulty.csv", source: .inline(content), chunkSize: 10, schema: schema)
        }
        let faulty = "job-kill-\(service)-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(job(faulty))
        let midway = try await env.eventually(timeout: .seconds(180), every: .milliseconds(10)) {
            Self.midway(service, try await pipeline.progress(faulty))
        }
        #expect(midway, "\(service) never got going: \(process.output)")
        await process.kill()
        let atKill = try await pipeline.progress(faulty)
        #expect(atKill?.state != "published", "the kill should land mid-job")
        process = try ServiceProcess(service, prefix: pipeline.prefix, overrides: ["http.port": "\(port)"])
        let end = try await pipeline.waitForEnd(faulty, timeout: .seconds(180))
        #expect(end.state == "published", "\(service) log: \(process.output)")

        let clean = "job-clean-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(job(clean))
        #expect(try await pipeline.waitForEnd(clean, timeout: .seconds(180)).state == "published")

        let faultyCSV = try await pipeline.artifact(faulty, "output.csv")
        let cleanCSV = try await pipeline.artifact(clean, "output.csv")
        #expect(faultyCSV == cleanCSV)
        let lines = String(decoding: faultyCSV, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1 + rows - rows / 7, "header plus every valid row exactly once")
        #expect(Set(lines).count == lines.count, "no duplicate rows")
        let faultySummary = String(decoding: try await pipeline.artifact(faulty, "summary.json"), as: UTF8.self)
            .replacingOccurrences(of: faulty, with: "JOB")
        let cleanSummary = String(decoding: try await pipeline.artifact(clean, "summary.json"), as: UTF8.self)
            .replacingOccurrences(of: clean, with: "JOB")
        #expect(faultySummary == cleanSummary)

        // validate's own records are written once per chunk whoever crashed.
        try await env.withDatabase(env.adminDatabase(schema: env.schema("validate", prefix: pipeline.prefix))) { db in
            let rows = try await db.client.query("""
                SELECT count(*), count(DISTINCT (chunk_index, line, code)) FROM record_errors WHERE job_id = \(faulty)
                """, logger: env.logger)
            for try await (all, distinct) in rows.decode((Int, Int).self) {
                #expect(all == distinct && all == 6000 / 7)
            }
        }
        await process.terminate()
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
