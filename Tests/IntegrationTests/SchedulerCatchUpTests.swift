import APIModels
import Contracts
import Foundation
@testable import SchedulerService
@testable import TestSupport
import Testing

/// After the scheduler was down for several periods, each policy does what it says and every
/// missed fire is recorded (real PostgreSQL; the tick is driven by hand with its clock).
@Suite("Scheduler catch-up (real RabbitMQ and PostgreSQL)")
struct SchedulerCatchUpTests {
    let env = TestEnvironment.self

    @Test("down for 3 hourly periods: latest fires once and records the others, all fires each, skip none")
    func catchUp() async throws {
        let prefix = TestEnvironment.uniquePrefix("c")
        try await env.createSchemas(prefix: prefix, services: ["scheduler"])
        let host = try SchedulerService.descriptor.build(
            config: try env.runtimeConfig("scheduler", prefix: prefix, overrides: ["scheduler.tick.ms": "3600000"]),
            logger: env.logger)
        let task = Task { try await host.run() }
        try await host.waitUntilReady()
        let repository = ScheduleRepository(runtime: host.runtime)
        let loop = SchedulerLoop(runtime: host.runtime, tick: .seconds(3600), misfireGrace: .seconds(3600))
        // The last fire before the outage was at 06:00; the scheduler is back at 09:20. Ten days
        // ahead, so the host's own tick (on the real clock) never finds these schedules due.
        let tenDays = Date().addingTimeInterval(10 * 86_400).timeIntervalSince1970
        let sixOClock = Date(timeIntervalSince1970: (tenDays / 86_400).rounded(.down) * 86_400 + 6 * 3600)
        let back = sixOClock.addingTimeInterval(3 * 3600 + 20 * 60)
        var results: [CatchUp.Policy: (fired: Int, fires: [ScheduleFire], next: Date?)] = [:]
        for policy in CatchUp.Policy.allCases {
            let name = "hourly-\(policy.rawValue)-\(prefix)"
            let schedule = Schedule(id: MessageID.hash("schedule", name), name: name, cron: "0 * * * *",
                                    job: JobSubmit(source: .inline("a\n1\n")), enabled: true, nextFireAt: sixOClock,
                                    catchUp: CatchUp(policy: policy, windowSeconds: 86_400))
            try await repository.upsert(schedule)
            let fired = try await loop.fireDue(now: back)
            #expect(try await loop.fireDue(now: back) == 0, "a second tick at the same moment fires nothing")
            let stored = try await repository.all().first { $0.id == schedule.id }
            results[policy] = (fired, try await repository.fires(scheduleId: schedule.id, limit: 10), stored?.nextFireAt)
            try await repository.upsert(Schedule(id: schedule.id, name: name, cron: "0 * * * *", job: schedule.job,
                                                 enabled: false, nextFireAt: nil))
        }
        let hours = (0..<4).map { sixOClock.addingTimeInterval(Double($0) * 3600) }
        for (policy, result) in results {
            #expect(result.fires.map(\.scheduledAt).sorted() == hours, "\(policy): every due hour is recorded")
            #expect(result.next == sixOClock.addingTimeInterval(4 * 3600), "\(policy): then 10:00")
        }
        let latest = try #require(results[.latest])
        #expect(latest.fired == 1)
        #expect(latest.fires.map(\.outcome) == ["fired", "coalesced", "coalesced", "coalesced"])
        #expect(latest.fires[0].jobId?.hasSuffix("-\(Int(hours[3].timeIntervalSince1970))") == true)
        #expect(latest.fires[1].reason?.contains("coalesced into the fire of \(ISO8601DateFormatter().string(from: hours[3]))") == true)
        let all = try #require(results[.all])
        #expect(all.fired == 4 && all.fires.allSatisfy { $0.outcome == "fired" && $0.jobId != nil })
        #expect(Set(all.fires.compactMap(\.jobId)).count == 4)
        let skip = try #require(results[.skip])
        #expect(skip.fired == 0 && skip.fires.allSatisfy { $0.outcome == "missed" && $0.reason?.contains("skip") == true })

        // Beyond the window (1 hour here): the old ones are missed, the latest within it fires.
        let name = "hourly-window-\(prefix)"
        let short = Schedule(id: MessageID.hash("schedule", name), name: name, cron: "0 * * * *",
                             job: JobSubmit(source: .inline("a\n1\n")), enabled: true, nextFireAt: sixOClock,
                             catchUp: CatchUp(policy: .latest, windowSeconds: 3600))
        try await repository.upsert(short)
        #expect(try await loop.fireDue(now: back) == 1)
        let outcomes = try await repository.fires(scheduleId: short.id, limit: 10).map(\.outcome)
        #expect(outcomes == ["fired", "missed", "missed", "missed"])
        await host.shutdown()
        _ = try? await task.value
    }
}
