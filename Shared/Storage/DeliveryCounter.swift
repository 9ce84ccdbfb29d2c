import Logging
import PostgresNIO

/// Counts how often a message was handed to a handler after a redelivery, committed before
/// the handler runs. A message whose handling kills the process (crash, OOM, SIGKILL) never
/// reaches an ack or a nack, so this count is the only trace it leaves; it works on classic
/// queues, which have no delivery count of their own.
public struct DeliveryCounter: Sendable {
    /// The service's database (its `delivery_attempts` table).
    public let database: Database
    /// Where statements log.
    public let logger: Logger

    /// A counter over `database`.
    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Counts one more redelivery of `key` from `queue`; returns the redeliveries counted.
    public func record(_ key: String, queue: String) async throws -> Int {
        let rows = try await database.query("""
            INSERT INTO delivery_attempts (message_key, queue, deliveries) VALUES (\(key), \(queue), 1)
            ON CONFLICT (message_key, queue) DO UPDATE
                SET deliveries = delivery_attempts.deliveries + 1, last_at = now()
            RETURNING deliveries
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 1
    }

    /// Forgets `key` once the message is settled (handled, retried or dead-lettered).
    public func forget(_ key: String, queue: String) async throws {
        try await database.query("""
            DELETE FROM delivery_attempts WHERE message_key = \(key) AND queue = \(queue)
            """, logger: logger)
    }
}
