import Contracts
import APIModels
import Foundation
import PostgresNIO

/// The read model's retention (`cleanup.requested`) and the figures of a status digest.
extension JobRepository {
    /// Removes jobs that ended before `cutoff`, with their history and finished batches. Each
    /// dataset keeps its latest original job a re-run by tag starts from and its latest
    /// completed one, whose artifacts publish keeps too. At most
    /// `limit` jobs per call (the cleanup calls again until none is left).
    func purgeJobs(endedBefore cutoff: Date, limit: Int = 5_000) async throws -> Int {
        var removed: [String] = []
        for try await id in try await run("""
            DELETE FROM jobs WHERE job_id IN (
                SELECT j.job_id FROM jobs j
                WHERE j.finished_at < \(cutoff) AND j.state IN ('completed', 'failed', 'cancelled', 'skipped', 'stored')
                  -- Each dataset keeps its latest original job that a re-run by tag would start from (the
                  -- rule of latestPerDataset) and its latest completed job, whose results publish keeps.
                  AND NOT (coalesce(j.source, '') <> 'job' AND j.state IN ('completed', 'stored', 'failed') AND NOT EXISTS (
                      SELECT 1 FROM jobs n WHERE coalesce(n.dataset_key, n.job_id) = coalesce(j.dataset_key, j.job_id)
                        AND n.submitted_at > j.submitted_at AND coalesce(n.source, '') <> 'job'
                        AND n.state IN ('completed', 'stored', 'failed')))
                  AND NOT (j.state = 'completed' AND NOT EXISTS (
                      SELECT 1 FROM jobs n WHERE coalesce(n.dataset_key, n.job_id) = coalesce(j.dataset_key, j.job_id)
                        AND n.submitted_at > j.submitted_at AND n.state = 'completed'))
                LIMIT \(limit))
            RETURNING job_id
            """).decode(String.self) {
            removed.append(id)
        }
        guard !removed.isEmpty else { return 0 }
        try await run("DELETE FROM job_events WHERE job_id = ANY(\(removed))")
        try await run("DELETE FROM idempotency_keys WHERE job_id = ANY(\(removed))")
        try await run("""
            DELETE FROM batches b WHERE b.finished_at < \(cutoff) AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.batch_id = b.id)
            """)
        return removed.count
    }

    /// The dataset a job belongs to, if it names one.
    func datasetKey(of jobId: String) async throws -> String? {
        for try await key in try await run("SELECT dataset_key FROM jobs WHERE job_id = \(jobId)").decode(String?.self) {
            return key
        }
        return nil
    }

    /// Jobs submitted in `[start, end)` (of `project`, or all), by their state now.
    func submittedCounts(project: String?, from start: Date, to end: Date) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for try await (state, count) in try await run("""
            SELECT state, count(*)::int FROM jobs
            WHERE submitted_at >= \(start) AND submitted_at < \(end) AND (\(project)::text IS NULL OR project = \(project))
            GROUP BY state
            """).decode((String, Int).self) {
            counts[state] = count
        }
        return counts
    }
}

extension JobRepository {
    /// The latest job of the dataset `key` that a catalog run with `stages` starts from: for
    /// `analysis-only` its latest original job that ended (completed, stored, or failed after
    /// its input was stored: the case of a plan fixed and run again), as a re-run takes it;
    /// for `publish-only` a completed job (a re-run's results are publishable too).
    func latest(ofDataset key: String, project: String, for stages: JobOptions.Stages) async throws -> GatewayJob? {
        let originalsOnly = stages == .analysisOnly
        return try await jobs("""
            SELECT \(unescaped: Self.columns) FROM jobs
            WHERE dataset_key = \(key) AND project = \(project)
              AND state = ANY(\(originalsOnly ? ["completed", "stored", "failed"] : ["completed"]))
              AND (NOT \(originalsOnly) OR source <> 'job')
            ORDER BY submitted_at DESC LIMIT 1
            """).first
    }

    /// The latest job of each of `keys`, for the catalog's list and show (two queries, however
    /// many datasets).
    func latestJobs(ofDatasets keys: [String], project: String) async throws -> [String: GatewayJob] {
        var latest: [String: String] = [:]
        for try await (key, job) in try await run("""
            SELECT DISTINCT ON (dataset_key) dataset_key, job_id FROM jobs
            WHERE dataset_key = ANY(\(keys)) AND project = \(project)
            ORDER BY dataset_key, submitted_at DESC
            """).decode((String, String).self) {
            latest[job] = key
        }
        let found = try await jobs("SELECT \(unescaped: Self.columns) FROM jobs WHERE job_id = ANY(\(Array(latest.keys)))")
        return Dictionary(found.compactMap { job in latest[job.id].map { ($0, job) } }) { first, _ in first }
    }
}
