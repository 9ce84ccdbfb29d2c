import Foundation
import PostgresNIO

extension DeadLetterRepository {
    /// Incident's part of `cleanup.requested`: stored failures received before `cutoff` that
    /// are settled (re-driven, discarded, or of a resolved or archived incident), with their
    /// re-drive items; the incidents themselves stay. Returns how many.
    func purgeSettled(before cutoff: Date, limit: Int = 5_000) async throws -> Int {
        try await runtime.transaction { connection, _ in
            var ids: [String] = []
            for try await id in try await connection.query("""
                SELECT d.id FROM dead_letters d LEFT JOIN incidents i ON i.id = d.incident_id
                WHERE d.received_at < \(cutoff)
                  AND (d.state NOT IN ('pending', 'redriving') OR i.state IN ('resolved', 'archived'))
                  AND NOT EXISTS (SELECT 1 FROM redrive_items r JOIN redrives v ON v.id = r.redrive_id
                                  WHERE r.dead_letter_id = d.id AND v.state IN ('canary', 'running'))
                LIMIT \(limit)
                """, logger: runtime.logger).decode(String.self) {
                ids.append(id)
            }
            guard !ids.isEmpty else { return 0 }
            try await connection.query("DELETE FROM redrive_items WHERE dead_letter_id = ANY(\(ids))", logger: runtime.logger)
            try await connection.query("DELETE FROM dead_letters WHERE id = ANY(\(ids))", logger: runtime.logger)
            return ids.count
        }
    }
}
