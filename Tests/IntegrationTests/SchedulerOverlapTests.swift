import APIModels
import Contracts
import Foundation
import Hosting
import Messaging
@testable import SchedulerService
@testable import TestSupport
import Testing

/// Overlap policies on real PostgreSQL and RabbitMQ: a second fire while the first run still
/// runs, each policy; a buffered fire submitted when the run ends; the leader's overdue watch.
/// The tick is driven by hand with its clock, ten days ahead of the host's own.
@Suite("Scheduler overlap and overdue (real RabbitMQ and PostgreSQL)")
struct SchedulerOverlapTests {
    @Test("second fire while the first runs: skip records it, bufferOne waits and runs after, allowAll runs, cancelRunning cancels")
    func overlap() async throws {
        let (prefix, host, task) = try await SchedulerCatchUpTests.scheduler("o")
        let tap = try await EventTap(prefix: prefix, keys: ["job.submit", "job.control"])
        let repository = ScheduleRepository(runtime: host.runtime)
        let loop = SchedulerLoop(runtime: host.runtime, tick: .seconds(3600), misfireGrace: .seconds(3600))
        let tenDays = Date().addingTimeInterval(10 * 86_400).timeIntervalSince1970
        let t0 = Date(timeIntervalSince1970: (tenDays / 3600).rounded(.down) * 3600)
        var ids: [Overlap: String] = [:]
        for policy in Overlap.allCases {
            let name = "hourly-\(policy.rawValue)-\(prefix)"
            let schedule = Schedule(id: MessageID.hash("schedule", name), name: name, cron: "0 * * * *",
                                    job: JobSubmit(source: .inline("a\n1\n")), enabled: true, nextFireAt: t0, overlap: policy)
            try await repository.upsert(schedule)
            ids[policy] = schedule.id
        }
        #expect(try await loop.fireDue(now: t0.addingTimeInterval(5)) == 4, "nothing runs yet: every policy fires")
        #expect(try await loop.fireDue(now: t0.addingTimeInterval(3605)) == 2, "allowAll and cancelRunning fire again")
        func fires(_ policy: Overlap) async throws -> [ScheduleFire] {
            try await repository.fires(scheduleId: ids[policy]!, limit: 10)
        }
        let skip = try await fires(.skip)
        #expect(skip.map(\.outcome) == ["skipped", "fired"] && skip[0].jobId == nil, "\(skip)")
        #expect(skip[0].reason?.contains("still running") == true && skip[1].state == "running")
        let allow = try await fires(.allowAll)
        #expect(allow.map(\.outcome) == ["fired", "fired"] && allow.allSatisfy { $0.state == "running" })
        let cancel = try await fires(.cancelRunning)
        #expect(cancel.map(\.outcome) == ["fired", "fired"] && cancel.map(\.state) == ["running", "cancelled"], "\(cancel)")
        let cancelledJob = try #require(cancel[1].jobId)
        try await TestEnvironment.eventually {
            tap.messages("job.control").contains { delivery in
                (try? JSONCoding.decode(Envelope<JobControl>.self, from: delivery.body))
                    .map { $0.payload.action == .cancel && $0.payload.target == cancelledJob && $0.producer == "scheduler" } ?? false
            }
        }

        // bufferOne: the second fire waits, a third is skipped; when the first ends the second is submitted.
        var buffer = try await fires(.bufferOne)
        #expect(buffer.map(\.outcome) == ["buffered", "fired"] && buffer.map(\.state) == ["waiting", "running"], "\(buffer)")
        let waitingJob = try #require(buffer[0].jobId)
        #expect(try await loop.fireDue(now: t0.addingTimeInterval(7205)) == 2)
        buffer = try await fires(.bufferOne)
        #expect(buffer.map(\.outcome) == ["skipped", "buffered", "fired"], "\(buffer)")
        #expect(buffer[0].reason?.contains("already waits") == true)
        let submitted = { tap.messages("job.submit").filter { $0.properties.messageId?.hasPrefix("schedule/\(ids[.bufferOne]!)/") == true } }
        try await Task.sleep(for: .milliseconds(300))
        #expect(submitted().count == 1, "the buffered fire is not submitted while the first runs")
        let firstJob = try #require(buffer[2].jobId)
        try await host.runtime.transaction { connection, emitter in
            try await RunRepository(runtime: host.runtime, connection: connection)
                .finish(jobId: firstJob, state: "published", at: Date(), emitter: emitter)
        }
        buffer = try await fires(.bufferOne)
        #expect(buffer.map(\.state) == [nil, "running", "published"], "\(buffer)")
        #expect(buffer[2].durationSeconds != nil && buffer[1].submittedAt != nil)
        try await TestEnvironment.eventually { submitted().count == 2 }
        #expect(submitted().compactMap { try? JSONCoding.decode(Envelope<JobSubmit>.self, from: $0.body).payload.jobId }
            .contains(waitingJob))
        await tap.close()
        await host.shutdown()
        _ = try? await task.value
        await TestEnvironment.dropSchemas(prefix: prefix, services: ["scheduler"])
    }

    @Test("a schedule that let two fire times pass without a job is reported once as schedule.overdue; /health shows it")
    func overdue() async throws {
        let (prefix, host, task) = try await SchedulerCatchUpTests.scheduler("d")
        let tap = try await EventTap(prefix: prefix, keys: ["schedule.overdue"])
        let repository = ScheduleRepository(runtime: host.runtime)
        let name = "minutely-\(prefix)"
        let schedule = Schedule(id: MessageID.hash("schedule", name), name: name, cron: "* * * * *",
                                job: JobSubmit(source: .inline("a\n1\n")), enabled: true, nextFireAt: Date().addingTimeInterval(86_400))
        try await repository.upsert(schedule)
        let watch = OverdueWatch(runtime: host.runtime)
        #expect(try await watch.check(now: Date()).isEmpty, "just set up")
        let later = Date().addingTimeInterval(4 * 60)
        #expect(try await watch.check(now: later) == [name])
        #expect(try await watch.check(now: later.addingTimeInterval(60)).isEmpty, "reported once per stretch")
        try await TestEnvironment.eventually { tap.messages("schedule.overdue").count == 1 }
        let message = try JSONCoding.decode(Envelope<ScheduleOverdue>.self, from: tap.messages("schedule.overdue")[0].body)
        #expect(message.payload.name == name && message.payload.missedFires.count >= 2 && message.payload.lastFiredAt == nil)
        #expect(message.payload.reason.contains("has not submitted a job"))
        let health = try await SchedulerStateRepository(runtime: host.runtime).health(of: SchedulerReplica())
        #expect(health.overdue.contains(name) && health.schedules >= 1)
        await tap.close()
        await host.shutdown()
        _ = try? await task.value
        await TestEnvironment.dropSchemas(prefix: prefix, services: ["scheduler"])
    }
}
