import Contracts
import Foundation
import Logging
import PostgresNIO
import Runtime
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
        Migration(3, "stored inputs, uploads, datasets", [
            """
            CREATE TABLE inputs (
                input_id   text PRIMARY KEY,
                filename   text,
                state      text NOT NULL,
                bytes      bigint,
                sha256     text,
                utf8_valid boolean,
                created_at timestamptz NOT NULL DEFAULT now(),
                stored_at  timestamptz
            )
            """,
            """
            CREATE TABLE input_parts (
                input_id text NOT NULL REFERENCES inputs (input_id) ON DELETE CASCADE,
                part     integer NOT NULL,
                content  bytea NOT NULL,
                PRIMARY KEY (input_id, part)
            )
            """,
            """
            CREATE TABLE datasets (
                dataset_key text PRIMARY KEY,
                sha256      text NOT NULL,
                job_id      text NOT NULL,
                updated_at  timestamptz NOT NULL DEFAULT now()
            )
            """,
            "ALTER TABLE jobs ADD COLUMN input_id text",
            "ALTER TABLE jobs ADD COLUMN dataset_key text",
            "ALTER TABLE jobs ADD COLUMN tags jsonb NOT NULL DEFAULT '{}'",
            "ALTER TABLE jobs ADD COLUMN submission jsonb",
            "CREATE INDEX jobs_tags ON jobs USING gin (tags)",
        ]),
        Migration(4, "where a stored input came from", [
            "ALTER TABLE inputs ADD COLUMN origin text NOT NULL DEFAULT 'source'",
        ]),
        // New inputs live in the object store; input_parts stays for inputs stored before.
        Migration(5, "stored inputs in the object store", [
            "ALTER TABLE inputs ADD COLUMN object_key text",
        ]),
        Migration(6, "rate limits", [
            """
            CREATE TABLE rate_admissions (
                user_key    text NOT NULL,
                job_id      text NOT NULL,
                admitted_at timestamptz NOT NULL,
                PRIMARY KEY (user_key, job_id)
            )
            """,
            "CREATE INDEX rate_admissions_window ON rate_admissions (user_key, admitted_at)",
            """
            CREATE TABLE rate_buckets (
                project    text PRIMARY KEY,
                tokens     double precision NOT NULL,
                updated_at timestamptz NOT NULL
            )
            """,
            """
            CREATE TABLE project_limits (
                project        text PRIMARY KEY,
                jobs_per_minute integer NOT NULL CHECK (jobs_per_minute >= 0),
                jobs_burst     integer NOT NULL CHECK (jobs_burst >= 1),
                changed_at     timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]),
        Migration(7, "item rate limits", [
            """
            ALTER TABLE project_limits
                ADD COLUMN items_per_minute integer CHECK (items_per_minute >= 0),
                ADD COLUMN items_burst      integer CHECK (items_burst >= 1)
            """,
        ]),
        // A dataset's last job is a repeat only with the same input and recipe (ProcessingRecipe).
        Migration(8, "dataset recipes", ["ALTER TABLE datasets ADD COLUMN recipe text"]),
    ])

    private static let columns = "job_id, idempotency_key, submission_id, name, state, chunk_count, row_count, error"

    private static func job(_ row: (String, String, String?, String, String, Int?, Int?, String?)) -> IngestedJob {
        IngestedJob(jobId: row.0, idempotencyKey: row.1, submissionId: row.2, name: row.3, state: row.4,
                    chunkCount: row.5, rowCount: row.6, error: row.7)
    }

    /// Registers the job, or returns the job that already holds this idempotency key.
    func register(jobId: String, key: String, submissionId: String, name: String, sourceKind: String,
                  sourceRef: String?, tags: [String: String], request: JobSubmit) async throws -> IngestedJob {
        let logger = runtime.logger
        let tagsJSON = String(decoding: try JSONCoding.encode(tags), as: UTF8.self)
        var stored = request
        stored.source.content = nil  // the content itself is kept once, as the stored input
        let requestJSON = String(decoding: try JSONCoding.encode(stored), as: UTF8.self)
        return try await runtime.database.transaction { connection in
            try await connection.query("""
                INSERT INTO jobs (job_id, idempotency_key, submission_id, name, source_kind, source_ref, state, tags,
                                  submission)
                VALUES (\(jobId), \(key), \(submissionId), \(name), \(sourceKind), \(sourceRef), 'ingesting',
                        \(tagsJSON)::jsonb, \(requestJSON)::jsonb)
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

    /// Whether this submission message was already fully handled.
    func alreadyHandled(_ messageId: String) async throws -> Bool {
        let rows = try await runtime.database.query(
            "SELECT 1 FROM inbox WHERE message_id = \(messageId)", logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    func find(jobId: String) async throws -> IngestedJob? {
        let rows = try await runtime.database.query(
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

extension IngestRepository {
    /// Links the job to its stored input (and dataset), so analysis-only runs can reuse it.
    func attach(input: StoredInput, jobId: String, name: String, datasetKey: String?) async throws {
        try await runtime.database.query("""
            UPDATE jobs SET input_id = \(input.inputId), dataset_key = \(datasetKey), name = \(name) WHERE job_id = \(jobId)
            """, logger: runtime.logger)
    }

    /// The job that last processed this exact content for the dataset, if the content is
    /// unchanged (and that job is not this one).
    /// The dataset's last job when it had the same input and the same recipe
    /// (``ProcessingRecipe``); nil when this job must run.
    func unchanged(datasetKey: String, sha256: String, recipe: String, jobId: String) async throws -> String? {
        let rows = try await runtime.database.query("""
            SELECT job_id FROM datasets
            WHERE dataset_key = \(datasetKey) AND sha256 = \(sha256) AND recipe = \(recipe) AND job_id <> \(jobId)
            """, logger: runtime.logger)
        for try await previous in rows.decode(String.self) { return previous }
        return nil
    }
}

extension IngestRepository {
    /// Jobs whose tags include every given tag, newest first.
    func list(tags: [String: String], limit: Int) async throws -> [IngestedJob] {
        let filter = String(decoding: try JSONCoding.encode(tags), as: UTF8.self)
        let rows = try await runtime.database.query("""
            SELECT \(unescaped: Self.columns) FROM jobs WHERE tags @> \(filter)::jsonb
            ORDER BY submitted_at DESC LIMIT \(limit)
            """, logger: runtime.logger)
        var jobs: [IngestedJob] = []
        for try await row in rows.decode((String, String, String?, String, String, Int?, Int?, String?).self) {
            jobs.append(Self.job(row))
        }
        return jobs
    }

    /// Submits, through the outbox, one `job.submit` per dataset selected by `tags`: the
    /// dataset's latest job with a stored input is run again with its original schema, plan
    /// and options, reading the stored input (analysis-only) or re-publishing (publish-only).
    func rerun(tags: [String: String], stages: JobOptions.Stages) async throws -> RerunReceipt {
        let filter = String(decoding: try JSONCoding.encode(tags), as: UTF8.self)
        let requestId = MessageID.random()
        return try await runtime.transaction { connection, emitter in
            let rows = try await connection.query("""
                SELECT DISTINCT ON (coalesce(dataset_key, job_id)) job_id, name, submission::text FROM jobs
                WHERE tags @> \(filter)::jsonb AND input_id IS NOT NULL AND state IN ('ingested', 'stored')
                    AND source_kind <> 'job'  -- originals only: earlier re-runs are not datasets of their own
                ORDER BY coalesce(dataset_key, job_id), submitted_at DESC
                """, logger: runtime.logger)
            var submitted: [RerunReceipt.Rerun] = []
            for try await (earlier, name, text) in rows.decode((String, String, String?).self) {
                var request = try text.map { try JSONCoding.decode(JobSubmit.self, from: Array($0.utf8)) }
                    ?? JobSubmit(source: .job(earlier))
                let jobId = "rerun-" + MessageID.hash(requestId, earlier)
                request.jobId = jobId
                request.idempotencyKey = jobId
                request.source = .job(earlier)
                request.format = nil
                var options = request.options ?? JobOptions()
                options.stages = stages
                options.force = true
                request.options = options
                try emitter.emit(Envelope(id: "\(jobId)/job.submit", jobId: jobId, correlationId: jobId, causationId: nil,
                                          priority: request.priority, payload: request))
                submitted.append(.init(jobId: jobId, fromJob: earlier, name: name))
            }
            return RerunReceipt(submitted: submitted)
        }
    }
}
