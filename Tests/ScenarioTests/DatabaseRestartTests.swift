import APIModels
import Contracts
import Foundation
import IncidentService
import Outbound
@testable import TestSupport
import Testing

/// Restarts PostgreSQL under a running job, so it runs on its own:
/// `swift test --filter DatabaseRestart` after the rest of the suite (see infra/test.sh).
@Suite("DatabaseRestart (real PostgreSQL, restarts it)", .serialized)
struct DatabaseRestartTests {
    let env = TestEnvironment.self

    @Test("an immediate PostgreSQL restart mid-job: every consumer recovers and the output equals a fault-free run")
    func immediateRestartMidJob() async throws {
        // Short bounds, so that if any await did hang it would surface as a retried timeout
        // within the test's wait rather than as a wedge.
        let pipeline = try TestPipeline(overrides: [
            "consumer.prefetch": "40", "db.timeout.query.ms": "10000", "db.timeout.transaction.ms": "20000",
            "consumer.stall.ms": "5000",
        ])
        try await pipeline.start()
        let schema = try EndToEndTests.schema()
        let content = FaultTests.csv(rows: 20_000)
        func job(_ id: String) -> JobSubmit {
            JobSubmit(jobId: id, idempotencyKey: id, name: "restart.csv", source: .inline(content), chunkSize: 20,
                      schema: schema)
        }
        let faulty = "job-pgrestart-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(job(faulty))
        let midway = try await env.eventually(timeout: .seconds(60), every: .milliseconds(20)) {
            (try await pipeline.progress(faulty)?.chunksValidated ?? 0) >= 30
        }
        #expect(midway, "the job never got going")
        let atRestart = try await pipeline.progress(faulty)

        let restart = Process()
        restart.executableURL = env.packageRoot.appendingPathComponent("infra/local/restart-postgres.sh")
        try restart.run()
        while restart.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(restart.terminationStatus == 0, "pg_ctl restart failed")
        #expect((atRestart?.chunksTransformed ?? 0) < 800, "the restart should land mid-job")

        let end = try await pipeline.waitForEnd(faulty, timeout: .seconds(240))
        #expect(end.state == "published", "the job must finish after the restart (state \(end.state))")

        // A job submitted after the restart goes through every stage too (ingest included).
        let clean = "job-pgclean-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(job(clean))
        #expect(try await pipeline.waitForEnd(clean, timeout: .seconds(120)).state == "published")

        let faultyCSV = try await pipeline.artifact(faulty, "output.csv")
        #expect(faultyCSV == (try await pipeline.artifact(clean, "output.csv")), "identical output")
        let lines = String(decoding: faultyCSV, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1 + 20_000 - 20_000 / 7 && Set(lines).count == lines.count,
                "header plus every valid row exactly once")
        let summaries = try await [faulty, clean].asyncMap { id in
            String(decoding: try await pipeline.artifact(id, "summary.json"), as: UTF8.self)
                .replacingOccurrences(of: id, with: "JOB")
        }
        #expect(summaries[0] == summaries[1])

        // Every service is ready again and no consumer is left holding deliveries.
        for service in TestPipeline.all {
            let ready = try await Outbound.get(url: pipeline.url(service, "/ready"), timeout: .seconds(10))
            #expect(ready.status == 200, "\(service) is not ready after the restart")
            let metrics = try await Outbound.get(url: pipeline.url(service, "/metrics"), timeout: .seconds(10))
            #expect(!String(decoding: metrics.body, as: UTF8.self).contains("sluice_consumer_stalled{service=\"\(service)\"} 1"),
                    "\(service) still reports a stall")
        }
        #expect(try await pipeline.getJSON([StoredFailure].self, "incident", "/dead-letters").isEmpty,
                "nothing was dead-lettered: the restart only caused retries")
        await pipeline.stopAll()
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
