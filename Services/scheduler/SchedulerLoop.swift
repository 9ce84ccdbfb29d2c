import APIModels
import Contracts
import Foundation
import Runtime
import ServiceLifecycle

/// Fires due schedules. Each tick locks due rows with `FOR UPDATE SKIP LOCKED` (replicas
/// never take the same row), records each due fire time with its outcome under a primary key
/// (a fire time is used once even across restarts), and emits `job.submit` through the outbox
/// in the same transaction. The message id and job id derive from schedule and fire time.
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

    /// Fires every schedule due at `now`; returns how many jobs were submitted. Every due
    /// time of a schedule (all of them, after downtime) is recorded with its outcome
    /// (``CatchUpPlan``), at most `maxDuePerTick` per schedule and tick.
    func fireDue(now: Date) async throws -> Int {
        let defaultWindow = Int(misfireGrace.components.seconds)
        return try await runtime.transaction { connection, emitter in
            let repository = ScheduleRepository(runtime: runtime)
            var fired = 0
            for schedule in try await repository.lockDue(now: now, on: connection) {
                guard let first = schedule.nextFireAt, let cron = try? CronExpression(schedule.cron),
                      let zone = TimeZone(identifier: schedule.zone) else { continue }
                var due = [first]
                var backlog = false
                while let next = cron.next(after: due[due.count - 1], in: zone), next <= now {
                    if due.count == Self.maxDuePerTick { backlog = true; break }
                    due.append(next)
                }
                due.removeAll { time in schedule.endAt.map { time > $0 } ?? false }
                let plan = CatchUpPlan(due: due, now: now, policy: schedule.catchUp?.policy ?? .latest,
                                       windowSeconds: schedule.catchUp?.windowSeconds ?? defaultWindow, backlog: backlog)
                var notRun: [String: Int] = [:]
                for decision in plan.decisions {
                    let submission = decision.outcome == "fired" ? try Self.submission(for: schedule, at: decision.time) : nil
                    guard try await repository.recordFire(scheduleId: schedule.id, at: decision.time, outcome: decision.outcome,
                                                          reason: decision.reason, jobId: submission?.payload.jobId,
                                                          on: connection) else { continue }
                    if let submission {
                        try emitter.emit(submission)
                        fired += 1
                    } else {
                        notRun[decision.outcome, default: 0] += 1
                    }
                }
                if !notRun.isEmpty {
                    runtime.logger.warning("schedule fires not run (late); each is recorded in its history", metadata: [
                        "schedule": "\(schedule.name)", "coalesced": "\(notRun["coalesced"] ?? 0)",
                        "missed": "\(notRun["missed"] ?? 0)", "backlog": "\(backlog)"])
                }
                var next = cron.next(after: due.last ?? first, in: zone)
                if let end = schedule.endAt, let time = next, time > end { next = nil }
                try await repository.setNext(scheduleId: schedule.id, next: next, on: connection)
            }
            return fired
        }
    }

    /// Due times handled per schedule in one tick; a longer backlog goes on at the next.
    static let maxDuePerTick = 1_000

    /// The `job.submit` of a fire at `fireTime`: ids from schedule and fire time (`suffix`
    /// tells a backfill's run from the fire itself), the fire time in its parameters
    /// (``ScheduleParameters``), tagged with the schedule.
    static func submission(for schedule: Schedule, at fireTime: Date, suffix: String = "") throws -> Envelope<JobSubmit> {
        let stamp = Int64(fireTime.timeIntervalSince1970)
        let zone = TimeZone(identifier: schedule.zone) ?? .gmt
        let previous = (try? CronExpression(schedule.cron))?.previous(before: fireTime, in: zone)
        var job = try ScheduleParameters.apply(
            ScheduleParameters.values(fireTime: fireTime, periodStart: previous, zone: zone), to: schedule.job)
        job.jobId = "sched-\(schedule.id)-\(stamp)\(suffix)"
        job.idempotencyKey = job.jobId
        job.name = job.name ?? schedule.name
        var tags = job.tags ?? [:]
        tags["schedule"] = schedule.name
        job.tags = tags
        return Envelope(id: "schedule/\(schedule.id)/\(stamp)\(suffix)", jobId: job.jobId, correlationId: job.jobId!,
                        causationId: nil, occurredAt: fireTime, priority: job.priority, payload: job)
    }
}
