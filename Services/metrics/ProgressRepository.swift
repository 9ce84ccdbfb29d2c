import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime
import Storage

/// Metrics' tables (schema `metrics`). Each event is applied once (the inbox sees to that),
/// so counters are plain increments; terminal states never regress.
struct ProgressRepository {
    let runtime: RuntimeContext
    let connection: PostgresConnection?

    static let migrations = MigrationSet(component: "metrics", migrations: [
        Migration(1, "job progress", [
            """
            CREATE TABLE job_progress (
                job_id             text PRIMARY KEY,
                name               text,
                state              text NOT NULL DEFAULT 'submitted',
                chunks_total       integer,
                chunks_ingested    integer NOT NULL DEFAULT 0,
                chunks_validated   integer NOT NULL DEFAULT 0,
                chunks_transformed integer NOT NULL DEFAULT 0,
                rows_total         integer,
                rows_valid         integer NOT NULL DEFAULT 0,
                rows_invalid       integer NOT NULL DEFAULT 0,
                failure_reason     text,
                submitted_at       timestamptz,
                ingested_at        timestamptz,
                finished_at        timestamptz,
                updated_at         timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]),
        Migration(2, "stalled jobs", [
            "ALTER TABLE job_progress ADD COLUMN incident_id text, ADD COLUMN stalled_reason text",
        ]),
        Migration(3, "chunk retention", [
            "ALTER TABLE job_progress ADD COLUMN chunks_deleted_at timestamptz",
            "CREATE INDEX job_progress_retention ON job_progress (finished_at) WHERE chunks_deleted_at IS NULL",
        ]),
        Migration(4, "calculated metrics", MetricStore.schema),
        Migration(5, "incidents for metrics over them", MetricStore.incidentSchema),
        Migration(6, "scheduled computations, run outside their message's transaction", ComputeQueue.schema),
    ])

    /// Finished jobs (published, failed, skipped or stored) whose intermediate chunks are still
    /// there, finished before `cutoff`, oldest first.
    func retainedChunks(finishedBefore cutoff: Date, limit: Int) async throws -> [(jobId: String, failed: Bool)] {
        let rows = try await runtime.database.query("""
            SELECT job_id, state = 'failed' FROM job_progress
            WHERE chunks_deleted_at IS NULL AND finished_at < \(cutoff)
              AND state IN ('published', 'failed', 'skipped', 'stored')
            ORDER BY finished_at LIMIT \(limit)
            """, logger: runtime.logger)
        var jobs: [(jobId: String, failed: Bool)] = []
        for try await (id, failed) in rows.decode((String, Bool).self) { jobs.append((id, failed)) }
        return jobs
    }

    /// Records that the job's intermediate chunks were deleted.
    func markChunksDeleted(_ jobId: String) async throws {
        try await runtime.database.query("""
            UPDATE job_progress SET chunks_deleted_at = now() WHERE job_id = \(jobId)
            """, logger: runtime.logger)
    }

    func apply(_ event: ProgressEvent, jobId: String, at time: Date) async throws {
        guard let connection else { return }
        let logger = runtime.logger
        try await connection.query("INSERT INTO job_progress (job_id) VALUES (\(jobId)) ON CONFLICT DO NOTHING", logger: logger)
        switch event {
        case .submitted(let name):
            try await connection.query("""
                UPDATE job_progress SET name = coalesce(name, \(name)), submitted_at = coalesce(submitted_at, \(time)),
                    updated_at = now() WHERE job_id = \(jobId)
                """, logger: logger)
        case .chunkIngested(let name):
            try await connection.query("""
                UPDATE job_progress SET chunks_ingested = chunks_ingested + 1, name = coalesce(name, \(name)),
                    state = CASE WHEN state = 'submitted' THEN 'ingesting' ELSE state END, updated_at = now()
                WHERE job_id = \(jobId)
                """, logger: logger)
        case .ingested(let chunks, let rows, let name):
            try await connection.query("""
                UPDATE job_progress SET chunks_total = \(chunks), rows_total = \(rows), name = coalesce(name, \(name)),
                    ingested_at = \(time),
                    state = CASE WHEN state IN ('submitted', 'ingesting') THEN 'ingested' ELSE state END, updated_at = now()
                WHERE job_id = \(jobId)
                """, logger: logger)
        case .chunkValidated(let valid, let invalid):
            // Events are handled concurrently: one of a chunk may come after the job's
            // publication, whose counts are final and are not added to again.
            try await connection.query("""
                UPDATE job_progress SET chunks_validated = chunks_validated + 1,
                    rows_valid = CASE WHEN state = 'published' THEN rows_valid ELSE rows_valid + \(valid) END,
                    rows_invalid = CASE WHEN state = 'published' THEN rows_invalid ELSE rows_invalid + \(invalid) END,
                    updated_at = now() WHERE job_id = \(jobId)
                """, logger: logger)
        case .chunkTransformed:
            try await connection.query("""
                UPDATE job_progress SET chunks_transformed = chunks_transformed + 1, updated_at = now() WHERE job_id = \(jobId)
                """, logger: logger)
        case .published(let valid, let invalid):
            // Publish has the final counts (job-wide duplicate keys and dedupe happen there).
            try await connection.query("""
                UPDATE job_progress SET state = CASE WHEN state = 'failed' THEN state ELSE 'published' END,
                    rows_valid = \(valid), rows_invalid = \(invalid),
                    finished_at = coalesce(finished_at, \(time)), updated_at = now() WHERE job_id = \(jobId)
                """, logger: logger)
        case .ended(let state):
            try await connection.query("""
                UPDATE job_progress SET state = \(state), finished_at = coalesce(finished_at, \(time)), updated_at = now()
                WHERE job_id = \(jobId) AND state NOT IN ('published', 'failed')
                """, logger: logger)
        case .stalled(let incident, let reason):
            // Sticky until the job ends: other chunks may still flow while one waits in a DLQ.
            try await connection.query("""
                UPDATE job_progress SET state = CASE WHEN state IN ('published', 'failed', 'stored', 'skipped') THEN state
                                                     ELSE 'stalled' END,
                    incident_id = \(incident), stalled_reason = \(reason), updated_at = now() WHERE job_id = \(jobId)
                """, logger: logger)
        case .failed(let reason):
            try await connection.query("""
                UPDATE job_progress SET state = CASE WHEN state = 'published' THEN state ELSE 'failed' END,
                    failure_reason = coalesce(failure_reason, \(reason)), finished_at = coalesce(finished_at, \(time)),
                    updated_at = now() WHERE job_id = \(jobId)
                """, logger: logger)
        }
    }

    static let columns = """
        job_id, name, state, chunks_total, chunks_ingested, chunks_validated, chunks_transformed, rows_total,
        rows_valid, rows_invalid, failure_reason, submitted_at, ingested_at, finished_at, updated_at, incident_id,
        stalled_reason
        """

    func find(jobId: String) async throws -> JobProgress? {
        try await select("SELECT \(unescaped: Self.columns) FROM job_progress WHERE job_id = \(jobId)").first
    }

    func recent(limit: Int) async throws -> [JobProgress] {
        try await select("SELECT \(unescaped: Self.columns) FROM job_progress ORDER BY updated_at DESC LIMIT \(limit)")
    }

    private func select(_ query: PostgresQuery) async throws -> [JobProgress] {
        let rows = try await runtime.database.query(query, logger: runtime.logger)
        var result: [JobProgress] = []
        for try await row in rows {
            let r = try row.decode((String, String?, String, Int?, Int, Int, Int, Int?, Int, Int, String?, Date?, Date?, Date?, Date).self)
            let stall = try row.makeRandomAccess()
            result.append(JobProgress(jobId: r.0, name: r.1, state: r.2, chunksTotal: r.3, chunksIngested: r.4,
                                      chunksValidated: r.5, chunksTransformed: r.6, rowsTotal: r.7, rowsValid: r.8,
                                      rowsInvalid: r.9, failureReason: r.10, submittedAt: r.11, ingestedAt: r.12,
                                      finishedAt: r.13, updatedAt: r.14,
                                      incidentId: try stall["incident_id"].decode(String?.self),
                                      stalledReason: try stall["stalled_reason"].decode(String?.self)))
        }
        return result
    }
}
