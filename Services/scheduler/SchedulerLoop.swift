import APIModels
import Contracts
import Foundation
import Runtime
import ServiceLifecycle

/// Fires due schedules. Each tick locks due rows with `FOR UPDATE SKIP LOCKED` (replicas
/// never take the same row), records each due fire time with its outcome under a primary key
/// (a fire time is used once even across restarts), and emits `job.submit` through the outbox
/// in the same transaction. The message id and job id derive from schedule and fire time.
/// Jobs and catalog batches are followed to their end (``ScheduledRun``, table `runs`) for
/// the overlap policies and the history.
struct SchedulerLoop {
    let runtime: RuntimeContext
    let tick: Duration
    let misfireGrace: Duration
    var replica = SchedulerReplica()
    /// How often the leader looks for overdue schedules.
    var overdueEvery: TimeInterval = 60

    func run() async throws {
        try await runtime.waitUntilReady()
        await replica.set("running")
        let state = SchedulerStateRepository(runtime: runtime)
        var beat = Date.distantPast, watched = Date.distantPast
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let fired = try await fireDue(now: Date())
                if fired > 0 { runtime.logger.info("schedules fired", metadata: ["count": "\(fired)"]) }
                if Date().timeIntervalSince(beat) >= SchedulerReplica.heartbeat {
                    try await state.heartbeat(replica)
                    beat = Date()
                }
                // The leader alone watches for schedules that stopped firing.
                if Date().timeIntervalSince(watched) >= overdueEvery,
                   SchedulerReplica.leader(of: try await state.live())?.id == replica.id {
                    _ = try await OverdueWatch(runtime: runtime).check(now: Date())
                    watched = Date()
                }
            } catch {
                runtime.logger.warning("scheduler tick failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            await sleepUnlessShuttingDown(for: tick)
        }
        await replica.set("stopping")
        try? await state.remove(replica)
    }

    /// Fires every schedule due at `now`; returns how many runs (jobs, catalog batches) were
    /// started and actions sent. Every due time of a schedule (all of them, after downtime) is
    /// recorded with its outcome (``CatchUpPlan``), at most `maxDuePerTick` per schedule and tick.
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
                while let next = cron.next(after: due[due.count - 1], in: zone), Jitter.due(schedule, fireTime: next) <= now {
                    if due.count == Self.maxDuePerTick { backlog = true; break }
                    due.append(next)
                }
                due.removeAll { time in schedule.endAt.map { time > $0 } ?? false }
                // A fire delayed by its jitter is not late.
                let plan = CatchUpPlan(due: due, now: now.addingTimeInterval(-Double(schedule.jitterSeconds)),
                                       policy: schedule.catchUp?.policy ?? .latest,
                                       windowSeconds: schedule.catchUp?.windowSeconds ?? defaultWindow, backlog: backlog)
                let runs = RunRepository(runtime: runtime, connection: connection)
                var open = try await runs.open(scheduleId: schedule.id)
                var notRun: [String: Int] = [:]
                for decision in plan.decisions {
                    var outcome = decision.outcome, reason = decision.reason
                    var run: ScheduledRun?
                    var rule = OverlapRule.run
                    if outcome == "fired", !ScheduledRun.follows(schedule), let action = schedule.action {
                        // Not followed: sent as it is, no run to overlap with; once per fire time.
                        let sent = try Self.actionLine(action, of: schedule, at: decision.time)
                        if try await repository.recordFire(scheduleId: schedule.id, at: decision.time, outcome: outcome,
                                                           reason: sent, on: connection) {
                            _ = try Self.emitAction(action, of: schedule, at: decision.time, emitter: emitter)
                            fired += 1
                        }
                        continue
                    }
                    if outcome == "fired" {
                        run = try ScheduledRun.of(schedule, at: decision.time)
                        rule = OverlapRule.decide(schedule.overlap, open: open)
                        switch rule {
                        case .skip(let why): outcome = "skipped"; reason = why; run = nil
                        case .buffer:
                            outcome = "buffered"
                            reason = "waits for the running \(run?.kind ?? "job") (the overlap policy buffers one)"
                        case .run, .cancelThenRun: break
                        }
                    }
                    guard try await repository.recordFire(scheduleId: schedule.id, at: decision.time, outcome: outcome,
                                                          reason: reason, jobId: run?.id, on: connection) else { continue }
                    guard let run else {
                        notRun[outcome, default: 0] += 1
                        continue
                    }
                    if case .cancelThenRun(let running) = rule {
                        for victim in open where running.contains(victim.jobId) {
                            try emitter.emit(ScheduledRun.cancel(victim.jobId, kind: victim.kind, by: schedule,
                                                                 firing: decision.time))
                        }
                        try await runs.cancelled(running, at: now)
                        open.removeAll { running.contains($0.jobId) }
                    }
                    let waits = rule == .buffer
                    try await runs.insert(run, scheduleId: schedule.id, fireTime: decision.time, waiting: waits)
                    open.append(OverlapRule.OpenRun(jobId: run.id, fireTime: decision.time, state: waits ? "waiting" : "running",
                                                    kind: run.kind))
                    if !waits {
                        try run.emit(to: emitter)
                        fired += 1
                    }
                }
                if !notRun.isEmpty {
                    runtime.logger.warning("schedule fires not run; each is recorded in its history", metadata: [
                        "schedule": "\(schedule.name)", "coalesced": "\(notRun["coalesced"] ?? 0)",
                        "missed": "\(notRun["missed"] ?? 0)", "skipped": "\(notRun["skipped"] ?? 0)",
                        "backlog": "\(backlog)"])
                }
                var next = cron.next(after: due.last ?? first, in: zone)
                if let end = schedule.endAt, let time = next, time > end { next = nil }
                try await repository.setNext(schedule, next: next, on: connection)
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
        guard let template = schedule.job else {
            throw SluiceError.permanent("scheduler.invalid-action", "schedule \(schedule.name) has no job to submit")
        }
        let stamp = Int64(fireTime.timeIntervalSince1970)
        let zone = TimeZone(identifier: schedule.zone) ?? .gmt
        let previous = (try? CronExpression(schedule.cron))?.previous(before: fireTime, in: zone)
        let values = ScheduleParameters.values(fireTime: fireTime, periodStart: previous, zone: zone)
        var job = try ScheduleParameters.apply(values, to: template)
        job.jobId = "sched-\(schedule.id)-\(stamp)\(suffix)"
        // The day it runs for, what the plan's run_date() reads: the fire's date in the schedule's zone.
        var options = job.options ?? JobOptions()
        options.runDate = options.runDate ?? values["scheduledDate"]
        job.options = options
        job.idempotencyKey = job.jobId
        job.name = job.name ?? schedule.name
        var tags = job.tags ?? [:]
        tags["schedule"] = schedule.name
        job.tags = tags
        return Envelope(id: "schedule/\(schedule.id)/\(stamp)\(suffix)", jobId: job.jobId, correlationId: job.jobId!,
                        causationId: nil, occurredAt: fireTime, priority: job.priority, payload: job)
    }
}
