import APIModels
import Contracts
import Foundation
import PostgresNIO

/// The job state machine (``JobState``) over the read model: observed events move a job
/// only where the machine allows, operators' actions are checked against it, and both leave
/// an entry in the job's history.
extension JobRepository {
    /// The job's state and where a paused job was, locked for this transaction.
    private func lock(_ jobId: String) async throws -> (state: JobState, resume: JobState?)? {
        for try await (state, resume) in try await run("""
            SELECT state, resume_state FROM jobs WHERE job_id = \(jobId) FOR UPDATE
            """).decode((String, String?).self) {
            return (JobState(rawValue: state) ?? .queued, resume.flatMap(JobState.init(rawValue:)))
        }
        return nil
    }

    /// What an observed event says the job is now. A paused job stays paused (remembering
    /// where it got to) unless it ended; a move the machine does not allow is kept in the
    /// history only. `kind` nil records nothing (progress between the recorded steps).
    func observe(_ jobId: String, _ target: JobState, kind: String?, message: String, at: Date,
                 notBefore: Date? = nil) async throws {
        guard let (current, resume) = try await lock(jobId) else { return }
        var next = current
        if current == .paused {
            // A paused job stays paused until it ends; where it got to (stalled included) is
            // where its resume takes it.
            if target.isTerminal {
                next = target
            } else if let resume, resume != target, resume.canMove(to: target) {
                try await run("UPDATE jobs SET resume_state = \(target.rawValue) WHERE job_id = \(jobId)")
            }
        } else if current != target, current.canMove(to: target) {
            next = target
        }
        if next != current {
            try await run("""
                UPDATE jobs SET state = \(next.rawValue), updated_at = \(at), not_before = \(notBefore),
                    resume_state = CASE WHEN \(next.isTerminal) THEN NULL ELSE resume_state END,
                    finished_at = CASE WHEN \(next.isTerminal) THEN \(at) ELSE finished_at END
                WHERE job_id = \(jobId)
                """)
            if next.isTerminal { try await ended(jobId, at: at) }
        }
        // Progress observed after the end (events are handled concurrently) adds nothing to a
        // history that already ends with the outcome.
        if let kind, !(kind == "progress" && current.isTerminal) {
            let note = next == target ? "" : " (the job stays \(next.rawValue))"
            try await event(jobId, kind, state: next, message: message + note, at: at, notBefore: notBefore)
        }
    }

    /// An operator's pause, resume or cancel: the new state, or nil when it changed nothing
    /// (a repeated pause or cancel). Throws ``JobTransitionError`` when the state forbids it.
    func control(_ jobId: String, _ action: JobControl.Action, actor: String, note: String?, byProject: Bool = false,
                 at: Date) async throws -> JobState? {
        guard let (current, resume) = try await lock(jobId) else { return nil }
        // A job its project's pause holds, paused on its own: it now stays paused when the
        // project resumes.
        if action == .pause, current == .paused, !byProject {
            for try await _ in try await run("""
                UPDATE jobs SET paused_by = 'job', updated_at = \(at) WHERE job_id = \(jobId) AND paused_by = 'project'
                RETURNING 1
                """) {
                try await event(jobId, "paused", state: .paused, actor: actor,
                                message: "paused on its own" + (note.map { ": \($0)" } ?? ""), at: at)
                return .paused
            }
        }
        guard let next = try current.applying(action, resumeTo: resume) else { return nil }
        switch action {
        case .pause:
            try await run("""
                UPDATE jobs SET state = 'paused', resume_state = \(current.rawValue),
                    paused_by = \(byProject ? "project" : "job"), updated_at = \(at)
                WHERE job_id = \(jobId)
                """)
        case .resume:
            for try await held in try await run("""
                UPDATE jobs SET state = \(next.rawValue), resume_state = NULL, paused_by = NULL, updated_at = \(at),
                    held_submit = NULL
                WHERE job_id = \(jobId)
                RETURNING (SELECT held_submit FROM jobs WHERE job_id = \(jobId))
                """).decode(String?.self) {
                // Held here since it was submitted to a paused project: it is sent now.
                if let held, let emitter {
                    try emitter.emit(try JSONCoding.decode(Envelope<JobSubmit>.self, from: Array(held.utf8)))
                }
            }
        case .cancel:
            try await run("""
                UPDATE jobs SET state = 'cancelled', resume_state = NULL, paused_by = NULL, updated_at = \(at),
                    finished_at = \(at), held_submit = NULL
                WHERE job_id = \(jobId)
                """)
        }
        if next.isTerminal { try await ended(jobId, at: at) }
        let scope = byProject ? "with its project" : ""
        try await event(jobId, action.pastTense, state: next, actor: actor,
                        message: ([action.pastTense, scope].filter { !$0.isEmpty }.joined(separator: " "))
                            + (note.map { ": \($0)" } ?? ""), at: at)
        return next
    }

    /// Jobs not ended, and jobs ended since `endedSince`, by state and priority.
    func counts(endedSince: Date) async throws -> [JobCount] {
        var counts: [JobCount] = []
        for try await (state, priority, count) in try await run("""
            SELECT state, priority, count(*)::bigint FROM jobs
            WHERE state NOT IN ('completed', 'failed', 'cancelled', 'skipped', 'stored') OR finished_at >= \(endedSince)
            GROUP BY state, priority ORDER BY state, priority
            """).decode((String, String, Int64).self) {
            counts.append(JobCount(state: state, priority: priority, count: Int(count)))
        }
        return counts
    }

    /// A job ended: its batch may be finished now.
    private func ended(_ jobId: String, at: Date) async throws {
        guard let emitter else { return }
        let batches = BatchRepository(runtime: runtime, connection: connection)
        if let batch = try await batches.batch(ofJob: jobId) { try await batches.settle(batch, at: at, emitter: emitter) }
    }

    /// Keeps a submission the gateway will not send yet (its job starts paused, with its
    /// project); true when it was kept.
    func holdIfPaused(_ envelope: Envelope<JobSubmit>) async throws -> Bool {
        let text = String(decoding: try JSONCoding.encode(envelope), as: UTF8.self)
        for try await _ in try await run("""
            UPDATE jobs SET held_submit = \(text) WHERE job_id = \(envelope.jobId ?? "") AND state = 'paused' RETURNING 1
            """) { return true }
        return false
    }

    /// The next control's place in the order controls are given (taken while the job's or
    /// project's row is locked, so the order is the order of the changes).
    func nextControlSequence() async throws -> Int64 {
        for try await value in try await run("SELECT nextval('control_seq')").decode(Int64.self) { return value }
        return 0
    }

    /// Appends to the job's history.
    func event(_ jobId: String, _ kind: String, state: JobState?, actor: String? = nil, message: String, at: Date,
               notBefore: Date? = nil) async throws {
        try await run("""
            INSERT INTO job_events (job_id, at, kind, state, actor, message, not_before)
            VALUES (\(jobId), \(at), \(kind), \((state ?? .queued).rawValue), \(actor), \(message), \(notBefore))
            """)
    }

    /// The job's history after event `after`, oldest first.
    func events(_ jobId: String, after: Int?, limit: Int) async throws -> [JobEvent] {
        var events: [JobEvent] = []
        for try await r in try await run("""
            SELECT id, job_id, at, kind, state, actor, message, not_before FROM job_events
            WHERE job_id = \(jobId) AND id > \(after ?? 0) ORDER BY id LIMIT \(limit)
            """).decode((Int, String, Date, String, String, String?, String, Date?).self) {
            events.append(JobEvent(id: r.0, jobId: r.1, at: r.2, kind: r.3, state: r.4, actor: r.5, message: r.6,
                                   notBefore: r.7))
        }
        return events
    }

    /// The project's jobs an action applies to: those not ended (for a resume, those its
    /// pause paused).
    func projectJobs(_ project: String, for action: JobControl.Action) async throws -> [String] {
        var ids: [String] = []
        let rows: PostgresRowSequence
        switch action {
        case .resume:
            rows = try await run("""
                SELECT job_id FROM jobs WHERE project = \(project) AND state = 'paused' AND paused_by = 'project'
                ORDER BY submitted_at
                """)
        case .pause, .cancel:
            rows = try await run("""
                SELECT job_id FROM jobs WHERE project = \(project)
                  AND state NOT IN ('completed', 'failed', 'cancelled', 'skipped', 'stored', 'paused')
                ORDER BY submitted_at
                """)
        }
        for try await id in rows.decode(String.self) { ids.append(id) }
        if action == .cancel {
            // Paused jobs are cancelled too.
            for try await id in try await run("""
                SELECT job_id FROM jobs WHERE project = \(project) AND state = 'paused' ORDER BY submitted_at
                """).decode(String.self) { ids.append(id) }
        }
        return ids
    }

    /// Records a project's pause or resume; the state before.
    func setProject(_ project: String, paused: Bool, actor: String, note: String?) async throws -> String? {
        var before: String?
        for try await state in try await run("SELECT state FROM project_controls WHERE project = \(project) FOR UPDATE")
            .decode(String.self) { before = state }
        try await run("""
            INSERT INTO project_controls (project, state, note, changed_by) VALUES (\(project), \(paused ? "paused" : "running"), \(note), \(actor))
            ON CONFLICT (project) DO UPDATE SET state = excluded.state, note = excluded.note, changed_by = excluded.changed_by,
                changed_at = now()
            """)
        return before
    }
}
