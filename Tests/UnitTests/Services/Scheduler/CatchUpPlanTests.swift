import APIModels
import Foundation
@testable import SchedulerService
import Testing

/// What becomes of due fire times after the scheduler was down: every one recorded, the
/// policy deciding within the window.
@Suite("Catch-up plan")
struct CatchUpPlanTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    /// Three missed hourly fires (3, 2 and 1 hours late) and one on time (30 s late).
    var due: [Date] { [-10_800, -7_200, -3_600, -30].map { now.addingTimeInterval($0) } }

    func outcomes(_ policy: CatchUp.Policy, window: Int) -> [String] {
        CatchUpPlan(due: due, now: now, policy: policy, windowSeconds: window).decisions.map(\.outcome)
    }

    @Test("latest: the newest fires, the late ones coalesce into it; beyond the window they are missed")
    func latest() {
        #expect(outcomes(.latest, window: 86_400) == ["coalesced", "coalesced", "coalesced", "fired"])
        #expect(outcomes(.latest, window: 9_000) == ["missed", "coalesced", "coalesced", "fired"])
        let plan = CatchUpPlan(due: Array(due.prefix(3)), now: now, policy: .latest, windowSeconds: 86_400)
        #expect(plan.decisions.map(\.outcome) == ["coalesced", "coalesced", "fired"], "the newest late one fires when none is on time")
        #expect(plan.decisions[0].reason?.contains("coalesced into the fire of") == true)
    }

    @Test("all fires every late one within the window; skip fires none of them; on time always fires")
    func allAndSkip() {
        #expect(outcomes(.all, window: 86_400) == ["fired", "fired", "fired", "fired"])
        #expect(outcomes(.all, window: 5_000) == ["missed", "missed", "fired", "fired"])
        #expect(outcomes(.skip, window: 86_400) == ["missed", "missed", "missed", "fired"])
        let reason = CatchUpPlan(due: due, now: now, policy: .skip, windowSeconds: 86_400).decisions[0].reason
        #expect(reason?.contains("10800 s late") == true && reason?.contains("policy is skip") == true)
    }

    @Test("latest with a backlog longer than one tick: none of this part fires, the newest of the whole backlog will")
    func backlog() {
        let plan = CatchUpPlan(due: Array(due.prefix(3)), now: now, policy: .latest, windowSeconds: 86_400, backlog: true)
        #expect(plan.decisions.map(\.outcome) == ["coalesced", "coalesced", "coalesced"])
        #expect(plan.decisions[0].reason?.contains("the newest fire of the backlog") == true)
        #expect(CatchUpPlan(due: due, now: now, policy: .all, windowSeconds: 86_400, backlog: true).decisions
            .allSatisfy { $0.outcome == "fired" })
    }

    @Test("a window of 0 catches nothing up: only on-time fires run")
    func zeroWindow() {
        #expect(outcomes(.latest, window: 0) == ["missed", "missed", "missed", "fired"])
    }
}
