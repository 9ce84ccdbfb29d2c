import APIModels
import Contracts
import Foundation
import Runtime
import ServiceLifecycle

/// Fires due schedules. Each tick locks due rows with `FOR UPDATE SKIP LOCKED` (replicas
/// never take the same row), records the fire time under a primary key (a fire time is used
/// once even across restarts), and emits `job.submit` through the outbox in the same
/// transaction. The message id and job id derive from schedule and fire time.
struct SchedulerLoop {
    let runtime: RuntimeContext
    let tick: Duration
    let misfireGrace: Duration

    func run() async throws {
        try await runtime.waitUntilReady()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let fired = try await fireDue(now: Date())
                if fired > 0 { runtime.logger.info("schedules fired", metadata: ["count": "\(fired)"]) }
            } catch {
                runtime.logger.warning("scheduler tick failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            await sleepUnlessShuttingDown(for: tick)
        }
    }

    /// Fires every schedule due at `now`; returns how many jobs were submitted.
    func fireDue(now: Date) async throws -> Int {
        let grace = Double(misfireGrace.components.seconds)
        return try await runtime.transaction { connection, emitter in
            let repository = ScheduleRepository(runtime: runtime)
            var fired = 0
            for schedule in try await repository.lockDue(now: now, on: connection) {
                guard let fireTime = schedule.nextFireAt, let cron = try? CronExpression(schedule.cron),
                      let zone = TimeZone(identifier: schedule.zone) else { continue }
                let next = cron.next(after: max(fireTime, now.addingTimeInterval(-grace)), in: zone)
                if now.timeIntervalSince(fireTime) <= grace,
                   try await repository.recordFire(scheduleId: schedule.id, at: fireTime, on: connection) {
                    try emitter.emit(Self.submission(for: schedule, at: fireTime))
                    fired += 1
                } else if now.timeIntervalSince(fireTime) > grace {
                    runtime.logger.warning("missed fire skipped (older than the misfire grace)",
                                           metadata: ["schedule": "\(schedule.name)", "fire_time": "\(fireTime)"])
                }
                try await repository.setNext(scheduleId: schedule.id, next: next, on: connection)
            }
            return fired
        }
    }

    static func submission(for schedule: Schedule, at fireTime: Date) -> Envelope<JobSubmit> {
        let stamp = Int64(fireTime.timeIntervalSince1970)
        var job = schedule.job
        job.jobId = "sched-\(schedule.id)-\(stamp)"
        job.idempotencyKey = job.jobId
        job.name = job.name ?? schedule.name
        var tags = job.tags ?? [:]
        tags["schedule"] = schedule.name
        job.tags = tags
        return Envelope(id: "schedule/\(schedule.id)/\(stamp)", jobId: job.jobId, correlationId: job.jobId!,
                        causationId: nil, occurredAt: fireTime, priority: job.priority, payload: job)
    }
}
