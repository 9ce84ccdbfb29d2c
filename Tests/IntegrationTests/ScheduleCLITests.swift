import APIModels
import Catalog
import Contracts
import Foundation
import Messaging
import Runtime
import SchedulerService
@testable import TestSupport
import Testing

/// `sluice schedules next` as a user runs it: offline, no server needed.
@Suite("Schedules CLI")
struct ScheduleCLITests {
    @Test("next prints fire times with offsets in the zone, Vixie's DST rule; bad input exits 2 with a reason")
    func next() async throws {
        let spring = try await SluiceCLI.run(["schedules", "next", "30 2 * * *", "--zone", "America/New_York",
                                              "--from", "2024-03-09T12:00:00Z", "--count", "2"])
        #expect(spring.status == 0)
        #expect(spring.output == "2024-03-10T03:00:00-04:00\n2024-03-11T02:30:00-04:00\n")
        let fall = try await SluiceCLI.run(["schedules", "next", "30 1 * * *", "--zone", "America/New_York",
                                            "--from", "2024-11-03T00:00", "--count", "2", "--json"])
        #expect(fall.status == 0)
        #expect(fall.output == "[\"2024-11-03T01:30:00-04:00\",\"2024-11-04T01:30:00-05:00\"]\n")
        let badField = try await SluiceCLI.run(["schedules", "next", "61 * * * *"])
        #expect(badField.status == 2 && badField.output.contains("minute"), "\(badField.output)")
        let badZone = try await SluiceCLI.run(["schedules", "next", "@daily", "--zone", "Mars/Olympus"])
        #expect(badZone.status == 2 && badZone.output.contains("unknown time zone"))
    }

    @Test("add, list, show (next fires with offsets, last fires), run, history and remove through the gateway")
    func manage() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let env = pipeline.cliEnvironment(token: world.token("admin"))
        let name = "madrid-\(pipeline.prefix)"
        let added = try await SluiceCLI.run(["schedules", "add", name, "--cron", "30 2 * * *", "--zone", "Europe/Madrid",
                                             "--project", "alpha", "--path", "/nowhere.csv", "--catch-up", "skip",
                                             "--catch-up-window", "600", "--json"], environment: env)
        #expect(added.status == 0, "\(added.output)")
        let created = try JSONSerialization.jsonObject(with: Data(added.output.utf8)) as? [String: Any]
        #expect(created?["zone"] as? String == "Europe/Madrid" && created?["nextFireAt"] != nil, "\(added.output)")
        let listed = try await SluiceCLI.run(["schedules", "list", "--project", "alpha"], environment: env)
        #expect(listed.status == 0 && listed.output.contains(name) && listed.output.contains("Europe/Madrid"))
        let shown = try await SluiceCLI.run(["schedules", "show", name], environment: env)
        #expect(shown.status == 0 && shown.output.contains("catch-up skip within 600 s"), "\(shown.output)")
        // Ten upcoming fires at 02:30 Madrid time, with the offset of their day (or the jump's 03:00).
        let upcoming = shown.output.split(separator: "\n").filter { $0.hasPrefix("  20") }
        #expect(upcoming.count == 10, "\(shown.output)")
        #expect(upcoming.allSatisfy { $0.contains("T02:30:00+0") || $0.contains("T03:00:00+02:00") })
        let dry = try await SluiceCLI.run(["schedules", "backfill", name, "--from", "2026-11-01T00:00", "--to", "2026-11-04T00:00",
                                           "--dry-run"], environment: env)
        #expect(dry.status == 0 && dry.output.contains("2026-11-01T02:30:00+01:00") && dry.output.contains("2026-11-03T02:30:00+01:00")
                && !dry.output.contains("2026-11-04") && dry.output.contains("(dry run)"), "\(dry.output)")
        let paused = try await SluiceCLI.run(["schedules", "pause", name, "--note", "term break"], environment: env)
        #expect(paused.status == 0 && paused.output.contains("term break"), "\(paused.output)")
        let shownPaused = try await SluiceCLI.run(["schedules", "show", name], environment: env)
        #expect(shownPaused.output.contains("paused: term break") && !shownPaused.output.contains("  20"), "\(shownPaused.output)")
        let memberPause = try await SluiceCLI.run(["schedules", "pause", name],
                                                  environment: pipeline.cliEnvironment(token: world.token("member-a")))
        #expect(memberPause.status != 0, "only admins pause: \(memberPause.output)")
        let resumed = try await SluiceCLI.run(["schedules", "resume", name], environment: env)
        #expect(resumed.status == 0 && resumed.output.contains("next 20") && resumed.output.contains("T02:30:00+0"), "\(resumed.output)")
        let ran = try await SluiceCLI.run(["schedules", "run", name], environment: env)
        #expect(ran.status == 0 && ran.output.hasPrefix("job-"), "\(ran.output)")
        let history = try await SluiceCLI.run(["schedules", "history", name, "--json"], environment: env)
        let fires = try JSONSerialization.jsonObject(with: Data(history.output.utf8)) as? [Any]
        #expect(history.status == 0 && fires?.isEmpty == true, "a run now is not a fire: \(history.output)")
        // Edit: only what is given changes; the next fire follows the new expression.
        let edited = try await SluiceCLI.run(["schedules", "edit", name, "--cron", "0 3 * * *", "--overlap", "bufferOne",
                                              "--jitter", "30", "--json"], environment: env)
        #expect(edited.status == 0, "\(edited.output)")
        let after = try JSONCoding.decode(Schedule.self, from: Array(edited.output.utf8))
        #expect(after.cron == "0 3 * * *" && after.zone == "Europe/Madrid" && after.overlap == .bufferOne && after.jitterSeconds == 30)
        #expect(after.job?.source.path == "/nowhere.csv" && after.catchUp?.policy == .skip, "the rest is kept")
        let madrid = try #require(TimeZone(identifier: "Europe/Madrid"))
        #expect(after.nextFireAt.map { CronExpression.timestamp($0, in: madrid).contains("T03:00:00+0") } == true)
        let shownEdited = try await SluiceCLI.run(["schedules", "show", name], environment: env)
        #expect(shownEdited.output.contains("overlap bufferOne, jitter up to 30 s"), "\(shownEdited.output)")
        let memberEdit = try await SluiceCLI.run(["schedules", "edit", name, "--cron", "@daily"],
                                                 environment: pipeline.cliEnvironment(token: world.token("member-a")))
        #expect(memberEdit.status != 0, "only admins edit: \(memberEdit.output)")
        let badEdit = try await SluiceCLI.run(["schedules", "edit", name, "--cron", "0 25 * * *"], environment: env)
        #expect(badEdit.status != 0 && badEdit.output.contains("hour"), "\(badEdit.output)")
        let emptyEdit = try await SluiceCLI.run(["schedules", "edit", name], environment: env)
        #expect(emptyEdit.status == 2 && emptyEdit.output.contains("nothing to change"))
        let removed = try await SluiceCLI.run(["schedules", "remove", name], environment: env)
        #expect(removed.status == 0)
        let gone = try await SluiceCLI.run(["schedules", "show", name], environment: env)
        #expect(gone.status != 0, "\(gone.output)")
        let noJob = try await SluiceCLI.run(["schedules", "add", "x", "--cron", "@daily"], environment: env)
        #expect(noJob.status == 2 && noJob.output.contains("--job FILE"))
        await world.stop()
    }

    @Test("a backfill run one at a time goes through the pipeline day after day: each job starts after the one before it ended")
    func bufferedBackfill() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let env = pipeline.cliEnvironment(token: world.token("admin"))
        let name = "sequential-\(pipeline.prefix)"
        let jobFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).json")
        // The plan writes the day each job runs for (run_date()) into every row.
        let job = #"{"name": "grades {{scheduledDate}}", "source": {"kind": "inline", "content": "a,b\n1,2\n3,4\n"}, "#
            + #""plan": {"name": "days", "steps": [{"op": "derive", "column": "day", "expression": "run_date()"}]}}"#
        try Data(job.utf8).write(to: jobFile)
        defer { try? FileManager.default.removeItem(at: jobFile) }
        let added = try await SluiceCLI.run(["schedules", "add", name, "--cron", "0 6 * * *", "--zone", "Asia/Kolkata",
                                             "--project", "alpha", "--job", jobFile.path, "--disabled"], environment: env)
        #expect(added.status == 0, "\(added.output)")
        let run = try await SluiceCLI.run(["schedules", "backfill", name, "--from", "2026-11-01T00:00", "--to", "2026-11-04T00:00",
                                           "--one-at-a-time", "--json"], environment: env)
        #expect(run.status == 0, "\(run.output)")
        let backfill = try JSONCoding.decode(Backfill.self, from: Array(run.output.utf8))
        #expect(backfill.runs.map(\.state) == ["running", "waiting", "waiting"] && backfill.overlap == .bufferAll)
        let jobs = backfill.runs.compactMap(\.jobId)
        let token = world.token("admin")
        var done: [GatewayJob] = []
        try await TestEnvironment.eventually(timeout: .seconds(90)) {
            done = []
            for id in jobs {
                guard let job = try? await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(id)", token: token),
                      job.state == "completed" else { return false }
                done.append(job)
            }
            return true
        }
        #expect(done.map(\.name) == ["grades 2026-11-01", "grades 2026-11-02", "grades 2026-11-03"])
        for (job, day) in zip(done, ["2026-11-01", "2026-11-02", "2026-11-03"]) {
            let output = try await pipeline.gateway("GET", "/jobs/\(job.id)/artifacts/output.csv", token: token)
            let text = String(decoding: output.body, as: UTF8.self)
            #expect(text.hasPrefix("a,b,day") && text.contains("1,2,\(day)") && text.contains("3,4,\(day)"), "\(job.name): \(text)")
        }
        // A run date that is no date fails the job with a reason.
        let bad = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: token, json: JobSubmit(
            source: .inline("a\n1\n"), options: JobOptions(runDate: "2026-13-01"), project: "alpha"))
        try await TestEnvironment.eventually(timeout: .seconds(30)) {
            (try? await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(bad.id)", token: token))?.error?
                .contains("ingest.invalid-run-date") == true
        }
        // Each run was submitted when the one before it ended (the scheduler's ledger).
        let schema = TestEnvironment.schema("scheduler", prefix: pipeline.prefix)
        let rows = try await TestEnvironment.withDatabase(TestEnvironment.adminDatabase(schema: schema)) { db in
            var result: [(String, Date, Date)] = []
            for try await row in try await db.query("""
                SELECT state, submitted_at, finished_at FROM runs WHERE backfill_id = \(backfill.id ?? "") ORDER BY fire_time
                """, logger: TestEnvironment.logger).decode((String, Date, Date).self) {
                result.append(row)
            }
            return result
        }
        #expect(rows.map(\.0) == ["published", "published", "published"])
        #expect(rows.count == 3 && rows[1].1 >= rows[0].2 && rows[2].1 >= rows[1].2, "\(rows)")
        await world.stop()
    }

    @Test("a cancel the scheduler gives (its cancelRunning policy) cancels the job in the gateway's read model")
    func schedulerCancel() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let token = world.token("admin")
        _ = try await pipeline.gateway("POST", "/projects/alpha/pause", token: token, json: ["note": "hold"])
        let job = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: token,
                                                 json: JobSubmit(source: .inline("a\n1\n"), project: "alpha"))
        let control = Envelope(id: "schedule/s/1/cancel/\(job.id)", jobId: job.id, correlationId: job.id, causationId: nil,
                               producer: "scheduler", project: "alpha",
                               payload: JobControl(action: .cancel, scope: .job, target: job.id, requestedBy: "scheduler",
                                                   note: "schedule s fired; its overlap policy cancels the running job"))
        let topology = SluiceTopology(prefix: pipeline.prefix, subscriptions: ServiceCatalog.subscriptions)
        try await pipeline.publisher.publish([try OutgoingMessage.event(control, topology: topology)])
        try await TestEnvironment.eventually {
            (try? await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(job.id)", token: token))?.state == "cancelled"
        }
        let events = try await pipeline.gatewayJSON(JobEventPage.self, "GET", "/jobs/\(job.id)/events", token: token)
        #expect(events.items.contains { $0.actor == "scheduler" && $0.message.contains("overlap policy") }, "\(events.items)")
        await world.stop()
    }
}
