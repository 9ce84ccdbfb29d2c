import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime
import Storage

/// Scheduler's tables (schema `scheduler`).
struct ScheduleRepository {
    let runtime: RuntimeContext

    static let migrations = MigrationSet(component: "scheduler", migrations: [
        Migration(1, "schedules and fires", [
            """
            CREATE TABLE schedules (
                id           text PRIMARY KEY,
                name         text NOT NULL UNIQUE,
                cron         text NOT NULL,
                job          jsonb NOT NULL,
                enabled      boolean NOT NULL DEFAULT true,
                next_fire_at timestamptz,
                created_at   timestamptz NOT NULL DEFAULT now(),
                updated_at   timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE enabled",
            """
            CREATE TABLE fires (
                schedule_id text NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
                fire_time   timestamptz NOT NULL,
                fired_at    timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (schedule_id, fire_time)
            )
            """,
        ]),
        Migration(2, "a time zone per schedule", [
            "ALTER TABLE schedules ADD COLUMN zone text NOT NULL DEFAULT 'UTC'",
        ]),
        Migration(3, "catch-up policy, start and end; what became of each fire", [
            """
            ALTER TABLE schedules ADD COLUMN catchup_policy text, ADD COLUMN catchup_window_s integer,
                ADD COLUMN start_at timestamptz, ADD COLUMN end_at timestamptz
            """,
            "ALTER TABLE fires ADD COLUMN outcome text NOT NULL DEFAULT 'fired', ADD COLUMN reason text, ADD COLUMN job_id text",
        ]),
        Migration(4, "backfills", [
            """
            CREATE TABLE backfills (
                id          text PRIMARY KEY,
                schedule_id text NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
                range_from  timestamptz NOT NULL,
                range_to    timestamptz NOT NULL,
                runs        integer NOT NULL,
                actor       text,
                created_at  timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE backfill_runs (
                backfill_id text NOT NULL REFERENCES backfills (id) ON DELETE CASCADE,
                fire_time   timestamptz NOT NULL,
                job_id      text NOT NULL,
                PRIMARY KEY (backfill_id, fire_time)
            )
            """,
        ]),
        Migration(5, "a pause has a note", [
            "ALTER TABLE schedules ADD COLUMN pause_note text, ADD COLUMN paused_at timestamptz",
        ]),
        // Schedules made before overlap policies allowed all: they keep doing so.
        Migration(6, "overlap policies, jitter and the runs they need", [
            """
            ALTER TABLE schedules ADD COLUMN overlap text NOT NULL DEFAULT 'allowAll',
                ADD COLUMN jitter_s integer NOT NULL DEFAULT 0, ADD COLUMN due_at timestamptz
            """,
            "UPDATE schedules SET due_at = next_fire_at",
            "CREATE INDEX schedules_due_at ON schedules (due_at) WHERE enabled",
            "ALTER TABLE backfills ADD COLUMN overlap text NOT NULL DEFAULT 'allowAll'",
            """
            CREATE TABLE runs (
                job_id       text PRIMARY KEY,
                schedule_id  text NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
                fire_time    timestamptz NOT NULL,
                backfill_id  text REFERENCES backfills (id) ON DELETE CASCADE,
                state        text NOT NULL,
                submission   jsonb,
                submitted_at timestamptz,
                finished_at  timestamptz
            )
            """,
            "CREATE INDEX runs_open ON runs (schedule_id, fire_time) WHERE state IN ('waiting', 'running')",
            // The overdue watch: since when a schedule is expected to fire, and which stretch
            // without fires was reported.
            "ALTER TABLE schedules ADD COLUMN armed_at timestamptz NOT NULL DEFAULT now(), ADD COLUMN overdue_since timestamptz",
            """
            CREATE TABLE replicas (
                id         text PRIMARY KEY,
                host       text NOT NULL,
                pid        integer NOT NULL,
                started_at timestamptz NOT NULL,
                seen_at    timestamptz NOT NULL
            )
            """,
        ]),
        Migration(7, "actions other than submitting a job; the project of its own", [
            "ALTER TABLE schedules ADD COLUMN action jsonb, ADD COLUMN project text, ALTER COLUMN job DROP NOT NULL",
            "UPDATE schedules SET project = job->>'project'",
        ]),
        // A `datasets` schedule's fires are followed too: `job_id` then holds the batch id.
        // Those made before started every fire's batch whatever ran: they keep doing so.
        Migration(8, "runs of catalog batches", [
            "ALTER TABLE runs ADD COLUMN kind text NOT NULL DEFAULT 'job'",
            "UPDATE schedules SET overlap = 'allowAll' WHERE action->>'kind' = 'datasets'",
        ]),
    ])

    private static let columns = """
        id, name, cron, zone, job::text AS job, enabled, next_fire_at, catchup_policy, catchup_window_s, start_at, end_at,
        pause_note, paused_at, overlap, jitter_s, action::text AS action, project
        """

    private func decode(_ rows: PostgresRowSequence) async throws -> [Schedule] {
        var result: [Schedule] = []
        for try await row in rows {
            let c = row.makeRandomAccess()
            func value<T: PostgresDecodable>(_ column: String, _ type: T.Type = T.self) throws -> T {
                try c[column].decode(T.self)
            }
            let job = try (value("job") as String?).map { try JSONCoding.decode(JobSubmit.self, from: Array($0.utf8)) }
            let action = try (value("action") as String?).map { try JSONCoding.decode(ScheduleAction.self, from: Array($0.utf8)) }
            let catchUp = (try value("catchup_policy") as String?).flatMap(CatchUp.Policy.init(rawValue:))
                .map { CatchUp(policy: $0, windowSeconds: try? value("catchup_window_s") as Int?) }
            result.append(Schedule(id: try value("id"), name: try value("name"), cron: try value("cron"), zone: try value("zone"),
                                   job: job, action: action, project: try value("project"), enabled: try value("enabled"),
                                   nextFireAt: try value("next_fire_at"), catchUp: catchUp, startAt: try value("start_at"),
                                   endAt: try value("end_at"), pauseNote: try value("pause_note"), pausedAt: try value("paused_at"),
                                   overlap: Overlap(rawValue: try value("overlap")) ?? .skip, jitterSeconds: try value("jitter_s")))
        }
        return result
    }

    func lockDue(now: Date, on connection: PostgresConnection) async throws -> [Schedule] {
        try await decode(try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM schedules WHERE enabled AND due_at <= \(now)
            ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED
            """, logger: runtime.logger))
    }

    /// Records what became of a fire time; false if it was recorded already (then nothing is
    /// submitted again).
    func recordFire(scheduleId: String, at time: Date, outcome: String = "fired", reason: String? = nil, jobId: String? = nil,
                    on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO fires (schedule_id, fire_time, outcome, reason, job_id)
            VALUES (\(scheduleId), \(time), \(outcome), \(reason), \(jobId)) ON CONFLICT DO NOTHING RETURNING 1
            """, logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    /// Sets the next fire time and when it is due (after its jitter).
    func setNext(_ schedule: Schedule, next: Date?, on connection: PostgresConnection) async throws {
        let due = next.map { Jitter.due(schedule, fireTime: $0) }
        try await connection.query("""
            UPDATE schedules SET next_fire_at = \(next), due_at = \(due), updated_at = now() WHERE id = \(schedule.id)
            """, logger: runtime.logger)
    }

    /// Creates or replaces a schedule. `keepingNext`: an edit that changed nothing about fire
    /// times keeps the stored next fire, due time and arming as they are at that moment (a tick
    /// may have moved them since the edit read the schedule).
    func upsert(_ schedule: Schedule, keepingNext: Bool = false) async throws {
        let job = try schedule.job.map { String(decoding: try JSONCoding.encode($0), as: UTF8.self) }
        let action = try schedule.action.map { String(decoding: try JSONCoding.encode($0), as: UTF8.self) }
        let due = schedule.nextFireAt.map { Jitter.due(schedule, fireTime: $0) }
        try await runtime.database.query("""
            INSERT INTO schedules (id, name, cron, zone, job, enabled, next_fire_at, due_at, catchup_policy, catchup_window_s,
                                   start_at, end_at, overlap, jitter_s, action, project)
            VALUES (\(schedule.id), \(schedule.name), \(schedule.cron), \(schedule.zone), \(job)::jsonb, \(schedule.enabled),
                    \(schedule.nextFireAt), \(due), \(schedule.catchUp?.policy.rawValue), \(schedule.catchUp?.windowSeconds),
                    \(schedule.startAt), \(schedule.endAt), \(schedule.overlap.rawValue), \(schedule.jitterSeconds),
                    \(action)::jsonb, \(schedule.project))
            ON CONFLICT (id) DO UPDATE SET cron = EXCLUDED.cron, zone = EXCLUDED.zone, job = EXCLUDED.job,
                enabled = EXCLUDED.enabled,
                next_fire_at = CASE WHEN \(keepingNext) THEN schedules.next_fire_at ELSE EXCLUDED.next_fire_at END,
                due_at = CASE WHEN \(keepingNext) THEN schedules.due_at ELSE EXCLUDED.due_at END,
                armed_at = CASE WHEN \(keepingNext) THEN schedules.armed_at ELSE now() END,
                overlap = EXCLUDED.overlap, jitter_s = EXCLUDED.jitter_s, action = EXCLUDED.action,
                project = EXCLUDED.project, catchup_policy = EXCLUDED.catchup_policy,
                catchup_window_s = EXCLUDED.catchup_window_s, start_at = EXCLUDED.start_at, end_at = EXCLUDED.end_at,
                pause_note = CASE WHEN EXCLUDED.enabled THEN NULL ELSE schedules.pause_note END,
                paused_at = CASE WHEN EXCLUDED.enabled THEN NULL ELSE schedules.paused_at END, updated_at = now()
            """, logger: runtime.logger)
    }

    /// Pauses a schedule with a note; false when there is no such schedule.
    func pause(id: String, note: String?) async throws -> Bool {
        let rows = try await runtime.database.query("""
            UPDATE schedules SET enabled = false, pause_note = \(note), paused_at = now(), updated_at = now()
            WHERE id = \(id) RETURNING 1
            """, logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    /// Resumes a schedule from its next fire time after `now` (what fell due while it was
    /// paused is not caught up); false when there is no such schedule.
    func resume(_ schedule: Schedule, next: Date?) async throws -> Bool {
        let due = next.map { Jitter.due(schedule, fireTime: $0) }
        let rows = try await runtime.database.query("""
            UPDATE schedules SET enabled = true, pause_note = NULL, paused_at = NULL, next_fire_at = \(next),
                due_at = \(due), armed_at = now(), updated_at = now()
            WHERE id = \(schedule.id) RETURNING 1
            """, logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    /// One schedule by id.
    func get(id: String) async throws -> Schedule? {
        try await decode(try await runtime.database.query(
            "SELECT \(unescaped: Self.columns) FROM schedules WHERE id = \(id)", logger: runtime.logger)).first
    }

    func all() async throws -> [Schedule] {
        try await decode(try await runtime.database.query(
            "SELECT \(unescaped: Self.columns) FROM schedules ORDER BY name", logger: runtime.logger))
    }

    func delete(id: String) async throws -> Bool {
        let rows = try await runtime.database.query(
            "DELETE FROM schedules WHERE id = \(id) RETURNING 1", logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    /// The latest `limit` fire times and what became of them and their jobs or batches, newest first.
    func fires(scheduleId: String, limit: Int) async throws -> [ScheduleFire] {
        let rows = try await runtime.database.query("""
            SELECT f.fire_time, f.fired_at, f.outcome, f.reason, f.job_id, r.state, r.submitted_at, r.finished_at, r.kind
            FROM fires f LEFT JOIN runs r ON r.job_id = f.job_id
            WHERE f.schedule_id = \(scheduleId)
            ORDER BY f.fire_time DESC LIMIT \(limit)
            """, logger: runtime.logger)
        var result: [ScheduleFire] = []
        for try await r in rows.decode((Date, Date, String, String?, String?, String?, Date?, Date?, String?).self) {
            let batch = r.8 == "batch"
            result.append(ScheduleFire(scheduledAt: r.0, recordedAt: r.1, outcome: r.2, reason: r.3, jobId: batch ? nil : r.4,
                                       batchId: batch ? r.4 : nil, state: r.5, submittedAt: r.6, finishedAt: r.7))
        }
        return result
    }
}
