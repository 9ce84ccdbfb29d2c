import APIModels
import Contracts
import Foundation
import Hosting
import PostgresNIO
import Storage
@testable import TestSupport
import Testing

/// Rate limits on a real broker and database: exact across replicas, waiting work resumes
/// by itself, and a project's own limit set through the API.
@Suite("Rate limits (real RabbitMQ and PostgreSQL)", .serialized)
struct RateLimitTests {
    static func job(_ id: String, user: String, project: String? = nil) -> JobSubmit {
        JobSubmit(jobId: id, idempotencyKey: id, name: id, source: .inline("a,b\n1,2\n"), format: "csv", project: project,
                  submittedBy: user)
    }

    @Test("4 ingest replicas, 60 jobs per minute per user: no 60-second window ever admits more than 60; the rest go on by themselves")
    func exactAcrossReplicas() async throws {
        let limits = ["limits.jobs.user.count": "60", "limits.jobs.user.window.seconds": "60"]
        let pipeline = try TestPipeline(overrides: limits)
        try await pipeline.start(TestPipeline.all.filter { $0 != "ingest" })
        // Four ingest replicas, each its own host with its own connections, on one queue and schema.
        var replicas: [(ServiceHost, Task<Void, any Error>)] = []
        for _ in 0..<4 {
            let host = try TestPipeline.build("ingest", try TestEnvironment.runtimeConfig("ingest", prefix: pipeline.prefix,
                                                                                          overrides: limits))
            replicas.append((host, Task { try await host.run() }))
        }
        for (host, _) in replicas { try await host.waitUntilReady() }
        let run = UUID().uuidString.prefix(8).lowercased()
        let ids = (0..<150).map { "rl-\(run)-\($0)" }
        try await pipeline.submit(ids.map { Self.job($0, user: "ann") })
        let schema = TestEnvironment.schema("ingest", prefix: pipeline.prefix)
        func admissions() async throws -> [Date] {
            try await TestEnvironment.withDatabase(TestEnvironment.adminDatabase(schema: schema)) { database in
                var times: [Date] = []
                for try await at in try await database.query("SELECT admitted_at FROM rate_admissions WHERE user_key = 'ann' ORDER BY admitted_at",
                                                             logger: TestEnvironment.logger).decode(Date.self) { times.append(at) }
                return times
            }
        }
        // The limit fills, and what is over it waits as rate limited (held, not failed).
        func held() async throws -> Int {
            try await TestEnvironment.withDatabase(TestEnvironment.adminDatabase(schema: schema)) { database in
                try await JobControls.rateLimited(database: database, logger: TestEnvironment.logger)["default"] ?? 0
            }
        }
        var waiting = 0
        let filled = try await TestEnvironment.eventually(timeout: .seconds(120), every: .milliseconds(500)) {
            waiting = try await held()
            return try await admissions().count >= 60 && waiting > 0
        }
        #expect(filled, "the limit filled and jobs over it were held (\(waiting) held)")
        // A minute after the first admission the window moves on and more go in, by themselves.
        let moved = try await TestEnvironment.eventually(timeout: .seconds(90), every: .seconds(1)) {
            try await admissions().count >= 100
        }
        #expect(moved)
        let all = try await admissions()
        var worst = 0
        for (i, start) in all.enumerated() {
            worst = max(worst, all[i...].prefix { $0.timeIntervalSince(start) < 60 }.count)
        }
        #expect(worst <= 60, "a 60-second window admitted \(worst)")
        #expect(worst == 60, "the limit is used in full, not undercut: the busiest window admitted \(worst)")
        print("admitted \(all.count) of 150; the busiest 60-second window admitted \(worst)")
        for (host, task) in replicas {
            await host.shutdown()
            _ = try? await task.value
        }
        await pipeline.stopAll()
    }

    @Test("a project's own limit through the API: jobs over it wait as rate_limited with why and until when, then complete")
    func projectLimit() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let admin = world.token("admin")
        let member = world.token("member-a")
        let set = try await pipeline.gatewayJSON(ProjectLimits.self, "PUT", "/projects/alpha/limits", token: admin,
                                                 json: ProjectLimits(jobsPerMinute: 12, jobsBurst: 2))
        #expect(set.jobsPerMinute == 12 && set.jobsBurst == 2, "\(set)")
        #expect(try await pipeline.gateway("PUT", "/projects/alpha/limits", token: member,
                                           json: ProjectLimits(jobsPerMinute: 1000)).status == 403)
        var jobs: [GatewayJob] = []
        for index in 0..<4 {
            jobs.append(try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
                name: "limited-\(index)", source: .inline("a,b\n1,2\n"), format: "csv")))
        }
        // Two go in at once (the burst); the others wait, one token every 5 s.
        var limited: GatewayJob?
        _ = try await TestEnvironment.eventually(timeout: .seconds(20)) {
            for job in jobs {
                let now = try await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(job.id)", token: member)
                if now.state == "rate_limited" { limited = now; return true }
            }
            return false
        }
        let waiting = try #require(limited, "a job over the limit waits as rate_limited")
        #expect(waiting.notBefore != nil)
        let status = try await pipeline.gatewayJSON(SystemStatus.self, "GET", "/status", token: admin)
        #expect(status.rateLimits.contains { $0.scope == "project" && $0.key == "alpha" && $0.limit == 12 }, "\(status.rateLimits)")
        let done = try await TestEnvironment.eventually(timeout: .seconds(60)) {
            var states: [String] = []
            for job in jobs { states.append(try await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(job.id)", token: member).state) }
            return states.allSatisfy { $0 == "completed" }
        }
        #expect(done, "rate-limited jobs go on by themselves")
        let events = try await pipeline.gatewayJSON(JobEventPage.self, "GET", "/jobs/\(waiting.id)/events", token: member).items
        let wait = try #require(events.first { $0.kind == "rate_limited" })
        #expect(wait.message.contains("project alpha is over 12 jobs per minute") && wait.notBefore != nil, "\(wait)")
        let cli = try await SluiceCLI.run(["jobs", "events", waiting.id], environment: pipeline.cliEnvironment(token: member))
        #expect(cli.output.contains("rate_limited") && cli.output.contains("until"), "\(cli.output)")
        let reset = try await pipeline.gatewayJSON(ProjectLimits.self, "DELETE", "/projects/alpha/limits", token: admin)
        #expect(reset.jobsPerMinute == 0, "back to the default: no limit")
        await pipeline.stopAll()
    }
}
