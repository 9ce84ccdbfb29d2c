import APIModels
import Contracts
import Foundation
import Hosting
import Messaging
@testable import SchedulerService
@testable import TestSupport
import Testing

/// A `datasets` schedule's fires on real PostgreSQL and RabbitMQ: each is a catalog batch the
/// scheduler follows to its `batch.finished`, so its overlap policy, its history and its
/// backfills work as a `submit` schedule's do. The tick is driven by hand, ten days ahead.
@Suite("Datasets schedules follow their batches (real RabbitMQ and PostgreSQL)")
struct SchedulerCatalogRunTests {
    @Test("skip and bufferOne wait for the batch's end, cancelRunning cancels the batch, an empty batch ends the run; a backfill runs a batch per day")
    func catalogRuns() async throws {
        let (prefix, host, task) = try await SchedulerCatchUpTests.scheduler("k")
        let tap = try await EventTap(prefix: prefix, keys: ["rerun.requested", "job.control"])
        let repository = ScheduleRepository(runtime: host.runtime)
        let loop = SchedulerLoop(runtime: host.runtime, tick: .seconds(3600), misfireGrace: .seconds(3600))
        let tenDays = Date().addingTimeInterval(10 * 86_400).timeIntervalSince1970
        let t0 = Date(timeIntervalSince1970: (tenDays / 3600).rounded(.down) * 3600)
        var schedules: [Overlap: Schedule] = [:]
        for policy in [Overlap.skip, .bufferOne, .cancelRunning] {
            let name = "catalog-\(policy.rawValue)-\(prefix)"
            let schedule = Schedule(id: MessageID.hash("schedule", name), name: name, cron: "0 * * * *", zone: "Europe/Madrid",
                                    job: nil, action: ScheduleAction(kind: .datasets, tags: ["category": "Matematicas"]),
                                    project: "analytics", enabled: true, nextFireAt: t0, overlap: policy)
            try await repository.upsert(schedule)
            schedules[policy] = schedule
        }
        func fires(_ policy: Overlap) async throws -> [ScheduleFire] {
            try await repository.fires(scheduleId: schedules[policy]!.id, limit: 10)
        }
        func requests(_ policy: Overlap) -> [Envelope<RerunRequested>] {
            tap.messages("rerun.requested").compactMap { try? JSONCoding.decode(Envelope<RerunRequested>.self, from: $0.body) }
                .filter { $0.id.hasPrefix("schedule/\(schedules[policy]!.id)/") }
        }
        func finish(_ batchId: String, jobs: Int, state: String = "completed") async throws {
            try await host.runtime.transaction { _, emitter in
                try emitter.emit(Envelope(id: "gateway/batch/\(batchId)/finished", jobId: nil, correlationId: "batch/\(batchId)",
                                          causationId: nil, producer: "gateway", project: "analytics", payload: BatchFinished(
                                              batchId: batchId, name: "b", project: "analytics", state: state, jobs: jobs,
                                              completed: jobs, failed: 0, cancelled: 0, successRate: 1, rowsValid: 0,
                                              rowsInvalid: 0, createdAt: Date(), finishedAt: Date(), notify: nil)))
            }
        }

        #expect(try await loop.fireDue(now: t0.addingTimeInterval(5)) == 3, "nothing runs yet: every policy starts its batch")
        #expect(try await loop.fireDue(now: t0.addingTimeInterval(3605)) == 1, "only cancelRunning starts another")
        var skip = try await fires(.skip)
        let firstId = "schedule/\(schedules[.skip]!.id)/\(Int64(t0.timeIntervalSince1970))"
        #expect(skip.map(\.outcome) == ["skipped", "fired"] && skip[1].state == "running", "\(skip)")
        #expect(skip[1].batchId == RerunRequested.batchId(ofRequest: firstId) && skip[1].jobId == nil)
        #expect(skip[0].reason?.contains("batch \(skip[1].batchId ?? "?")") == true && skip[0].reason?.contains("still running") == true)
        #expect(try await TestEnvironment.eventually { requests(.skip).count == 1 && requests(.cancelRunning).count == 2 })
        let madrid = DateFormatter()
        madrid.dateFormat = "yyyy-MM-dd"
        madrid.timeZone = TimeZone(identifier: "Europe/Madrid")
        let request = try #require(requests(.skip).first)
        #expect(request.id == firstId && request.payload.catalog == true && request.payload.tags == ["category": "Matematicas"])
        #expect(request.payload.runDate == madrid.string(from: t0) && request.payload.requestedBy == "schedule:\(schedules[.skip]!.name)")

        // cancelRunning: the earlier batch is cancelled by a batch-scope control, then the fire runs.
        let cancel = try await fires(.cancelRunning)
        #expect(cancel.map(\.state) == ["running", "cancelled"], "\(cancel)")
        let cancelled = try #require(cancel[1].batchId)
        #expect(try await TestEnvironment.eventually {
            tap.messages("job.control").contains { delivery in
                (try? JSONCoding.decode(Envelope<JobControl>.self, from: delivery.body)).map {
                    $0.payload.action == .cancel && $0.payload.scope == .batch && $0.payload.target == cancelled
                } ?? false
            }
        }, "the earlier batch is cancelled with a batch-scope control")

        // bufferOne: the second fire waits until batch.finished ends the first through the broker.
        var buffer = try await fires(.bufferOne)
        #expect(buffer.map(\.outcome) == ["buffered", "fired"] && buffer.map(\.state) == ["waiting", "running"], "\(buffer)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(requests(.bufferOne).count == 1, "the buffered fire is not sent while the first batch runs")
        try await finish(try #require(buffer[1].batchId), jobs: 2)
        #expect(try await TestEnvironment.eventually { requests(.bufferOne).count == 2 }, "batch.finished starts the buffered fire")
        buffer = try await fires(.bufferOne)
        #expect(buffer.map(\.state) == ["running", "completed"] && buffer[1].durationSeconds != nil, "\(buffer)")
        #expect(requests(.bufferOne).last.map { RerunRequested.batchId(ofRequest: $0.id) } == buffer[0].batchId)

        // An empty batch (nothing selected) ends the run too; the next fire then runs.
        try await finish(try #require(skip[1].batchId), jobs: 0)
        #expect(try await TestEnvironment.eventually { (try? await fires(.skip))?.last?.state == "empty" })
        #expect(try await loop.fireDue(now: t0.addingTimeInterval(7205)) >= 1)
        skip = try await fires(.skip)
        #expect(skip.map(\.outcome) == ["fired", "skipped", "fired"] && skip[0].state == "running", "\(skip)")

        // A backfill of three past hours: one batch each, for that day, with ids of its own.
        let backfill = try await ScheduleBackfill(runtime: host.runtime).run(
            schedules[.skip]!, BackfillRequest(from: t0.addingTimeInterval(-3 * 3600), to: t0), actor: "ann")
        #expect(backfill.runs.count == 3 && backfill.runs.allSatisfy { $0.batchId != nil && $0.jobId == nil && $0.state == "running" })
        let suffix = "-\(backfill.id ?? "?")"
        #expect(try await TestEnvironment.eventually { requests(.skip).filter { $0.id.hasSuffix(suffix) }.count == 3 })
        let days = Set(requests(.skip).filter { $0.id.hasSuffix(suffix) }.compactMap(\.payload.runDate))
        #expect(days == Set(backfill.runs.map { madrid.string(from: $0.scheduledAt) }))
        #expect(Set(requests(.skip).filter { $0.id.hasSuffix(suffix) }.map { RerunRequested.batchId(ofRequest: $0.id) })
            == Set(backfill.runs.compactMap(\.batchId)))

        // Other actions are not followed, and cannot be backfilled.
        let cleanup = Schedule(id: MessageID.hash("schedule", "cleanup-\(prefix)"), name: "cleanup-\(prefix)", cron: "0 4 * * *",
                               job: nil, action: ScheduleAction(kind: .cleanup), enabled: true, nextFireAt: t0)
        await #expect(throws: SluiceError.self) {
            _ = try await ScheduleBackfill(runtime: host.runtime).run(cleanup, BackfillRequest(from: t0, to: t0.addingTimeInterval(86_400)),
                                                                      actor: nil)
        }
        await tap.close()
        await host.shutdown()
        _ = try? await task.value
        await TestEnvironment.dropSchemas(prefix: prefix, services: ["scheduler"])
    }
}
