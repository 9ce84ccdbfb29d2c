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
}
