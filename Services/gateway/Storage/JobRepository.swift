import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// The gateway's read model of jobs: one row per job, written from the events it observes
/// (and at submit), read by the jobs API without asking any other service.
struct JobRepository {
    let runtime: RuntimeContext
    let connection: PostgresConnection?
    /// Where a finished batch's `batch.finished` goes (in the caller's transaction).
    let emitter: Emitter?

    init(runtime: RuntimeContext, connection: PostgresConnection? = nil, emitter: Emitter? = nil) {
        self.runtime = runtime
        self.connection = connection
        self.emitter = emitter
    }

    @discardableResult
    func run(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        if let connection { return try await connection.query(query, logger: runtime.logger) }
        return try await runtime.database.query(query, logger: runtime.logger)
    }

    /// Records a submission (first writer wins: the gateway at submit, else the observed
    /// message). A job submitted into a paused project starts paused.
    func submitted(_ submit: JobSubmit, jobId: String, at: Date, actor: String? = nil, batchId: String? = nil) async throws {
        let tags = String(decoding: try JSONCoding.encoder().encode(submit.tags ?? [:]), as: UTF8.self)
        let stages = submit.options?.stages?.rawValue
        let project = submit.project ?? "default"
        let inserted = try await run("""
            INSERT INTO jobs (job_id, project, submitter, name, tags, state, stages, source, dataset_key, submitted_at,
                              updated_at, priority, resume_state, paused_by, batch_id)
            SELECT \(jobId), \(project), \(submit.submittedBy), \(submit.name ?? jobId), \(tags)::jsonb,
                   CASE WHEN p.state = 'paused' THEN 'paused' ELSE 'queued' END, \(stages), \(submit.source.kind.rawValue),
                   \(submit.options?.datasetKey), \(at), \(at), \((submit.priority ?? .normal).rawValue),
                   CASE WHEN p.state = 'paused' THEN 'queued' END, CASE WHEN p.state = 'paused' THEN 'project' END,
                   \(batchId)
            FROM (SELECT (SELECT state FROM project_controls WHERE project = \(project) FOR SHARE) AS state) p
            ON CONFLICT (job_id) DO NOTHING
            RETURNING state
            """).decode(String.self)
        for try await state in inserted {
            let priority = submit.priority.map { " (\($0.rawValue))" } ?? ""
            try await event(jobId, "submitted", state: JobState(rawValue: state), actor: actor ?? submit.submittedBy,
                            message: "submitted to \(project)\(priority)", at: at)
            if state == JobState.paused.rawValue {
                try await event(jobId, "paused", state: .paused, message: "its project \(project) is paused", at: at)
            }
        }
    }

    /// A later event of a job the gateway never saw submitted (it was not running yet).
    private func ensure(_ job: JobContext, at: Date) async throws {
        let tags = String(decoding: try JSONCoding.encoder().encode(job.tags), as: UTF8.self)
        try await run("""
            INSERT INTO jobs (job_id, project, name, tags, state, submitted_at, updated_at, priority)
            VALUES (\(job.jobId), 'default', \(job.name), \(tags)::jsonb, 'queued', \(job.submittedAt ?? at), \(at),
                    \((job.priority ?? .normal).rawValue))
            ON CONFLICT (job_id) DO NOTHING
            """)
    }

    func ingested(_ event: JobIngested, at: Date) async throws {
        try await ensure(event.job, at: at)
        let final = event.job.effectiveOptions.effectiveStages == .ingestOnly
        try await run("""
            UPDATE jobs SET chunks = \(event.chunkCount), rows_total = \(event.rowCount), updated_at = \(at)
            WHERE job_id = \(event.job.jobId)
            """)
        try await observe(event.job.jobId, final ? .stored : .inProgress, kind: final ? "stored" : "ingested",
                          message: "read \(event.rowCount) rows in \(event.chunkCount) chunks"
                              + (final ? "; the input is stored (ingest-only)" : ""), at: at)
    }

    /// One more chunk through transform: progress, and the job is in progress. The history
    /// keeps the first chunk, every tenth of the job and the last.
    func chunkDone(jobId: String, at: Date) async throws {
        for try await (done, total) in try await run("""
            UPDATE jobs SET chunks_done = chunks_done + 1, updated_at = \(at) WHERE job_id = \(jobId)
            RETURNING chunks_done, chunks
            """).decode((Int, Int?).self) {
            let step = max(1, (total ?? 10) / 10)
            let recorded = done == 1 || done % step == 0 || done == total
            try await observe(jobId, .inProgress, kind: recorded ? "progress" : nil,
                              message: "\(done) of \(total.map(String.init) ?? "?") chunks through the stages", at: at)
        }
    }

    func published(_ event: JobPublished, at: Date) async throws {
        try await ensure(event.job, at: at)
        let artifacts = String(decoding: try JSONCoding.encoder().encode(event.artifacts.map(\.name)), as: UTF8.self)
        try await run("""
            UPDATE jobs SET rows_total = \(event.rowsTotal), rows_valid = \(event.rowsValid),
                rows_invalid = \(event.rowsInvalid), artifacts = \(artifacts)::jsonb, updated_at = \(at)
            WHERE job_id = \(event.job.jobId) AND state <> 'cancelled'
            """)
        try await observe(event.job.jobId, .completed, kind: "completed",
                          message: "published \(event.artifacts.count) artifacts: \(event.rowsValid) valid rows, "
                              + "\(event.rowsInvalid) invalid", at: at)
    }

    /// A publish-only job whose earlier job's results were published again: it completes
    /// with those results' figures and artifacts.
    func republished(_ event: JobPublished, requestId: String, at: Date) async throws {
        let artifacts = String(decoding: try JSONCoding.encoder().encode(event.artifacts.map(\.name)), as: UTF8.self)
        try await run("""
            UPDATE jobs SET rows_total = \(event.rowsTotal), rows_valid = \(event.rowsValid),
                rows_invalid = \(event.rowsInvalid), artifacts = \(artifacts)::jsonb, updated_at = \(at)
            WHERE job_id = \(requestId) AND state <> 'cancelled'
            """)
        try await observe(requestId, .completed, kind: "completed",
                          message: "published again the results of job \(event.job.jobId): \(event.artifacts.count) artifacts",
                          at: at)
    }

    /// `failed`, `skipped` or `stalled`.
    func ended(_ job: JobContext?, jobId: String, state: JobState, error: String?, incidentId: String? = nil,
               at: Date) async throws {
        if let job { try await ensure(job, at: at) }
        try await run("""
            UPDATE jobs SET error = coalesce(\(error), error), incident_id = coalesce(\(incidentId), incident_id),
                updated_at = \(at)
            WHERE job_id = \(jobId) AND state NOT IN ('completed', 'cancelled')
            """)
        try await observe(jobId, state, kind: state.rawValue, message: error ?? state.rawValue, at: at)
    }

    static let columns = """
        job_id, project, submitter, name, tags::text, state, chunks, chunks_done, rows_total, rows_valid, rows_invalid,
        error, incident_id, artifacts::text, submitted_at, updated_at, finished_at, priority,
        CASE WHEN state IN ('rate_limited', 'retried') THEN not_before END
        """

    func jobs(_ query: PostgresQuery) async throws -> [GatewayJob] {
        var result: [GatewayJob] = []
        for try await r in try await run(query).decode((String, String, String?, String, String, String, Int?, Int, Int?,
                                                         Int?, Int?, String?, String?, String?, Date, Date, Date?, String, Date?).self) {
            let tags = (try? JSONCoding.decode([String: String].self, from: Array(r.4.utf8))) ?? [:]
            let artifacts = r.13.flatMap { try? JSONCoding.decode([String].self, from: Array($0.utf8)) }
            result.append(GatewayJob(id: r.0, project: r.1, submitter: r.2, name: r.3, tags: tags, state: r.5, chunks: r.6,
                                     chunksDone: r.7, rowsTotal: r.8, rowsValid: r.9, rowsInvalid: r.10, error: r.11,
                                     incidentId: r.12, artifacts: artifacts, submittedAt: r.14, updatedAt: r.15,
                                     finishedAt: r.16, priority: r.17, notBefore: r.18))
        }
        return result
    }

    /// A batch's jobs, in submission order.
    func inBatch(_ batchId: String, limit: Int) async throws -> [GatewayJob] {
        try await jobs("""
            SELECT \(unescaped: Self.columns) FROM jobs WHERE batch_id = \(batchId) ORDER BY submitted_at, job_id LIMIT \(limit)
            """)
    }

    func find(_ jobId: String) async throws -> GatewayJob? {
        try await jobs("SELECT \(unescaped: Self.columns) FROM jobs WHERE job_id = \(jobId)").first
    }

    /// What `GET /api/v1/jobs` filters on.
    struct Filter: Sendable {
        var projects: Set<String>?
        var state: String?
        var tags: [String: String] = [:]
        var name: String?
        var submitter: String?
        var priority: String?
        var since: Date?
        var until: Date?
    }

    /// A page newest first, after the (submitted_at, job_id) position `after`.
    func list(_ filter: Filter, after: (Date, String)?, limit: Int) async throws -> [GatewayJob] {
        let projects = filter.projects.map { Array($0) }
        let tags = String(decoding: try JSONCoding.encoder().encode(filter.tags), as: UTF8.self)
        let pattern = filter.name.map { "%" + $0.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%" }
        return try await jobs("""
            SELECT \(unescaped: Self.columns) FROM jobs
            WHERE (\(projects)::text[] IS NULL OR project = ANY(\(projects)))
              AND (\(filter.state)::text IS NULL OR state = \(filter.state))
              AND tags @> \(tags)::jsonb
              AND (\(pattern)::text IS NULL OR name ILIKE \(pattern))
              AND (\(filter.submitter)::text IS NULL OR submitter = \(filter.submitter))
              AND (\(filter.priority)::text IS NULL OR priority = \(filter.priority))
              AND (\(filter.since)::timestamptz IS NULL OR submitted_at >= \(filter.since))
              AND (\(filter.until)::timestamptz IS NULL OR submitted_at < \(filter.until))
              AND (\(after?.0)::timestamptz IS NULL OR (submitted_at, job_id) < (\(after?.0), \(after?.1)))
            ORDER BY submitted_at DESC, job_id DESC LIMIT \(limit)
            """)
    }

    /// The latest finished job of each dataset of `project` with `tags` (a job without a
    /// dataset key is its own dataset), for a re-run.
    func latestPerDataset(project: String, tags: [String: String]) async throws -> [GatewayJob] {
        let tags = String(decoding: try JSONCoding.encoder().encode(tags), as: UTF8.self)
        return try await jobs("""
            SELECT DISTINCT ON (coalesce(dataset_key, job_id)) \(unescaped: Self.columns) FROM jobs
            WHERE project = \(project) AND tags @> \(tags)::jsonb AND state IN ('completed', 'stored', 'failed')
              AND source <> 'job'
            ORDER BY coalesce(dataset_key, job_id), submitted_at DESC
            """)
    }

    // MARK: Idempotency keys

    /// The job a user's earlier submit with `key` made, and the digest of that request.
    func idempotent(userId: String, key: String) async throws -> (sha256: String, jobId: String)? {
        for try await r in try await run("""
            SELECT request_sha256, job_id FROM idempotency_keys WHERE user_id = \(userId) AND key = \(key)
            """).decode((String, String).self) {
            return (r.0, r.1)
        }
        return nil
    }

    /// Claims `key` for `jobId`; false if another request claimed it first (a race).
    func remember(userId: String, key: String, sha256: String, jobId: String) async throws -> Bool {
        for try await _ in try await run("""
            INSERT INTO idempotency_keys (user_id, key, request_sha256, job_id)
            VALUES (\(userId), \(key), \(sha256), \(jobId)) ON CONFLICT DO NOTHING RETURNING 1
            """) {
            return true
        }
        return false
    }
}
