import APIModels
import Contracts
import Foundation
import Outbound
@testable import TestSupport
import Testing
import Toolkit

/// Pause, resume and cancel through the gateway, on a real broker and database: the job
/// stops at a chunk boundary, what is left waits durably (a restart of every service
/// included), a cancelled job publishes nothing and leaves no incident, and the job's
/// history says who did what.
@Suite("Job control (real RabbitMQ and PostgreSQL)", .serialized)
struct JobControlTests {
    static func csv(rows: Int) -> String {
        "id,name,score\n" + (0..<rows).map { "\($0),n\($0),\($0 % 100)" }.joined(separator: "\n") + "\n"
    }

    static func job(_ pipeline: TestPipeline, _ id: String, token: String) async throws -> GatewayJob {
        try await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(id)", token: token)
    }

    @Test("pause holds a running job at a chunk boundary, resume finishes it; refusals and the history")
    func pauseAndResume() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let member = world.token("member-a")
        let submit = JobSubmit(name: "big", source: .inline(Self.csv(rows: 20_000)), format: "csv", chunkSize: 100)
        let job = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: submit)
        let paused = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs/\(job.id)/pause", token: member,
                                                    json: ControlRequest(note: "checking the source"))
        #expect(paused.state == "paused")
        // Work stops: after the pause has reached every stage (4 s: under the full suite's
        // load a chunk already in transform can take seconds to finish), progress stands still.
        try await Task.sleep(for: .seconds(4))
        let before = try await Self.job(pipeline, job.id, token: member)
        try await Task.sleep(for: .seconds(2))
        let after = try await Self.job(pipeline, job.id, token: member)
        #expect(after.state == "paused" && after.chunksDone == before.chunksDone,
                "progress went on while paused: \(before.chunksDone) → \(after.chunksDone)")
        #expect(after.chunksDone < 200, "the pause came after the job was done")
        // A repeated pause changes nothing; a paused job cannot be paused into something else.
        let again = try await pipeline.gateway("POST", "/jobs/\(job.id)/pause", token: member)
        #expect(again.status == 200)
        let resumed = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs/\(job.id)/resume", token: member)
        #expect(resumed.state != "paused")
        let refused = try await pipeline.gateway("POST", "/jobs/\(job.id)/resume", token: member)
        #expect(refused.status == 409 && String(decoding: refused.body, as: UTF8.self).contains("job.invalid-transition"))
        let done = try await TestEnvironment.eventually(timeout: .seconds(120)) {
            try await Self.job(pipeline, job.id, token: member).state == "completed"
        }
        #expect(done)
        let final = try await Self.job(pipeline, job.id, token: member)
        #expect(final.rowsValid == 20_000 && final.chunksDone == 200, "every row once: \(final)")
        let cancel = try await pipeline.gateway("POST", "/jobs/\(job.id)/cancel", token: member)
        #expect(cancel.status == 409, "a completed job cannot be cancelled")
        #expect(try await pipeline.gateway("POST", "/jobs/\(job.id)/pause", token: world.token("viewer-a")).status == 403)
        #expect(try await pipeline.gateway("POST", "/jobs/\(job.id)/pause", token: world.token("member-b")).status == 404)
        // The history: submitted, admitted, paused by whom and why, resumed, progress, completed.
        let events = try await pipeline.gatewayJSON(JobEventPage.self, "GET", "/jobs/\(job.id)/events", token: member).items
        let kinds = events.map(\.kind)
        #expect(kinds.first == "submitted" && kinds.last == "completed", "\(kinds)")
        #expect(kinds.contains("dispatched") && kinds.contains("progress") && kinds.contains("resumed"))
        let pause = try #require(events.first { $0.kind == "paused" })
        #expect(pause.actor == "member-a" && pause.message.contains("checking the source") && pause.state == "paused")
        let cli = try await SluiceCLI.run(["jobs", "events", job.id], environment: pipeline.cliEnvironment(token: member))
        #expect(cli.status == 0 && cli.output.contains("paused") && cli.output.contains("member-a"), "\(cli.output)")
        await pipeline.stopAll()
    }

    @Test("cancel a 1,000,000-row job 3 s after submit: stopped within 2 s, no dataset, no incident, queues drain")
    func cancelLargeJob() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-cancel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("million.csv")
        try Data(Self.csv(rows: 1_000_000).utf8).write(to: file)
        let world = try GatewayWorld(overrides: ["ingest.roots": directory.path])
        try await world.start()
        let pipeline = world.pipeline
        let operatorToken = world.token("operator")
        let job = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: operatorToken,
                                                 json: JobSubmit(name: "million", source: .path(file.path), project: "alpha"))
        try await Task.sleep(for: .seconds(3))
        let cancelled = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs/\(job.id)/cancel",
                                                       token: operatorToken)
        let cancelledAt = ContinuousClock.now
        #expect(cancelled.state == "cancelled")
        let repeated = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs/\(job.id)/cancel", token: operatorToken)
        #expect(repeated.state == "cancelled", "a repeated cancel is a no-op")
        // Stopped within 2 s: no stage handles any of its work after that.
        try await Task.sleep(until: cancelledAt + .seconds(2))
        let handled = try await Self.handled(pipeline)
        try await Task.sleep(for: .seconds(4))
        let later = try await Self.handled(pipeline)
        #expect(handled == later, "work handled after the cancel had settled: \(handled) → \(later)")
        #expect((handled["validate"] ?? 0) > 10, "the cancel came while chunks were flowing: \(handled)")
        print("handled by the stages 2 s after the cancel: \(handled); 6 s after: \(later)")
        // Queues drain to zero; nothing published; no incident.
        let drained = try await TestEnvironment.eventually(timeout: .seconds(90), every: .seconds(1)) {
            let rows = try await pipeline.gatewayJSON([QueueRow].self, "GET", "/queues", token: operatorToken)
            return rows.allSatisfy { $0.ready == 0 && $0.unacked == 0 }
        }
        #expect(drained, "the cancelled job's messages were dropped, not left in queues")
        let artifacts = try await pipeline.gateway("GET", "/jobs/\(job.id)/artifacts/output.csv", token: operatorToken)
        #expect(artifacts.status == 404, "no dataset artifact")
        let incidents = try await pipeline.gatewayJSON([Incident].self, "GET", "/incidents", token: operatorToken)
        #expect(incidents.isEmpty, "no incident: \(incidents.map(\.title))")
        let final = try await Self.job(pipeline, job.id, token: operatorToken)
        #expect(final.state == "cancelled" && final.artifacts == nil)
        await pipeline.stopAll()
    }

    @Test("a paused project holds new jobs, durably across a restart of every service; resume lets them finish")
    func pauseProjectAcrossRestart() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let operatorToken = world.token("operator")
        let member = world.token("member-a")
        // A running job paused on its own: the stages hold its work in their databases.
        let own = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
            name: "own", source: .inline(Self.csv(rows: 20_000)), format: "csv", chunkSize: 100))
        _ = try await TestEnvironment.eventually(timeout: .seconds(30), every: .milliseconds(50)) {
            try await Self.job(pipeline, own.id, token: member).chunksDone > 0
        }
        _ = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs/\(own.id)/pause", token: member)
        let paused = try await pipeline.gatewayJSON(ProjectControlResult.self, "POST", "/projects/alpha/pause",
                                                    token: operatorToken, json: ControlRequest(note: "maintenance"))
        #expect(paused.state == "paused")
        #expect(try await pipeline.gateway("POST", "/projects/alpha/pause", token: member).status == 403,
                "members control their jobs, not whole projects")
        let held = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
            name: "held", source: .inline(Self.csv(rows: 50)), format: "csv"))
        #expect(held.state == "paused", "a job submitted to a paused project starts paused")
        try await Task.sleep(for: .seconds(2))
        #expect(try await Self.job(pipeline, held.id, token: member).chunksDone == 0)
        let ownBefore = try await Self.job(pipeline, own.id, token: member).chunksDone
        // Every service restarts; the controls and the held work are in their databases.
        for name in TestPipeline.all { await pipeline.stop(name) }
        try await pipeline.start(TestPipeline.all)
        try await Task.sleep(for: .seconds(1))
        #expect(try await Self.job(pipeline, held.id, token: member).state == "paused")
        let resumed = try await pipeline.gatewayJSON(ProjectControlResult.self, "POST", "/projects/alpha/resume",
                                                     token: operatorToken)
        #expect(resumed.jobs.contains(held.id) && !resumed.jobs.contains(own.id), "a job paused on its own stays paused")
        let done = try await TestEnvironment.eventually(timeout: .seconds(60)) {
            try await Self.job(pipeline, held.id, token: member).state == "completed"
        }
        #expect(done)
        let ownNow = try await Self.job(pipeline, own.id, token: member)
        #expect(ownNow.state == "paused" && ownNow.chunksDone == ownBefore,
                "held through the restart: \(ownBefore) → \(ownNow.chunksDone) chunks")
        _ = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs/\(own.id)/resume", token: member)
        let ownDone = try await TestEnvironment.eventually(timeout: .seconds(120)) {
            try await Self.job(pipeline, own.id, token: member).state == "completed"
        }
        #expect(ownDone)
        let ownFinal = try await Self.job(pipeline, own.id, token: member)
        #expect(ownFinal.rowsValid == 20_000 && ownFinal.chunksDone == 200, "every row once after the restart: \(ownFinal)")
        await pipeline.stopAll()
    }

    @Test("a job's live stream: its state, its history as events, and its end; a reconnection goes on from Last-Event-ID")
    func stream() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let member = world.token("member-a")
        let job = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
            name: "streamed", source: .inline(Self.csv(rows: 3000)), format: "csv", chunkSize: 100))
        let url = pipeline.url("gateway", "/api/v1/jobs/\(job.id)/stream")
        func read(_ headers: [String: String]) async throws -> (Int, [EventStreamParser.Event]) {
            let events = LockedValue<[EventStreamParser.Event]>([])
            let parser = LockedValue(EventStreamParser())
            let result = try await Outbound.stream(url: url, headers: headers.merging(["Authorization": "Bearer \(member)"]) { a, _ in a },
                                                   timeout: .seconds(120)) { bytes in
                let new = parser.update { $0.feed(bytes) }
                events.update { $0 += new }
                return true
            }
            return (result.status, events.get())
        }
        let (status, events) = try await read([:])
        #expect(status == 200)
        let names = events.map(\.name)
        #expect(names.first == "job" && names.last == "end", "\(names)")
        #expect(names.contains("submitted") && names.contains("completed"))
        let end = try JSONCoding.decoder().decode(GatewayJob.self, from: Data(events.last!.data.utf8))
        #expect(end.state == "completed" && end.chunksDone == 30)
        let submitted = try #require(events.first { $0.name == "submitted" }?.id)
        let (_, again) = try await read(["Last-Event-ID": submitted])
        let ids = again.compactMap { $0.id.flatMap(Int.init) }
        #expect(!ids.isEmpty && ids.allSatisfy { $0 > Int(submitted)! }, "only what came after \(submitted): \(ids)")
        #expect(try await Outbound.stream(url: url, headers: ["Authorization": "Bearer \(world.token("member-b"))"],
                                          timeout: .seconds(10)) { _ in true }.status == 404)
        await pipeline.stopAll()
    }

    @Test("the status view: services with replicas, queues, jobs by state and priority, the scheduler; CLI and access")
    func status() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let operatorToken = world.token("operator")
        _ = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: world.token("member-a"), json: JobSubmit(
            name: "urgent-one", source: .inline(Self.csv(rows: 10)), format: "csv", priority: .urgent))
        // The broker's statistics trail by a few seconds.
        var status = try await pipeline.gatewayJSON(SystemStatus.self, "GET", "/status", token: operatorToken)
        _ = try await TestEnvironment.eventually(timeout: .seconds(20), every: .milliseconds(500)) {
            status = try await pipeline.gatewayJSON(SystemStatus.self, "GET", "/status", token: operatorToken)
            // The broker's consumer counts lag a little (management statistics).
            return status.services.first { $0.name == "validate" }?.replicas == 1
                && status.services.first { $0.name == "scheduler" }?.replicas == 1
        }
        #expect(Set(status.services.map(\.name)) == Set(TestPipeline.all))
        #expect(status.services.allSatisfy { $0.health == "up" }, "\(status.services)")
        #expect(status.services.first { $0.name == "validate" }?.replicas == 1)
        #expect(status.services.first { $0.name == "scheduler" }?.replicas == 1, "the scheduler follows its jobs' ends")
        #expect(status.scheduler.state == "running" && status.scheduler.replicas == 1 && status.scheduler.leader != nil,
                "\(status.scheduler)")
        #expect(status.queues.contains { $0.name == "\(pipeline.prefix).validate.urgent" })
        #expect(status.jobs.contains { $0.priority == "urgent" && $0.count == 1 }, "\(status.jobs)")
        #expect(status.jobs.contains { $0.state == "completed" && $0.priority == "normal" })
        #expect(status.scheduler.health == "up" && status.scheduler.schedules >= 1 && status.scheduler.nextFireAt != nil)
        #expect(try await pipeline.gateway("GET", "/status", token: world.token("member-a")).status == 403)
        let cli = try await SluiceCLI.run(["status"], environment: pipeline.cliEnvironment(token: operatorToken))
        #expect(cli.output.contains("REPLICAS") && cli.output.contains("validate") && cli.output.contains("scheduler up"),
                "\(cli.output)")
        await pipeline.stopAll()
    }

    /// Messages the stage services handled (not held or dropped), from their `/metrics`.
    static func handled(_ pipeline: TestPipeline) async throws -> [String: Double] {
        var counts: [String: Double] = [:]
        for service in ["ingest", "validate", "transform", "publish"] {
            let text = String(decoding: try await Outbound.get(url: pipeline.url(service, "/metrics")).body, as: UTF8.self)
            counts[service] = text.split(separator: "\n")
                .filter { $0.hasPrefix("sluice_messages_consumed_total{") && $0.contains("outcome=\"ok\"") }
                .compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
        }
        return counts
    }
}
