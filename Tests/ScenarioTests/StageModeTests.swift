import Contracts
import Foundation
import Hummingbird
import Outbound
import Plans
import Tabular
@testable import TestSupport
import Testing
import Toolkit

/// Issue 3's pipeline end to end on real RabbitMQ and PostgreSQL: formats and sources,
/// Table Schema validation, plans, outputs, policies and stage modes.
/// Stage modes, incremental skips, re-runs by tag and URL sources, through the real pipeline.
@Suite("Stage modes and sources (real RabbitMQ and PostgreSQL)")
struct StageModeTests {
    let env = TestEnvironment.self

    @Test("ingest-only, analysis-only and publish-only; unchanged inputs skipped; re-runs by tag; URL sources with SSRF checks")
    func modesAndSources() async throws {
        let receiver = WebhookCounter(failures: 0)
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            receiver.handle(Array(buffer: try await request.body.collect(upTo: 1 << 20)))
        }
        let port = LockedValue<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { port.set($0.localAddress?.port) })
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        _ = try await env.eventually { port.get() != nil }
        let hook = NotifySpec(webhooks: ["http://127.0.0.1:\(port.get()!)/hook"])
        let pipeline = try TestPipeline(overrides: ["ingest.roots": TestEnvironment.packageRoot.path,
                                                    "ingest.upload.max.bytes": "1000"])
        try await pipeline.start()
        let content = "code\nA\nB\nC\n"
        // An upload over the cap is refused while it streams.
        let tooBig = try await pipeline.send("ingest", "/uploads?filename=big.csv", Array(repeating: 0x41, count: 5000),
                                             contentType: "application/octet-stream")
        #expect(tooBig.status == 413 && PipelineFeatureTests.text(tooBig.body).contains("ingest.upload-too-large"))
        // A dry run with a dataset key does not make the real run look unchanged.
        let rehearsal = PipelineFeatureTests.id("rehearsal")
        try await pipeline.submit(JobSubmit(jobId: rehearsal, idempotencyKey: rehearsal, source: .inline(content),
                                            options: JobOptions(dryRun: true, datasetKey: "physics/dry")))
        #expect(try await pipeline.waitForEnd(rehearsal).state == "published")
        let real = PipelineFeatureTests.id("real")
        try await pipeline.submit(JobSubmit(jobId: real, idempotencyKey: real, source: .inline(content),
                                            options: JobOptions(datasetKey: "physics/dry")))
        #expect(try await pipeline.waitForEnd(real).state == "published")
        let stored = PipelineFeatureTests.id("stored")
        try await pipeline.submit(JobSubmit(jobId: stored, idempotencyKey: stored, source: .inline(content),
            tags: ["course": "physics"], options: JobOptions(stages: .ingestOnly, datasetKey: "physics/codes")))
        #expect(try await pipeline.waitForEnd(stored).state == "stored")
        let source = try await Outbound.get(url: pipeline.url("ingest", "/jobs/\(stored)/source"))
        #expect(PipelineFeatureTests.text(source.body) == content)
        let analysis = PipelineFeatureTests.id("analysis")
        try await pipeline.submit(JobSubmit(jobId: analysis, idempotencyKey: analysis, source: .job(stored), notify: hook,
                                            options: JobOptions(stages: .analysisOnly)))
        #expect(try await pipeline.waitForEnd(analysis).state == "published")
        #expect(PipelineFeatureTests.text(try await pipeline.artifact(analysis, "output.csv")) == "code\nA\nB\nC\n")
        // After an ingest-only job, a full run of the same content is not a repeat (its recipe differs).
        let full = PipelineFeatureTests.id("full")
        try await pipeline.submit(JobSubmit(jobId: full, idempotencyKey: full, source: .inline(content),
                                            options: JobOptions(datasetKey: "physics/codes")))
        #expect(try await pipeline.waitForEnd(full).state == "published")
        // Unchanged content with the same recipe is skipped, unless forced; another run date is not a repeat.
        let again = PipelineFeatureTests.id("again")
        try await pipeline.submit(JobSubmit(jobId: again, idempotencyKey: again, source: .inline(content),
                                            options: JobOptions(datasetKey: "physics/codes")))
        #expect(try await pipeline.waitForEnd(again).state == "skipped")
        let dated = PipelineFeatureTests.id("dated")
        try await pipeline.submit(JobSubmit(jobId: dated, idempotencyKey: dated, source: .inline(content),
                                            options: JobOptions(datasetKey: "physics/codes", runDate: "2026-12-01")))
        #expect(try await pipeline.waitForEnd(dated).state == "published")
        let forced = PipelineFeatureTests.id("forced")
        try await pipeline.submit(JobSubmit(jobId: forced, idempotencyKey: forced, source: .inline(content),
                                            options: JobOptions(datasetKey: "physics/codes", force: true)))
        #expect(try await pipeline.waitForEnd(forced).state == "published")
        // Publish-only: job.published again, with a new id.
        let republish = PipelineFeatureTests.id("republish")
        try await pipeline.submit(JobSubmit(jobId: republish, idempotencyKey: republish, source: .job(analysis),
                                            options: JobOptions(stages: .publishOnly)))
        struct Job: Decodable { var state: String }
        #expect(try await env.eventually {
            (try? await pipeline.getJSON(Job.self, "ingest", "/jobs/\(republish)"))?.state == "republished"
        })
        #expect(try await pipeline.waitForEnd(republish).state == "published", "the request ends when the results are out again")
        // Notified twice: when published, and again when re-published. A dry run notifies nobody.
        let dry = PipelineFeatureTests.id("dryhook")
        try await pipeline.submit(JobSubmit(jobId: dry, idempotencyKey: dry, source: .inline(content), notify: hook,
                                            options: JobOptions(dryRun: true)))
        #expect(try await pipeline.waitForEnd(dry).state == "published")
        #expect(try await env.eventually { receiver.lock.withLock { receiver.bodies.count >= 2 } })
        try await Task.sleep(for: .seconds(1))
        let notices = receiver.lock.withLock { receiver.bodies.map { PipelineFeatureTests.text($0) } }
        #expect(notices.count == 2 && notices.allSatisfy { $0.contains(analysis) && $0.contains("job.published") },
                "\(notices)")
        // Re-run every dataset tagged course=physics.
        let rerun = try await pipeline.send("ingest", "/reruns", Array(#"{"tags": {"course": "physics"}}"#.utf8))
        #expect(rerun.status == 202, "\(PipelineFeatureTests.text(rerun.body))")
        struct Receipt: Decodable { struct Run: Decodable { var jobId: String; var fromJob: String }; var submitted: [Run] }
        let receipt = try JSONCoding.decoder().decode(Receipt.self, from: Data(rerun.body))
        #expect(receipt.submitted.map(\.fromJob) == [stored])
        for run in receipt.submitted { #expect(try await pipeline.waitForEnd(run.jobId).state == "published") }
        // URL sources: loopback is refused by default.
        let url = pipeline.url("publish", "/jobs/\(analysis)/artifacts/output.csv")
        let refused = PipelineFeatureTests.id("ssrf")
        try await pipeline.submit(JobSubmit(jobId: refused, idempotencyKey: refused, source: .url(url)))
        let end = try await pipeline.waitForEnd(refused)
        #expect(end.state == "failed" && end.failureReason?.contains("ingest.fetch.address-refused") == true,
                "\(end.failureReason ?? "")")
        await pipeline.stopAll()
        // With loopback allow-listed, the same URL is fetched.
        let allowed = try TestPipeline(overrides: ["ingest.fetch.allow": "127.0.0.0/8"])
        try await allowed.start()
        let upstream = PipelineFeatureTests.id("upstream")
        try await allowed.submit(JobSubmit(jobId: upstream, idempotencyKey: upstream, source: .inline(content)))
        #expect(try await allowed.waitForEnd(upstream).state == "published")
        let fetched = PipelineFeatureTests.id("fetched")
        try await allowed.submit(JobSubmit(jobId: fetched, idempotencyKey: fetched,
                                           source: .url(allowed.url("publish", "/jobs/\(upstream)/artifacts/output.csv"))))
        #expect(try await allowed.waitForEnd(fetched).state == "published")
        #expect(PipelineFeatureTests.text(try await allowed.artifact(fetched, "output.csv")) == content)
        await allowed.stopAll()
    }
}
