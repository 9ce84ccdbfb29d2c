import APIModels
import Contracts
import Foundation
import Outbound
@testable import TestSupport
import Testing

/// Schedules whose action is not a job, run now through the CLI against the whole pipeline
/// (real RabbitMQ, PostgreSQL and SMTP): cleanup removes in every service what outlived its
/// retention (0 days here) and keeps each dataset's latest; rerun submits the datasets with
/// the tags again; digest mails the period's figures and posts them to chat.
@Suite("Schedule actions (real pipeline)")
struct ScheduleActionTests {
    @Test("cleanup, rerun and digest schedules do what they say when run")
    func actions() async throws {
        let smtp = try SMTPSink()
        try await smtp.waitUntilListening()
        let chat = WebhookReceiver()
        let hook = try await chat.start()
        let world = try GatewayWorld(overrides: [
            "notify.smtp.url": smtp.url, "retention.jobs.days": "0", "retention.artifacts.days": "0",
            "retention.deliveries.days": "0", "retention.progress.days": "0"])
        try await world.start()
        let pipeline = world.pipeline
        let admin = world.token("admin")
        let env = pipeline.cliEnvironment(token: admin)
        // Two jobs of one dataset with different inputs (the same input would be skipped as unchanged).
        func job(_ name: String) async throws -> GatewayJob {
            let job = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: admin, json: JobSubmit(
                name: name, source: .inline("a,b\n1,2\n3,\(name)\n"), tags: ["category": "Matematicas"],
                notify: NotifySpec(chat: [hook]), options: JobOptions(datasetKey: "grades/matematicas"), project: "alpha"))
            try await TestEnvironment.eventually(timeout: .seconds(60)) {
                (try? await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(job.id)", token: admin))?.state == "completed"
            }
            return job
        }
        let older = try await job("grades-1")
        let newer = try await job("grades-2")
        try await TestEnvironment.eventually(timeout: .seconds(30)) { chat.bodies.count >= 2 }

        // rerun: the dataset's latest original job runs again, analysis-only.
        let rerun = try await SluiceCLI.run(["schedules", "add", "rerun-\(pipeline.prefix)", "--cron", "0 5 * * *",
                                             "--project", "alpha", "--action", "rerun", "--tag", "category=Matematicas"],
                                            environment: env)
        #expect(rerun.status == 0, "\(rerun.output)")
        let ranRerun = try await SluiceCLI.run(["schedules", "run", "rerun-\(pipeline.prefix)"], environment: env)
        #expect(ranRerun.status == 0 && ranRerun.output.contains("sent rerun.requested"), "\(ranRerun.output)")
        var rerunJob: GatewayJob?
        try await TestEnvironment.eventually(timeout: .seconds(60)) {
            let page = try? await pipeline.gatewayJSON(GatewayJobPage.self, "GET", "/jobs?project=alpha&limit=50", token: admin)
            rerunJob = page?.items.first { $0.id.hasPrefix("rerun-") && $0.state == "completed" }
            return rerunJob != nil
        }
        #expect(rerunJob?.name == "grades-2" && rerunJob?.submitter == "schedule:rerun-\(pipeline.prefix)",
                "\(String(describing: rerunJob))")

        // cleanup: the older job and its artifacts go; the dataset's latest stays.
        let cleanup = try await SluiceCLI.run(["schedules", "add", "cleanup-\(pipeline.prefix)", "--cron", "0 4 * * SUN",
                                               "--project", "alpha", "--action", "cleanup"], environment: env)
        #expect(cleanup.status == 0, "\(cleanup.output)")
        let ranCleanup = try await SluiceCLI.run(["schedules", "run", "cleanup-\(pipeline.prefix)", "--json"], environment: env)
        let receipt = try JSONCoding.decode(ScheduleRunReceipt.self, from: Array(ranCleanup.output.utf8))
        #expect(receipt.action == .cleanup && receipt.sent.hasPrefix("sent cleanup.requested"))
        try await TestEnvironment.eventually(timeout: .seconds(60)) {
            (try? await pipeline.gateway("GET", "/jobs/\(older.id)", token: admin))?.status == 404
        }
        let artifact = try await Outbound.get(url: pipeline.url("publish", "/jobs/\(older.id)/artifacts/output.csv"))
        #expect(artifact.status == 404, "the older job's artifacts are gone")
        let kept = try await Outbound.get(url: pipeline.url("publish", "/jobs/\(newer.id)/artifacts/output.csv"))
        #expect(kept.status == 200, "the dataset's latest original job keeps its artifacts")
        let rerunArtifact = try await Outbound.get(url: pipeline.url("publish", "/jobs/\(rerunJob?.id ?? "")/artifacts/output.csv"))
        #expect(rerunArtifact.status == 200, "and so does its latest job, the re-run")
        #expect(try await pipeline.gateway("GET", "/jobs/\(newer.id)", token: admin).status == 200)
        try await TestEnvironment.eventually(timeout: .seconds(30)) {
            guard let deliveries = try? await Outbound.get(url: pipeline.url("notify", "/deliveries?job=\(older.id)")) else { return false }
            return (try? JSONSerialization.jsonObject(with: Data(deliveries.body)) as? [Any])?.isEmpty == true
        }

        // digest: the period's figures by mail and in chat.
        let digest = try await SluiceCLI.run(["schedules", "add", "digest-\(pipeline.prefix)", "--cron", "0 8 * * *",
                                              "--project", "alpha", "--action", "digest", "--email", "ops@example.org",
                                              "--chat", hook], environment: env)
        #expect(digest.status == 0, "\(digest.output)")
        let before = chat.bodies.count
        let ranDigest = try await SluiceCLI.run(["schedules", "run", "digest-\(pipeline.prefix)"], environment: env)
        #expect(ranDigest.status == 0 && ranDigest.output.contains("sent digest.requested"), "\(ranDigest.output)")
        let mail = try await smtp.waitForMail(to: "ops@example.org", subject: "[Sluice] digest-\(pipeline.prefix)")
        #expect(mail.contains("Jobs submitted") && mail.contains("Incidents opened") && mail.contains("project alpha"), "\(mail)")
        try await TestEnvironment.eventually(timeout: .seconds(30)) { chat.bodies.count > before }
        #expect(String(decoding: chat.bodies.last ?? [], as: UTF8.self).contains("digest-\(pipeline.prefix)"))

        // What each action needs is checked when it is made.
        let noTags = try await SluiceCLI.run(["schedules", "add", "bad-\(pipeline.prefix)", "--cron", "@daily", "--project", "alpha",
                                              "--action", "rerun"], environment: env)
        #expect(noTags.status != 0 && noTags.output.contains("tags"), "\(noTags.output)")
        let withJob = try await SluiceCLI.run(["schedules", "add", "bad-\(pipeline.prefix)", "--cron", "@daily", "--project", "alpha",
                                               "--action", "cleanup", "--url", "https://example.org/x.csv"], environment: env)
        #expect(withJob.status == 2, "\(withJob.output)")
        chat.stop()
        await world.stop()
        smtp.stop()
    }
}
