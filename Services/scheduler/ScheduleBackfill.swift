import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// Runs a schedule for every fire time of a range: one job (or, for a `datasets` schedule, one
/// catalog batch) each, with ids of its own (so a day already run runs again) and the fire
/// time in its parameters (a catalog batch's jobs run for its day), submitted through the
/// outbox (all at once, or one after another under `bufferAll`) and recorded (`backfills`,
/// `backfill_runs`, `runs`). Fires and the schedule's next fire time are untouched.
struct ScheduleBackfill {
    let runtime: RuntimeContext

    /// A backfill runs at most this many jobs; a longer range is refused.
    static let maxRuns = 1_000

    /// The fire times of `schedule` in `[from, to)`, oldest first.
    static func fireTimes(_ schedule: Schedule, from: Date, to: Date) throws -> [Date] {
        guard to > from else {
            throw SluiceError.permanent("scheduler.invalid-range", "the backfill's `to` must be after its `from`")
        }
        let cron: CronExpression
        do { cron = try CronExpression(schedule.cron) } catch {
            throw SluiceError.permanent(error.code, error.message)
        }
        let zone = TimeZone(identifier: schedule.zone) ?? .gmt
        var times: [Date] = []
        var candidate = cron.next(atOrAfter: from, in: zone)
        while let fire = candidate, fire < to {
            guard times.count < maxRuns else {
                throw SluiceError.permanent("scheduler.backfill-too-long",
                                            "the range holds more than \(maxRuns) fire times; backfill it in parts")
            }
            times.append(fire)
            candidate = cron.next(after: fire, in: zone)
        }
        return times
    }

    func run(_ schedule: Schedule, _ request: BackfillRequest, actor: String?) async throws -> Backfill {
        let times = try Self.fireTimes(schedule, from: request.from, to: request.to)
        guard ScheduledRun.follows(schedule) else {
            throw SluiceError.permanent("scheduler.invalid-action", "schedule \(schedule.name) sends "
                                        + "\(schedule.action?.kind.rawValue ?? "") messages: a backfill is for schedules that "
                                        + "submit a job or run the dataset catalog")
        }
        if request.dryRun == true {
            return Backfill(id: nil, scheduleId: schedule.id, from: request.from, to: request.to, dryRun: true,
                            runs: times.map { Backfill.Run(scheduledAt: $0, jobId: nil) })
        }
        let id = "bf-" + MessageID.random().prefix(8)
        let overlap = request.overlap ?? .allowAll
        let runs = try await runtime.transaction { connection, emitter in
            try await connection.query("""
                INSERT INTO backfills (id, schedule_id, range_from, range_to, runs, actor, overlap)
                VALUES (\(id), \(schedule.id), \(request.from), \(request.to), \(times.count), \(actor), \(overlap.rawValue))
                """, logger: runtime.logger)
            let ledger = RunRepository(runtime: runtime, connection: connection)
            var runs: [Backfill.Run] = []
            for time in times {
                guard let run = try ScheduledRun.of(schedule, at: time, suffix: "-\(id)") else { continue }
                try await connection.query("""
                    INSERT INTO backfill_runs (backfill_id, fire_time, job_id) VALUES (\(id), \(time), \(run.id))
                    """, logger: runtime.logger)
                // One after another: the first runs, each of the others when the one before it ends.
                let waits = overlap == .bufferAll && !runs.isEmpty
                try await ledger.insert(run, scheduleId: schedule.id, fireTime: time, backfillId: id, waiting: waits)
                if !waits { try run.emit(to: emitter) }
                let batch = run.kind == "batch"
                runs.append(Backfill.Run(scheduledAt: time, jobId: batch ? nil : run.id, batchId: batch ? run.id : nil,
                                         state: waits ? "waiting" : "running"))
            }
            return runs
        }
        runtime.logger.info("schedule backfilled", metadata: ["schedule": "\(schedule.name)", "runs": "\(runs.count)"])
        return Backfill(id: id, scheduleId: schedule.id, from: request.from, to: request.to, dryRun: false, runs: runs,
                        overlap: overlap)
    }
}
