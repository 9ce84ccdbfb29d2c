import Contracts
import Foundation
import ObjectStorage
import PostgresNIO
import Runtime

/// Publish's part of `cleanup.requested`: the artifacts (objects and rows) and result rows of
/// jobs published longer ago than `retention.artifacts.days`. Each dataset keeps the artifacts
/// of its latest published job and of its latest published original (not a re-run), as the
/// gateway keeps those jobs.
struct ArtifactRetention {
    let runtime: RuntimeContext
    let days: Int

    /// Removes up to `rounds` × 200 jobs' artifacts; returns how many jobs were cleared.
    func purge(now: Date = Date(), rounds: Int = 50) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        var cleared = 0
        for _ in 0..<rounds {
            var jobs: [String] = []
            for try await id in try await runtime.database.query("""
                SELECT j.job_id FROM jobs j
                WHERE j.state = 'published' AND j.published_at < \(cutoff)
                  -- Each dataset keeps its latest results and those of its latest original job (a re-run
                  -- is analysis-only or publish-only: it reads an earlier job's stored input).
                  AND EXISTS (SELECT 1 FROM jobs newer
                              WHERE coalesce(newer.context->'options'->>'datasetKey', newer.job_id)
                                  = coalesce(j.context->'options'->>'datasetKey', j.job_id)
                                AND newer.state = 'published' AND newer.published_at > j.published_at)
                  AND (coalesce(j.context->'options'->>'stages', 'all') IN ('analysis-only', 'publish-only') OR EXISTS (SELECT 1 FROM jobs newer
                              WHERE coalesce(newer.context->'options'->>'datasetKey', newer.job_id)
                                  = coalesce(j.context->'options'->>'datasetKey', j.job_id)
                                AND newer.state = 'published' AND newer.published_at > j.published_at
                                AND coalesce(newer.context->'options'->>'stages', 'all') NOT IN ('analysis-only', 'publish-only')))
                LIMIT 200
                """, logger: runtime.logger).decode(String.self) {
                jobs.append(id)
            }
            // A failed job is never a dataset's last results: its rows go once old.
            for try await id in try await runtime.database.query("""
                SELECT job_id FROM jobs WHERE state = 'failed' AND published_at < \(cutoff) AND NOT (job_id = ANY(\(jobs)))
                LIMIT \(200 - min(200, jobs.count))
                """, logger: runtime.logger).decode(String.self) {
                jobs.append(id)
            }
            guard !jobs.isEmpty else { break }
            var keys: [String] = []
            for try await key in try await runtime.database.query("""
                SELECT object_key FROM artifacts WHERE job_id = ANY(\(jobs)) AND object_key IS NOT NULL
                """, logger: runtime.logger).decode(String.self) {
                keys.append(key)
            }
            for key in keys {
                // An object already gone is fine; the rows go only once its objects are gone.
                if let objectKey = try? ObjectKey(key) { try await runtime.objects.delete(objectKey) }
            }
            let ids = jobs
            try await runtime.transaction { connection, _ in
                for table in ["artifact_parts", "artifacts", "chunks", "jobs"] {
                    try await connection.query("DELETE FROM \(unescaped: table) WHERE job_id = ANY(\(ids))", logger: runtime.logger)
                }
            }
            cleared += jobs.count
        }
        return cleared
    }
}
