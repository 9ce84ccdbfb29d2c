import APIModels
import Contracts
import Foundation
@testable import SchedulerService
import Testing

/// What a fire does while earlier runs of its schedule have not ended; jitter; the overdue
/// rule; edits as merge patches.
@Suite("Overlap, jitter, overdue and edits")
struct OverlapRuleTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    var running: OverlapRule.OpenRun { OverlapRule.OpenRun(jobId: "sched-a-1", fireTime: t0, state: "running") }
    var waiting: OverlapRule.OpenRun {
        OverlapRule.OpenRun(jobId: "sched-a-2", fireTime: t0.addingTimeInterval(60), state: "waiting")
    }

    @Test("nothing running: every policy runs")
    func idle() {
        for policy in Overlap.allCases { #expect(OverlapRule.decide(policy, open: []) == .run, "\(policy)") }
    }

    @Test("something running: skip skips naming it, bufferOne buffers one then skips, allowAll runs, cancelRunning cancels it")
    func busy() {
        guard case .skip(let why) = OverlapRule.decide(.skip, open: [running]) else {
            Issue.record("skip must skip")
            return
        }
        #expect(why.contains("sched-a-1") && why.contains("still running") && why.contains("skip"))
        #expect(OverlapRule.decide(.bufferOne, open: [running]) == .buffer)
        guard case .skip(let full) = OverlapRule.decide(.bufferOne, open: [running, waiting]) else {
            Issue.record("a second buffered fire must be skipped")
            return
        }
        #expect(full.contains("sched-a-2") && full.contains("buffers one"))
        #expect(OverlapRule.decide(.allowAll, open: [running]) == .run)
        #expect(OverlapRule.decide(.cancelRunning, open: [running, waiting]) == .cancelThenRun(["sched-a-1"]))
    }

    @Test("jitter: within bounds, the same for the same fire, different across fires, none when 0")
    func jitter() {
        let delays = (0..<200).map { Jitter.delay(scheduleId: "s", fireTime: t0.addingTimeInterval(Double($0) * 60), maxSeconds: 300) }
        #expect(delays.allSatisfy { (0...300).contains($0) })
        #expect(Set(delays).count > 50, "spread over the range")
        #expect(Jitter.delay(scheduleId: "s", fireTime: t0, maxSeconds: 300) == delays[0], "deterministic")
        #expect(Jitter.delay(scheduleId: "s", fireTime: t0, maxSeconds: 0) == 0)
    }

    @Test("overdue: two daily fire times passed (after the grace and jitter) without a fire; one is not enough")
    func overdue() throws {
        let cron = try CronExpression("0 2 * * *")
        let lastFire = Date(timeIntervalSince1970: 1_799_978_400)  // a 02:00 UTC
        let oneDay = lastFire.addingTimeInterval(86_400 + 120)
        #expect(OverdueWatch.missed(cron: cron, zone: .gmt, since: lastFire, now: oneDay, jitterSeconds: 0, endAt: nil).count == 1)
        let twoDays = lastFire.addingTimeInterval(2 * 86_400 + 120)
        #expect(OverdueWatch.missed(cron: cron, zone: .gmt, since: lastFire, now: twoDays, jitterSeconds: 0, endAt: nil)
                == [lastFire.addingTimeInterval(86_400), lastFire.addingTimeInterval(2 * 86_400)])
        #expect(OverdueWatch.missed(cron: cron, zone: .gmt, since: lastFire, now: twoDays, jitterSeconds: 600, endAt: nil).count == 1,
                "a fire still within its jitter is not missed yet")
        #expect(OverdueWatch.missed(cron: cron, zone: .gmt, since: lastFire, now: twoDays, jitterSeconds: 0,
                                    endAt: lastFire.addingTimeInterval(86_400)).count == 1, "no fire expected past the end")
        // Weekdays only: Friday's fire, then nothing is due over the weekend.
        let weekdays = try CronExpression("0 9 * * MON-FRI")
        let friday = ISO8601DateFormatter().date(from: "2026-12-04T09:00:00Z")!
        let sunday = ISO8601DateFormatter().date(from: "2026-12-06T23:00:00Z")!
        #expect(OverdueWatch.missed(cron: weekdays, zone: .gmt, since: friday, now: sunday, jitterSeconds: 0, endAt: nil).isEmpty)
    }

    @Test("an edit is a merge patch: given members change, null removes, objects merge, the name stays")
    func edit() throws {
        let request = ScheduleRequest(name: "nightly", cron: "0 2 * * *", zone: "Europe/Madrid",
                                      job: JobSubmit(source: .path("/data/a.csv"), schemaName: "p.grades"),
                                      catchUp: CatchUp(policy: .all, windowSeconds: 600), endAt: t0)
        let edited = try request.merging(patch: Data(#"{"cron": "0 3 * * *", "endAt": null, "overlap": "bufferOne", "jitterSeconds": 30, "job": {"planName": "p.clean"}, "catchUp": {"windowSeconds": 60}}"#.utf8))
        #expect(edited.cron == "0 3 * * *" && edited.zone == "Europe/Madrid" && edited.endAt == nil)
        #expect(edited.overlap == .bufferOne && edited.jitterSeconds == 30)
        #expect(edited.job?.planName == "p.clean" && edited.job?.schemaName == "p.grades", "job members merge")
        #expect(edited.catchUp == CatchUp(policy: .all, windowSeconds: 60))
        #expect(throws: SluiceError.self) { try request.merging(patch: Data(#"{"name": "other"}"#.utf8)) }
        #expect(throws: SluiceError.self) { try request.merging(patch: Data("[1]".utf8)) }
        let bad = try request.merging(patch: Data(#"{"jitterSeconds": 7200}"#.utf8))
        #expect(throws: SluiceError.self) { try bad.validated() }
    }
}
