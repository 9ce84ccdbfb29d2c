import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceRuntime
import Storage

/// A job as ingest records it.
struct IngestedJob: Codable, Sendable {
    var jobId: String
    var idempotencyKey: String
    /// The message id of the submission that owns the job; only its redelivery may resume it.
    var submissionId: String?
    var name: String
    var state: String
    var chunkCount: Int?
    var rowCount: Int?
    var error: String?
}

/// Ingest's tables (schema `ingest`). All SQL of the service lives here.
struct IngestRepository {
    let runtime: RuntimeContext

    static let migrations = MigrationSet(component: "ingest", migrations: [
        Migration(1, "jobs", [
            """
            CREATE TABLE jobs (
                job_id          text PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                name            text NOT NULL,
                source_kind     text NOT NULL,
                source_ref      text,
                state           text NOT NULL,
                chunk_count     integer,
                row_count       integer,
                columns         jsonb,
                error           text,
                submitted_at    timestamptz NOT NULL DEFAULT now(),
                finished_at     timestamptz
            )
            """,
        ]),
        Migration(2, "the submission that owns a job", [
            "ALTER TABLE jobs ADD COLUMN submission_id text",
        ]),
    ])

    private static let columns = "job_id, idempotency_key, submission_id, name, state, chunk_count, row_count, error"

    private static func job(_ row: (String, String, String?, String, String, Int?, Int?, String?)) -> IngestedJob {
        IngestedJob(jobId: row.0, idempotencyKey: row.1, submissionId: row.2, name: row.3, state: row.4,
                    chunkCount: row.5, rowCount: row.6, error: row.7)
    }

    /// Registers the job, or returns the job that already holds this idempotency key.
    func register(jobId: String, key: String, submissionId: String, name: String, sourceKind: String,
                  sourceRef: String?) async throws -> IngestedJob {
        let logger = runtime.logger
        return try await runtime.database.transaction { connection in
            try await connection.query("""
                INSERT INTO jobs (job_id, idempotency_key, submission_id, name, source_kind, source_ref, state)
                VALUES (\(jobId), \(key), \(submissionId), \(name), \(sourceKind), \(sourceRef), 'ingesting')
                ON CONFLICT DO NOTHING
                """, logger: logger)
            let rows = try await connection.query("""
                SELECT \(unescaped: Self.columns)
                FROM jobs WHERE idempotency_key = \(key) OR job_id = \(jobId) ORDER BY submitted_at LIMIT 1
                """, logger: logger)
            for try await row in rows.decode((String, String, String?, String, String, Int?, Int?, String?).self) {
                return Self.job(row)
            }
            throw SluiceError.transient("ingest.job-missing", "job \(jobId) vanished during registration")
        }
    }

    /// Marks the job ingested and emits `job.ingested`, recording the submission as consumed.
    func finish(_ job: JobContext, chunks: Int, rows: Int, columns: [String],
                submission: Envelope<JobSubmit>, traceparent: String?) async throws {
        let columnsJSON = String(decoding: try JSONCoding.encode(columns), as: UTF8.self)
        try await runtime.transaction(traceparent: traceparent) { connection, emitter in
            guard try await Inbox.claim(submission.id, type: JobSubmit.messageType.rawValue,
                                        on: connection, logger: runtime.logger) else { return }
            try await connection.query("""
                UPDATE jobs SET state = 'ingested', chunk_count = \(chunks), row_count = \(rows),
                    columns = \(columnsJSON)::jsonb, finished_at = now()
                WHERE job_id = \(job.jobId) AND state = 'ingesting'
                """, logger: runtime.logger)
            try emitter.emit(Envelope(id: MessageID.job(job.jobId, .jobIngested), causedBy: submission,
                                      jobId: job.jobId, producer: "ingest",
                                      payload: JobIngested(job: job, chunkCount: chunks, rowCount: rows, columns: columns)))
        }
    }

    /// Marks the job failed and emits `job.failed` with a reason a person can act on.
    func fail(_ job: JobContext, error: SluiceError, submission: Envelope<JobSubmit>, traceparent: String?) async throws {
        try await runtime.transaction(traceparent: traceparent) { connection, emitter in
            guard try await Inbox.claim(submission.id, type: JobSubmit.messageType.rawValue,
                                        on: connection, logger: runtime.logger) else { return }
            try await connection.query("""
                UPDATE jobs SET state = 'failed', error = \(error.description), finished_at = now()
                WHERE job_id = \(job.jobId) AND state = 'ingesting'
                """, logger: runtime.logger)
            try emitter.emit(Envelope(id: MessageID.job(job.jobId, .jobFailed), causedBy: submission, jobId: job.jobId, producer: "ingest",
                                      payload: JobFailed(job: job, stage: "ingest", code: error.code, reason: error.message)))
        }
    }

    /// Whether this submission message was already fully handled.
    func alreadyHandled(_ messageId: String) async throws -> Bool {
        let rows = try await runtime.database.client.query(
            "SELECT 1 FROM inbox WHERE message_id = \(messageId)", logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    func find(jobId: String) async throws -> IngestedJob? {
        let rows = try await runtime.database.client.query(
            "SELECT \(unescaped: Self.columns) FROM jobs WHERE job_id = \(jobId)", logger: runtime.logger)
        for try await row in rows.decode((String, String, String?, String, String, Int?, Int?, String?).self) {
            return Self.job(row)
        }
        return nil
    }
}

extension IngestRepository {
    /// Records a duplicate submission as consumed, changing nothing else.
    func finishDuplicate(_ submission: Envelope<JobSubmit>) async throws {
        try await runtime.database.transaction { connection in
            _ = try await Inbox.claim(submission.id, type: JobSubmit.messageType.rawValue, on: connection, logger: runtime.logger)
        }
    }
}
