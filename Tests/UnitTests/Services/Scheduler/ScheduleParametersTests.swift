import APIModels
import Contracts
import Foundation
@testable import SchedulerService
import Testing

/// The fire time in a scheduled job's texts, and the period it closes.
@Suite("Schedule parameters")
struct ScheduleParametersTests {
    @Test("a daily 02:00 Madrid fire: its date, and the period since the fire before, with offsets")
    func values() throws {
        let madrid = try #require(TimeZone(identifier: "Europe/Madrid"))
        let cron = try CronExpression("0 2 * * *")
        // 2026-03-29 02:00 does not exist in Madrid (clocks jump to 03:00): the fire is at the jump.
        let fire = try Date("2026-03-29T01:00:00Z", strategy: .iso8601)
        let previous = try #require(cron.previous(before: fire, in: madrid))
        #expect(previous == (try Date("2026-03-28T01:00:00Z", strategy: .iso8601)))
        let values = ScheduleParameters.values(fireTime: fire, periodStart: previous, zone: madrid)
        #expect(values == ["scheduledDate": "2026-03-29", "scheduledAt": "2026-03-29T03:00:00+02:00",
                           "periodStart": "2026-03-28T02:00:00+01:00", "periodEnd": "2026-03-29T03:00:00+02:00"])
    }

    @Test("every text of the job gets the values; unknown placeholders and other texts stay")
    func apply() throws {
        let job = JobSubmit(name: "grades {{scheduledDate}}", source: .url("https://example.org/{{scheduledDate}}.csv"),
                            tags: ["day": "{{scheduledDate}}", "other": "{{nope}}"])
        let applied = try ScheduleParameters.apply(["scheduledDate": "2026-11-03"], to: job)
        #expect(applied.name == "grades 2026-11-03" && applied.source.url == "https://example.org/2026-11-03.csv")
        #expect(applied.tags == ["day": "2026-11-03", "other": "{{nope}}"])
        let plain = JobSubmit(source: .inline("a\n1\n"))
        #expect(try ScheduleParameters.apply(["scheduledDate": "x"], to: plain).source.content == "a\n1\n")
    }

    @Test("the fire before: across a month, a year, and none for an impossible expression")
    func previous() throws {
        let monthly = try CronExpression("0 0 1 * *")
        #expect(monthly.previous(before: try Date("2026-01-01T00:00:00Z", strategy: .iso8601), in: .gmt)
                == (try Date("2025-12-01T00:00:00Z", strategy: .iso8601)))
        let leap = try CronExpression("0 0 29 2 *")
        #expect(leap.previous(before: try Date("2026-06-01T00:00:00Z", strategy: .iso8601), in: .gmt)
                == (try Date("2024-02-29T00:00:00Z", strategy: .iso8601)))
        #expect(try CronExpression("0 0 30 2 *").previous(before: Date(), in: .gmt) == nil)
    }
}
