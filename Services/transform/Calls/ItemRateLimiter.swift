import Contracts
import Foundation
import PostgresNIO
import Runtime
import Storage

/// The per-project token bucket on call-step items, exact across transform replicas: each
/// take locks the project's bucket row and reads the database's clock. Tokens are taken a
/// few at a time (one round trip per batch, not per item).
struct ItemRateLimiter: Sendable {
    let runtime: RuntimeContext

    /// Granted `count` tokens (1 or more), or none until `until`.
    enum Grant: Sendable, Hashable {
        case granted(Int)
        case wait(until: Date)
    }

    /// Takes up to `wanted` tokens from `project`'s bucket under `rate`.
    func take(project: String, rate: ItemRate, wanted: Int) async throws -> Grant {
        let logger = runtime.logger
        let perSecond = Double(rate.perMinute) / 60
        let burst = Double(max(1, rate.burst))
        return try await runtime.database.transaction { connection in
            try await connection.query("""
                INSERT INTO item_buckets (project, tokens, updated_at) VALUES (\(project), \(burst), clock_timestamp())
                ON CONFLICT (project) DO NOTHING
                """, logger: logger)
            var state: (tokens: Double, at: Date, now: Date)?
            for try await row in try await connection.query("""
                SELECT tokens, updated_at, clock_timestamp() FROM item_buckets WHERE project = \(project) FOR UPDATE
                """, logger: logger).decode((Double, Date, Date).self) { state = row }
            guard let state else { return .granted(wanted) }
            let level = min(burst, state.tokens + max(0, state.now.timeIntervalSince(state.at)) * perSecond)
            let granted = min(wanted, Int(level.rounded(.down)))
            guard granted >= 1 else {
                return .wait(until: state.now.addingTimeInterval((1 - level) / perSecond))
            }
            try await connection.query("""
                UPDATE item_buckets SET tokens = \(level - Double(granted)), updated_at = \(state.now) WHERE project = \(project)
                """, logger: logger)
            return .granted(granted)
        }
    }
}
