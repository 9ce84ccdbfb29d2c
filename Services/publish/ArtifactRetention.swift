import Contracts
import Foundation
import ObjectStorage
import PostgresNIO
import Runtime

/// Publish's part of `cleanup.requested`: the artifacts (objects and rows) and result rows of
/// jobs published (or failed) longer ago than `retention.artifacts.days`. Each dataset keeps
/// the artifacts of its latest published job and of its latest original job (not a re-run), as
/// the gateway keeps those jobs.
struct ArtifactRetention {
    let runtime: RuntimeContext
    let days: Int

    private static let sameDataset = """
        coalesce(n.context->'options'->>'datasetKey', n.job_id) = coalesce(j.context->'options'->>'datasetKey', j.job_id)
        """

    /// A job that read its own input, not an earlier job's (a re-run is analysis-only or publish-only).
    private static func original(_ table: String) -> String {
        "coalesce(\(table).context->'options'->>'stages', 'all') NOT IN ('analysis-only', 'publish-only')"
    }

    /// Removes up to `rounds` × 200 jobs' artifacts; returns how many jobs were cleared.
    func purge(now: Date = Date(), rounds: Int = 50) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        var cleared = 0
        for _ in 0..<rounds {
            var jobs: [String] = []
            // Each dataset keeps its latest results and the job a re-run by tag starts from: its
            // latest original (not analysis-only or publish-only) job, published or failed, as the
            // gateway keeps those jobs.
            for try await id in try await runtime.database.query("""
                SELECT j.job_id FROM jobs j
                WHERE j.state IN ('published', 'failed') AND j.published_at < \(cutoff)
                  AND NOT (j.state = 'published' AND NOT EXISTS (
                      SELECT 1 FROM jobs n WHERE \(unescaped: Self.sameDataset) AND n.state = 'published'
                        AND n.published_at > j.published_at))
                  AND NOT (\(unescaped: Self.original("j")) AND NOT EXISTS (
                      SELECT 1 FROM jobs n WHERE \(unescaped: Self.sameDataset) AND n.state IN ('published', 'failed')
                        AND n.published_at > j.published_at AND \(unescaped: Self.original("n"))))
                LIMIT 200
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
