import APIModels
import Contracts
import Foundation
import Hosting
import Messaging
@testable import SchedulerService
@testable import TestSupport
import Testing

/// After the scheduler was down for several periods, each policy does what it says and every
/// missed fire is recorded (real PostgreSQL; the tick is driven by hand with its clock).
@Suite("Scheduler catch-up (real RabbitMQ and PostgreSQL)")
struct SchedulerCatchUpTests {
    let env = TestEnvironment.self

    /// A scheduler in schemas of its own whose own tick (on the real clock) waits an hour.
    static func scheduler(_ letter: String) async throws -> (String, ServiceHost, Task<Void, any Error>) {
        let prefix = TestEnvironment.uniquePrefix(letter)
        try await TestEnvironment.createSchemas(prefix: prefix, services: ["scheduler"])
        let host = try SchedulerService.descriptor.build(
            config: try TestEnvironment.runtimeConfig("scheduler", prefix: prefix, overrides: ["scheduler.tick.ms": "3600000"]),
            logger: TestEnvironment.logger)
        let task = Task { try await host.run() }
        try await host.waitUntilReady()
        return (prefix, host, task)
    }

    @Test("down for 3 hourly periods: latest fires once and records the others, all fires each, skip none")
    func catchUp() async throws {
        let (prefix, host, task) = try await Self.scheduler("c")
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
                                    catchUp: CatchUp(policy: policy, windowSeconds: 86_400), overlap: .allowAll)
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
                             catchUp: CatchUp(policy: .latest, windowSeconds: 3600), overlap: .allowAll)
        try await repository.upsert(short)
        #expect(try await loop.fireDue(now: back) == 1)
        let outcomes = try await repository.fires(scheduleId: short.id, limit: 10).map(\.outcome)
        #expect(outcomes == ["fired", "missed", "missed", "missed"])
        await host.shutdown()
        _ = try? await task.value
        await TestEnvironment.dropSchemas(prefix: prefix, services: ["scheduler"])
    }

    @Test("backfill of 7 days: exactly 7 runs with the right dates in their jobs; a dry run submits nothing")
    func backfill() async throws {
        let (prefix, host, task) = try await Self.scheduler("b")
        let topology = host.config.topology
        let watcher = AMQPConsumer(config: env.amqp, topology: topology.all(), logger: env.logger)
        try await watcher.consume(queues: [topology.queue("ingest")])
        let submissions = DeliveryCollector(watcher)
        let name = "daily-\(prefix)"
        let schedule = Schedule(id: MessageID.hash("schedule", name), name: name, cron: "0 2 * * *", zone: "Europe/Madrid",
                                job: JobSubmit(source: .url("https://example.org/grades/{{scheduledDate}}.csv")),
                                enabled: false, nextFireAt: nil)
        try await ScheduleRepository(runtime: host.runtime).upsert(schedule)
        let madrid = try #require(TimeZone(identifier: "Europe/Madrid"))
        let from = try #require(CronExpression.instant("2026-11-01T00:00", in: madrid))
        let to = try #require(CronExpression.instant("2026-11-08T00:00", in: madrid))
        let days = (1...7).map { String(format: "2026-11-%02d", $0) }
        let backfills = ScheduleBackfill(runtime: host.runtime)

        let dry = try await backfills.run(schedule, BackfillRequest(from: from, to: to, dryRun: true), actor: "ann")
        #expect(dry.dryRun && dry.runs.count == 7 && dry.runs.allSatisfy { $0.jobId == nil })
        #expect(dry.runs.map { CronExpression.timestamp($0.scheduledAt, in: madrid) } == days.map { $0 + "T02:00:00+01:00" })

        let done = try await backfills.run(schedule, BackfillRequest(from: from, to: to), actor: "ann")
        #expect(done.runs.count == 7 && Set(done.runs.compactMap(\.jobId)).count == 7)
        _ = try await submissions.wait(for: 7)
        try await Task.sleep(for: .milliseconds(500))
        // Delivery is at least once (the outbox relay may send a row again while its confirm is
        // being recorded): the submissions are unique by message id.
        let unique = Dictionary(submissions.deliveries.map { ($0.properties.messageId ?? "", $0) }) { first, _ in first }
        let jobs = try unique.values.map { try JSONCoding.decode(Envelope<JobSubmit>.self, from: $0.body).payload }
        #expect(jobs.count == 7, "\(jobs.count) submissions")
        #expect(Set(jobs.compactMap(\.source.url)) == Set(days.map { "https://example.org/grades/\($0).csv" }))
        #expect(jobs.allSatisfy { $0.tags?["schedule"] == name })
        #expect(Set(jobs.compactMap(\.options?.runDate)) == Set(days), "each job runs for its day (run_date())")
        // The same range again runs again (new job ids); more than 1,000 fire times is refused.
        let again = try await backfills.run(schedule, BackfillRequest(from: from, to: to), actor: "ann")
        #expect(Set(again.runs.compactMap(\.jobId)).isDisjoint(with: Set(done.runs.compactMap(\.jobId))))
        await #expect { try await backfills.run(schedule, BackfillRequest(from: from, to: from.addingTimeInterval(4000 * 86_400)),
                                                 actor: nil) } throws: { ($0 as? SluiceError)?.code == "scheduler.backfill-too-long" }
        await watcher.close()
        await host.shutdown()
        _ = try? await task.value
        await TestEnvironment.dropSchemas(prefix: prefix, services: ["scheduler"])
    }
}
