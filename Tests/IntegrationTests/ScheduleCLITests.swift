import Foundation
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
        let removed = try await SluiceCLI.run(["schedules", "remove", name], environment: env)
        #expect(removed.status == 0)
        let gone = try await SluiceCLI.run(["schedules", "show", name], environment: env)
        #expect(gone.status != 0, "\(gone.output)")
        let noJob = try await SluiceCLI.run(["schedules", "add", "x", "--cron", "@daily"], environment: env)
        #expect(noJob.status == 2 && noJob.output.contains("--job FILE"))
        await world.stop()
    }
}
