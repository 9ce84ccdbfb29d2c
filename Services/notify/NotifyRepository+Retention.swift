import Foundation
import PostgresNIO

extension NotifyRepository {
    /// Notify's part of `cleanup.requested`: delivery records last touched before `cutoff`
    /// (none being sent right now); returns how many.
    func purgeDeliveries(before cutoff: Date) async throws -> Int {
        var removed = 0
        for try await _ in try await runtime.database.query("""
            DELETE FROM deliveries WHERE updated_at < \(cutoff) AND status <> 'sending' RETURNING 1
            """, logger: runtime.logger) {
            removed += 1
        }
        return removed
    }
}
