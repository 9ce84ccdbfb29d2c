import APIModels
import Contracts
import Foundation
import IncidentService
import Messaging
import MetricsService
@testable import TestSupport
import Testing

/// Fix the cause, re-drive: the job completes exactly as a fault-free run would, and a
/// restart of the incident service in the middle of it loses and duplicates nothing.
@Suite("Re-drive (real RabbitMQ and PostgreSQL, child process)")
struct RedriveTests {
    let env = TestEnvironment.self

    static let plan = #"{"name": "course fix", "steps": [{"op": "rename", "columns": {"name": "full_name"}}, {"op": "case", "columns": ["course"], "to": "upper"}]}"#

    func redrive(_ pipeline: TestPipeline, _ incidentId: String, _ request: RedriveRequest) async throws -> RedrivePlan {
        try await pipeline.call(RedrivePlan.self, "incident", "/incidents/\(incidentId)/redrive", request)
    }

    func waitForRedrive(_ pipeline: TestPipeline, _ id: String, until states: Set<String>,
                        timeout: Duration = .seconds(120)) async throws -> Redrive {
        var redrive: Redrive?
        _ = try await env.eventually(timeout: timeout, every: .milliseconds(100)) {
            redrive = try? await pipeline.getJSON(Redrive.self, "incident", "/redrives/\(id)")
            return states.contains(redrive?.state ?? "")
        }
        return try #require(redrive, "re-drive \(id) never reached \(states)")
    }

    @Test("fix a missing plan, re-drive the incident: canary, rate, restart mid-way, outputs equal a clean run, incident resolves")
    func fixAndRedrive() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start(TestPipeline.all.filter { $0 != "incident" })
        let port = try env.freePort()
        var incidentProcess = try ServiceProcess("incident", prefix: pipeline.prefix, overrides: ["http.port": "\(port)"])
        pipeline.register("incident", port: port)
        let up = try await env.eventually(timeout: .seconds(60)) {
            (try? await pipeline.getJSON([Incident].self, "incident", "/incidents")) != nil
        }
        #expect(up, "incident did not start: \(incidentProcess.output)")

        let planName = "fix-\(UUID().uuidString.prefix(8).lowercased())"
        let content = FaultTests.csv(rows: 300)
        func job(_ id: String) -> JobSubmit {
            JobSubmit(jobId: id, idempotencyKey: id, name: "redrive.csv", source: .inline(content), chunkSize: 10,
                      planName: planName)
        }
        let faulty = "job-redrive-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(job(faulty))

        // Every chunk fails in transform, one incident collects them, the job stalls.
        var incidents: [Incident] = []
        _ = try await env.eventually(timeout: .seconds(90), every: .milliseconds(200)) {
            incidents = try await pipeline.getJSON([Incident].self, "incident", "/incidents")
            return incidents.first?.count == 30
        }
        let incident = try #require(incidents.first, "no incident")
        #expect(incidents.count == 1 && incident.count == 30 && incident.service == "transform")
        #expect(incident.errorType == "plan.not-found" && incident.ruleId == "definition-missing")
        let stalled = try await env.eventually { try await pipeline.progress(faulty)?.state == "stalled" }
        let stalledProgress = try await pipeline.progress(faulty)
        #expect(stalled && stalledProgress?.incidentId == incident.id)

        // A dry run lists the set and sends nothing.
        let dry = try await redrive(pipeline, incident.id, RedriveRequest(dryRun: true))
        #expect(dry.dryRun && dry.redrive == nil && dry.deadLetters.count == 30)
        #expect(try await pipeline.getJSON([Redrive].self, "incident", "/redrives").isEmpty)

        // Re-driving before the fix: the canary fails again and the re-drive stops there.
        let early = try await redrive(pipeline, incident.id, RedriveRequest(rate: 50))
        let stopped = try await waitForRedrive(pipeline, try #require(early.redrive?.id), until: ["stopped", "completed"])
        #expect(stopped.state == "stopped" && stopped.sent == 1 && stopped.failed == 1)
        #expect(stopped.stopReason?.contains("canary") == true)
        let afterCanary = try await pipeline.getJSON(IncidentDetail.self, "incident", "/incidents/\(incident.id)")
        #expect(afterCanary.incident.count == 31, "the canary's new failure joins the incident")
        #expect(afterCanary.deadLetters["pending"] == 30 && afterCanary.deadLetters["redrive-failed"] == 1)
        let again = try await pipeline.getJSON([StoredFailure].self, "incident",
                                               "/dead-letters?incident=\(incident.id)&header=x-sluice-redrive-count=1")
        #expect(again.count == 1 && again.first?.redriveCount == 1 && again.first?.state == "pending",
                "the canary's copy carried the re-drive count header and failed again as a new dead letter")

        // The fix: store the plan. Then re-drive at 8/s and kill the incident service midway.
        let stored = try await pipeline.send("transform", "/plans/\(planName)", Array(Self.plan.utf8), method: "PUT")
        #expect(stored.status == 201, "\(String(decoding: stored.body, as: UTF8.self))")
        let second = try await redrive(pipeline, incident.id, RedriveRequest(rate: 8))
        let redriveId = try #require(second.redrive?.id)
        #expect(second.deadLetters.count == 30)
        let midway = try await env.eventually(timeout: .seconds(60), every: .milliseconds(50)) {
            ((try? await pipeline.getJSON(Redrive.self, "incident", "/redrives/\(redriveId)"))?.sent ?? 0) >= 8
        }
        #expect(midway)
        await incidentProcess.kill()
        incidentProcess = try ServiceProcess("incident", prefix: pipeline.prefix, overrides: ["http.port": "\(port)"])
        let done = try await waitForRedrive(pipeline, redriveId, until: ["completed", "stopped"])
        #expect(done.state == "completed" && done.total == 30 && done.sent == 30, "\(incidentProcess.output)")
        #expect(done.succeeded == 30 && done.failed == 0)

        let end = try await pipeline.waitForEnd(faulty, timeout: .seconds(120))
        #expect(end.state == "published")
        let resolved = try await env.eventually {
            try await pipeline.getJSON(IncidentDetail.self, "incident", "/incidents/\(incident.id)").incident.state == "resolved"
        }
        #expect(resolved, "the incident resolves itself once every re-driven message succeeded")
        let detail = try await pipeline.getJSON(IncidentDetail.self, "incident", "/incidents/\(incident.id)")
        #expect(detail.deadLetters["redriven"] == 30 && detail.deadLetters["pending"] == nil)
        #expect(detail.incident.redrives == 2 && detail.incident.redriveSucceeded == 30 && detail.incident.redriveFailed == 1)
        let kinds = detail.timeline.map(\.kind)
        for kind in ["redrive-started", "redrive-stopped", "redrive-finished", "resolved"] {
            #expect(kinds.contains(kind), "timeline lacks \(kind)")
        }
        #expect(detail.timeline.last { $0.kind == "resolved" }?.actor == "system")

        // Same outputs as a run that never failed, every row exactly once.
        let clean = "job-clean-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(job(clean))
        #expect(try await pipeline.waitForEnd(clean, timeout: .seconds(120)).state == "published")
        let faultyCSV = try await pipeline.artifact(faulty, "output.csv")
        let cleanCSV = try await pipeline.artifact(clean, "output.csv")
        #expect(faultyCSV == cleanCSV)
        let lines = String(decoding: faultyCSV, as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "student_id,full_name,course,grade,attendance")
        #expect(lines.count == 1 + 300 && Set(lines).count == lines.count)
        let summary = { (id: String) in
            String(decoding: try await pipeline.artifact(id, "summary.json"), as: UTF8.self).replacingOccurrences(of: id, with: "JOB")
        }
        let (faultySummary, cleanSummary) = (try await summary(faulty), try await summary(clean))
        #expect(faultySummary == cleanSummary)
        await incidentProcess.terminate()
        await pipeline.stopAll()
    }

    @Test("a selection re-drive skips what cannot go, and discarding needs a reason and is audited")
    func selectionAndDiscard() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start(["validate", "incident"])
        try await pipeline.publisher.publish((0..<3).map { IncidentFlowTests.bad($0, prefix: pipeline.prefix) })
        var letters: [StoredFailure] = []
        _ = try await env.eventually {
            letters = try await pipeline.getJSON([StoredFailure].self, "incident", "/dead-letters")
            return letters.count == 3
        }
        let ids = letters.map(\.id)
        let noReason = try await pipeline.send("incident", "/dead-letters/discard",
                                               try JSONCoding.encode(["ids": [ids[0]], "reason": [""]].mapValues { $0 }))
        #expect(noReason.status == 422)
        struct Discarded: Decodable { var discarded: [String] }
        struct DiscardBody: Encodable { var ids: [String]; var reason: String }
        let discarded = try await pipeline.call(Discarded.self, "incident", "/dead-letters/discard",
                                                DiscardBody(ids: [ids[0]], reason: "test data"))
        #expect(discarded.discarded == [ids[0]])
        let plan = try await pipeline.call(RedrivePlan.self, "incident", "/dead-letters/redrive",
                                           RedriveRequest(deadLetterIds: [ids[0], ids[1], "dl-missing"], dryRun: true))
        #expect(plan.deadLetters.map(\.id) == [ids[1]])
        #expect(plan.skipped[ids[0]] == "it is discarded" && plan.skipped["dl-missing"] == "no such dead letter")
        let audit = try await pipeline.getJSON([AuditEntry].self, "incident", "/audit")
        #expect(audit.contains { $0.action == "dead-letter.discard" && $0.target == ids[0] && $0.detail["reason"] == "test data" })
        #expect(audit.contains { $0.action == "redrive.dry-run" })
        await pipeline.stopAll()
    }
}
