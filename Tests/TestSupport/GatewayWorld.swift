import APIModels
import Contracts
import Foundation
import Outbound
import SchedulerService
import Testing

/// A pipeline with a gateway, two projects (`alpha`, `beta`) and a signed-in user of every
/// kind the access rules distinguish, plus one object of each kind in `alpha`.
final class GatewayWorld: @unchecked Sendable {
    let pipeline: TestPipeline
    /// The gateway as a child process (its log is scanned for secrets), if asked for.
    private(set) var gatewayProcess: ServiceProcess?
    private(set) var tokens: [String: String] = [:]
    private(set) var alphaJob = ""
    private(set) var alphaSchedule = ""
    private(set) var alphaBatch = ""
    /// Every secret handed out (session and API tokens), and the passwords used.
    private(set) var secrets: [String] = []

    static let password = "a long test password"
    /// name → (role, projects); `memberB` is the member of another project.
    static let users: [(String, String, [String])] = [
        ("viewer-a", "viewer", ["alpha"]), ("member-a", "member", ["alpha"]), ("member-b", "member", ["beta"]),
        ("operator", "operator", []),
    ]

    init(overrides: [String: String] = [:]) throws {
        pipeline = try TestPipeline(overrides: overrides)
    }

    /// Starts the pipeline (and the gateway, in-process or as a child process) and fills it.
    func start(gatewayAsProcess: Bool = false, gatewayOverrides: [String: String] = [:]) async throws {
        let services = TestPipeline.all.filter { $0 != "gateway" }
        try await pipeline.start(services)
        if gatewayAsProcess {
            let port = try TestEnvironment.freePort()
            var settings = gatewayOverrides.merging(["http.port": "\(port)"]) { a, _ in a }
            for service in services { settings["\(service).url"] = pipeline.url(service, "") }
            let process = try ServiceProcess("gateway", prefix: pipeline.prefix, overrides: settings, logLevel: "debug")
            gatewayProcess = process
            pipeline.register("gateway", port: port)
            _ = try await TestEnvironment.eventually(timeout: .seconds(60)) {
                (try? await Outbound.get(url: self.pipeline.url("gateway", "/ready"), timeout: .seconds(2)))?.status == 200
            }
        } else {
            try await pipeline.start(["gateway"])
        }
        let admin = try await pipeline.adminToken(name: "admin", password: Self.password)
        tokens["admin"] = admin
        secrets += [admin, Self.password]
        for project in ["alpha", "beta"] {
            _ = try await pipeline.gatewayJSON(Project.self, "POST", "/projects", token: admin, json: NewProject(id: project))
        }
        for (name, role, projects) in Self.users {
            _ = try await pipeline.gatewayJSON(UserAccount.self, "POST", "/users", token: admin, json: NewUser(
                name: name, email: "\(name)@example.org", role: role, projects: projects, password: Self.password))
            _ = try await pipeline.gatewayJSON(UserAccount.self, "PATCH", "/users/\(name)", token: admin,
                                               json: UserChange(verified: true))
            let token = try await pipeline.signIn(name, Self.password)
            tokens[name] = token
            secrets.append(token)
        }
        let job = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: admin, json: JobSubmit(
            name: "alpha-grades", source: .inline("student,grade\nann,7\nbob,9\n"), tags: ["course": "math"],
            project: "alpha"))
        alphaJob = job.id
        _ = try await TestEnvironment.eventually(timeout: .seconds(60)) {
            try await self.pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(job.id)", token: admin).state == "completed"
        }
        let schema = #"{"fields": [{"name": "student", "type": "string"}, {"name": "grade", "type": "integer"}]}"#
        let stored = try await pipeline.gateway("PUT", "/projects/alpha/schemas/grades", token: admin, body: Array(schema.utf8))
        #expect(stored.status == 201, "\(String(decoding: stored.body, as: UTF8.self))")
        let schedule = try await pipeline.gatewayJSON(Schedule.self, "POST", "/schedules", token: admin, json: NewScheduleBody(
            project: "alpha", name: "alpha-nightly-\(pipeline.prefix)", cron: "0 2 * * *", zone: "Asia/Kolkata",
            job: JobSubmit(name: "nightly", source: .inline("student,grade\nann,7\n"))))
        alphaSchedule = schedule.id
        // Read on Kolkata's wall clock: 02:00 there is 20:30 UTC the day before.
        let kolkata = try #require(TimeZone(identifier: "Asia/Kolkata"))
        #expect(schedule.zone == "Asia/Kolkata")
        #expect(schedule.nextFireAt.map { CronExpression.timestamp($0, in: kolkata) }?.hasSuffix("T02:00:00+05:30") == true)
        let martian = try await pipeline.gateway("POST", "/schedules", token: admin, json: NewScheduleBody(
            project: "alpha", name: "alpha-mars-\(pipeline.prefix)", cron: "0 2 * * *", zone: "Mars/Olympus",
            job: JobSubmit(source: .inline("a\n1\n"))))
        #expect(martian.status == 400 && String(decoding: martian.body, as: UTF8.self).contains("scheduler.invalid-zone"))
        let batch = try await pipeline.gatewayJSON(Batch.self, "POST", "/batches", token: admin, json: NewBatch(
            name: "alpha-batch", project: "alpha"))
        alphaBatch = batch.id
    }

    /// Records a secret handed out during a test (to scan for later).
    func remember(secret: String) { secrets.append(secret) }

    func token(_ user: String) -> String { tokens[user] ?? "" }

    func stop() async {
        await gatewayProcess?.terminate()
        await pipeline.stopAll()
    }

    /// `POST /api/v1/schedules`.
    struct NewScheduleBody: Encodable {
        var project: String
        var name: String
        var cron: String
        var zone: String?
        var job: JobSubmit
    }
}
