import Logging
import PostgresNIO

/// Consumed message ids, recorded in the same transaction as the handler's effect, so a
/// redelivered message is recognised and changes nothing.
public enum Inbox {
    /// Records `messageId`; returns false if it was already recorded (a duplicate).
    public static func claim(_ messageId: String, type: String, on connection: PostgresConnection,
                             logger: Logger) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO inbox (message_id, message_type) VALUES (\(messageId), \(type))
            ON CONFLICT (message_id) DO NOTHING RETURNING 1
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }
}
