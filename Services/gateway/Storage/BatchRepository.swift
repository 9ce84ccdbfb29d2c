import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// Batches in the gateway's schema: many jobs grouped, their aggregates computed from the
/// jobs read model, and the batch's end detected when its last job ends (then
/// `batch.finished` goes to notify through the outbox, in that transaction).
struct BatchRepository {
    let runtime: RuntimeContext
    let connection: PostgresConnection?

    init(runtime: RuntimeContext, connection: PostgresConnection? = nil) {
        self.runtime = runtime
        self.connection = connection
    }

    @discardableResult
    private func run(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        if let connection { return try await connection.query(query, logger: runtime.logger) }
        return try await runtime.database.query(query, logger: runtime.logger)
    }

    func create(id: String, project: String, name: String, submitter: String, notify: NotifySpec?, open: Bool,
                at: Date) async throws {
        let targets = try notify.map { String(decoding: try JSONCoding.encode($0), as: UTF8.self) }
        try await run("""
            INSERT INTO batches (id, project, name, submitter, notify, state, created_at, closed_at)
            VALUES (\(id), \(project), \(name), \(submitter), \(targets)::jsonb, \(open ? "open" : "running"), \(at),
                    \(open ? nil : at))
            """)
    }

    /// Makes a closed, empty batch unless one with `id` exists (or is being made: the insert
    /// waits for that transaction); true when this call made it.
    func createClosedIfAbsent(id: String, project: String, name: String, submitter: String, at: Date) async throws -> Bool {
        for try await _ in try await run("""
            INSERT INTO batches (id, project, name, submitter, notify, state, created_at, closed_at)
            VALUES (\(id), \(project), \(name), \(submitter), NULL, 'running', \(at), \(at))
            ON CONFLICT (id) DO NOTHING RETURNING 1
            """) { return true }
        return false
    }

    private static let select = """
        SELECT b.id, b.project, b.name, b.submitter, b.state, b.notify::text, b.created_at, b.closed_at, b.finished_at,
            count(j.job_id)::bigint,
            coalesce((SELECT json_object_agg(state, n)::text FROM (SELECT state, count(*) n FROM jobs
                      WHERE batch_id = b.id GROUP BY state) s), '{}'),
            coalesce(sum(j.rows_valid) FILTER (WHERE j.state = 'completed'), 0)::bigint,
            coalesce(sum(j.rows_invalid) FILTER (WHERE j.state = 'completed'), 0)::bigint,
            coalesce(sum(j.chunks_done), 0)::bigint, coalesce(sum(j.chunks), 0)::bigint
        FROM batches b LEFT JOIN jobs j ON j.batch_id = b.id
        """

    private func batches(_ query: PostgresQuery) async throws -> [Batch] {
        var result: [Batch] = []
        for try await r in try await run(query).decode((String, String, String, String?, String, String?, Date, Date?, Date?,
                                                        Int64, String, Int64, Int64, Int64, Int64).self) {
            let byState = (try? JSONCoding.decode([String: Int].self, from: Array(r.10.utf8))) ?? [:]
            let notify = r.5.flatMap { try? JSONCoding.decode(NotifySpec.self, from: Array($0.utf8)) }
            result.append(Batch(id: r.0, project: r.1, name: r.2, submitter: r.3, state: r.4, jobs: Int(r.9), byState: byState,
                                successRate: Self.successRate(byState), rowsValid: Int(r.11), rowsInvalid: Int(r.12),
                                chunksDone: Int(r.13), chunks: Int(r.14), notify: notify, createdAt: r.6, closedAt: r.7,
                                finishedAt: r.8))
        }
        return result
    }

    /// Completed among the jobs that ended, skipped and stored ones left out; nil before any ended.
    static func successRate(_ byState: [String: Int]) -> Double? {
        let completed = byState["completed"] ?? 0
        let ended = completed + (byState["failed"] ?? 0) + (byState["cancelled"] ?? 0)
        return ended == 0 ? nil : Double(completed) / Double(ended)
    }

    func find(_ id: String) async throws -> Batch? {
        try await batches("\(unescaped: Self.select) WHERE b.id = \(id) GROUP BY b.id").first
    }

    func list(projects: [String]?, state: String?, limit: Int) async throws -> [Batch] {
        try await batches("""
            \(unescaped: Self.select)
            WHERE (\(projects)::text[] IS NULL OR b.project = ANY(\(projects))) AND (\(state)::text IS NULL OR b.state = \(state))
            GROUP BY b.id ORDER BY b.created_at DESC, b.id DESC LIMIT \(limit)
            """)
    }

    /// The batch's jobs, in submission order.
    func jobIds(_ id: String, limit: Int = 100_000) async throws -> [String] {
        var ids: [String] = []
        for try await jobId in try await run("""
            SELECT job_id FROM jobs WHERE batch_id = \(id) ORDER BY submitted_at, job_id LIMIT \(limit)
            """).decode(String.self) { ids.append(jobId) }
        return ids
    }

    /// No more jobs join; the batch may be done already.
    func close(_ id: String, at: Date, emitter: Emitter) async throws {
        try await closeOnly(id, at: at)
        try await settle(id, at: at, emitter: emitter)
    }

    /// No more jobs join (the caller settles the batch).
    func closeOnly(_ id: String, at: Date) async throws {
        try await run("UPDATE batches SET state = 'running', closed_at = \(at) WHERE id = \(id) AND state = 'open'")
    }

    /// Whether a job may join the batch now: it is open, checked under a share lock in the
    /// transaction that records the job, so a close waits for the join (or the join sees it).
    func isOpen(_ id: String) async throws -> Bool {
        for try await state in try await run("SELECT state FROM batches WHERE id = \(id) FOR SHARE").decode(String.self) {
            return state == "open"
        }
        return false
    }

    /// Locks the rows of the batch's jobs (in the caller's transaction), in the order
    /// ``jobIds(_:limit:)`` gives them and the batch controls change them.
    func lockJobs(_ id: String) async throws {
        for try await _ in try await run("""
            SELECT job_id FROM jobs WHERE batch_id = \(id) ORDER BY submitted_at, job_id FOR UPDATE
            """) {}
    }

    func markCancelled(_ id: String, at: Date) async throws {
        try await run("UPDATE batches SET cancelled_at = coalesce(cancelled_at, \(at)) WHERE id = \(id)")
    }

    /// If the batch is closed and every job of it has ended, it is finished: its state is set
    /// and `batch.finished` is emitted (once: the row is locked and must still be running).
    func settle(_ id: String, at: Date, emitter: Emitter) async throws {
        var cancelled = false
        var running = false
        for try await (state, cancelledAt) in try await run("""
            SELECT state, cancelled_at FROM batches WHERE id = \(id) FOR UPDATE
            """).decode((String, Date?).self) {
            running = state == "running"
            cancelled = cancelledAt != nil
        }
        guard running else { return }
        for try await _ in try await run("""
            SELECT 1 FROM jobs WHERE batch_id = \(id)
              AND state NOT IN ('completed', 'failed', 'cancelled', 'skipped', 'stored') LIMIT 1
            """) { return }
        guard let batch = try await find(id) else { return }
        let failed = batch.byState["failed"] ?? 0
        let state = cancelled ? "cancelled" : failed > 0 ? "failed" : "completed"
        try await run("UPDATE batches SET state = \(state), finished_at = \(at) WHERE id = \(id)")
        try emitter.emit(Envelope(
            id: "gateway/batch/\(id)/finished", jobId: nil, correlationId: "batch/\(id)", causationId: nil, producer: "gateway",
            project: batch.project,
            payload: BatchFinished(batchId: id, name: batch.name, project: batch.project, state: state, jobs: batch.jobs,
                                   completed: batch.byState["completed"] ?? 0, failed: failed,
                                   cancelled: batch.byState["cancelled"] ?? 0, successRate: batch.successRate ?? 1,
                                   rowsValid: batch.rowsValid, rowsInvalid: batch.rowsInvalid, createdAt: batch.createdAt,
                                   finishedAt: at, notify: batch.notify.flatMap { $0.isEmpty ? nil : $0 })))
    }

    /// The batch a job belongs to, if any.
    func batch(ofJob jobId: String) async throws -> String? {
        for try await id in try await run("SELECT batch_id FROM jobs WHERE job_id = \(jobId)").decode(String?.self) {
            return id
        }
        return nil
    }
}
