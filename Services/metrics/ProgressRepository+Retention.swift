import Foundation
import PostgresNIO

extension ProgressRepository {
    /// Metrics' part of `cleanup.requested`: progress records of jobs that ended before
    /// `cutoff` and whose chunks are gone already; returns how many.
    func purgeProgress(finishedBefore cutoff: Date) async throws -> Int {
        var removed = 0
        for try await _ in try await runtime.database.query("""
            DELETE FROM job_progress WHERE finished_at < \(cutoff) AND chunks_deleted_at IS NOT NULL RETURNING 1
            """, logger: runtime.logger) {
            removed += 1
        }
        return removed
    }
}
