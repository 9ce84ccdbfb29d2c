import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// The jobs and catalog batches the scheduler started (table `runs`, ``ScheduledRun``), for
/// overlap policies and fire history: `waiting` (buffered, its message kept), `running`, then
/// how it ended, as the job and batch events the scheduler observes tell.
struct RunRepository {
    let runtime: RuntimeContext
    let connection: PostgresConnection

    /// The runs of a schedule's own fires (or of one backfill) that have not ended.
    func open(scheduleId: String, backfillId: String? = nil) async throws -> [OverlapRule.OpenRun] {
        let rows = try await connection.query("""
            SELECT job_id, fire_time, state, kind FROM runs
            WHERE schedule_id = \(scheduleId) AND backfill_id IS NOT DISTINCT FROM \(backfillId)
              AND state IN ('waiting', 'running')
            ORDER BY fire_time
            """, logger: runtime.logger)
        var result: [OverlapRule.OpenRun] = []
        for try await (job, time, state, kind) in rows.decode((String, Date, String, String).self) {
            result.append(OverlapRule.OpenRun(jobId: job, fireTime: time, state: state, kind: kind))
        }
        return result
    }

    /// Records a started run, or a waiting one with the message it will send.
    func insert(_ run: ScheduledRun, scheduleId: String, fireTime: Date, backfillId: String? = nil,
                waiting: Bool) async throws {
        let kept = waiting ? try run.encoded() : nil
        try await connection.query("""
            INSERT INTO runs (job_id, kind, schedule_id, fire_time, backfill_id, state, submission, submitted_at)
            VALUES (\(run.id), \(run.kind), \(scheduleId), \(fireTime), \(backfillId),
                    \(waiting ? "waiting" : "running"), \(kept)::jsonb, \(waiting ? nil : Date()))
            ON CONFLICT (job_id) DO NOTHING
            """, logger: runtime.logger)
    }

    /// Records how a run (a job, or a catalog batch by its id) ended and, when it was the one
    /// a buffered run waited for, starts the next (through `emitter`, in the caller's
    /// transaction). Nothing for a run the scheduler did not start or that ended already.
    func finish(jobId: String, state: String, at time: Date, emitter: Emitter) async throws {
        var ended: (schedule: String, backfill: String?)?
        for try await (schedule, backfill) in try await connection.query("""
            SELECT schedule_id, backfill_id FROM runs WHERE job_id = \(jobId) AND state IN ('waiting', 'running')
            """, logger: runtime.logger).decode((String, String?).self) {
            ended = (schedule, backfill)
        }
        guard let ended else { return }
        // The schedule's row lock orders this with its tick and with other runs ending.
        try await connection.query("SELECT 1 FROM schedules WHERE id = \(ended.schedule) FOR UPDATE", logger: runtime.logger)
        let rows = try await connection.query("""
            UPDATE runs SET state = \(state), finished_at = \(time), submission = NULL
            WHERE job_id = \(jobId) AND state IN ('waiting', 'running') RETURNING 1
            """, logger: runtime.logger)
        var changed = false
        for try await _ in rows { changed = true }
        guard changed else { return }
        try await releaseNext(scheduleId: ended.schedule, backfillId: ended.backfill, emitter: emitter)
    }

    /// Submits the oldest waiting run when none of its kind runs.
    private func releaseNext(scheduleId: String, backfillId: String?, emitter: Emitter) async throws {
        let open = try await open(scheduleId: scheduleId, backfillId: backfillId)
        guard !open.contains(where: { $0.state == "running" }), let next = open.first(where: { $0.state == "waiting" })
        else { return }
        var kept: String?
        for try await submission in try await connection.query("""
            UPDATE runs SET state = 'running', submitted_at = now(), submission = NULL
            WHERE job_id = \(next.jobId) RETURNING (SELECT submission::text FROM runs WHERE job_id = \(next.jobId))
            """, logger: runtime.logger).decode(String?.self) {
            kept = submission
        }
        guard let kept else { return }
        try ScheduledRun.decode(kind: next.kind, kept).emit(to: emitter)
        runtime.logger.info("buffered schedule run started", metadata: ["run": "\(next.jobId)", "kind": "\(next.kind)"])
    }

    /// Marks running runs cancelled by the `cancelRunning` policy.
    func cancelled(_ jobIds: [String], at time: Date) async throws {
        try await connection.query("""
            UPDATE runs SET state = 'cancelled', finished_at = \(time) WHERE job_id = ANY(\(jobIds)) AND state = 'running'
            """, logger: runtime.logger)
    }
}
