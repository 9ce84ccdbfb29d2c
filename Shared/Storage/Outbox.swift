import Foundation
import Logging
import PostgresNIO

/// Messages written in the same transaction as the state change that causes them, then
/// relayed to the broker with confirms and marked sent. A crash between commit and publish
/// leaves the row unsent, and the relay publishes it later: nothing committed is lost and
/// nothing rolled back is ever sent.
public enum Outbox {
    /// A stored message with its row id.
    public struct Entry: Sendable {
        /// Row id.
        public var id: Int64
        /// The message.
        public var message: OutboxMessage
    }

    /// Stores `messages` in the caller's transaction; returns their row ids.
    public static func enqueue(_ messages: [OutboxMessage], on connection: PostgresConnection,
                               logger: Logger) async throws -> [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(messages.count)
        for message in messages {
            let body = ByteBuffer(bytes: message.body)
            let rows = try await connection.query("""
                INSERT INTO outbox (message_id, exchange, routing_key, properties, body)
                VALUES (\(message.messageId), \(message.exchange), \(message.routingKey),
                        \(message.properties)::jsonb, \(body))
                RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) { ids.append(id) }
        }
        return ids
    }

    /// Marks rows as relayed.
    public static func markSent(_ ids: [Int64], database: Database, logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        try await database.query("UPDATE outbox SET sent_at = now() WHERE id = ANY(\(ids))", logger: logger)
    }

    /// Locks up to `limit` unsent rows created at least `minimumAge` ago, skipping rows another
    /// relay holds and rows that failed `maxAttempts` times (left for an operator, with
    /// `last_error`), in the caller's transaction.
    public static func claimUnsent(olderThan minimumAge: Duration, limit: Int, maxAttempts: Int = 20,
                                   on connection: PostgresConnection, logger: Logger) async throws -> [Entry] {
        let seconds = Double(minimumAge.components.seconds) + Double(minimumAge.components.attoseconds) / 1e18
        let rows = try await connection.query("""
            SELECT id, message_id, exchange, routing_key, properties::text, body FROM outbox
            WHERE sent_at IS NULL AND attempts < \(maxAttempts)
              AND created_at <= now() - make_interval(secs => \(seconds))
            ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
            """, logger: logger)
        var entries: [Entry] = []
        for try await (id, messageId, exchange, key, properties, body)
            in rows.decode((Int64, String?, String, String, String, ByteBuffer).self) {
            entries.append(Entry(id: id, message: OutboxMessage(messageId: messageId, exchange: exchange, routingKey: key,
                                                                properties: properties, body: Array(buffer: body))))
        }
        return entries
    }

    /// Deletes rows sent more than `retention` ago.
    public static func purge(sentBefore retention: Duration, database: Database, logger: Logger) async throws {
        let seconds = Double(retention.components.seconds)
        try await database.query("""
            DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < now() - make_interval(secs => \(seconds))
            """, logger: logger)
    }
}

extension Outbox {
    /// Marks rows as relayed inside the caller's transaction.
    public static func markSent(_ ids: [Int64], on connection: PostgresConnection, logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query("UPDATE outbox SET sent_at = now() WHERE id = ANY(\(ids))", logger: logger)
    }
}

extension Outbox {
    /// Records a failed relay attempt (nacked or unroutable) on rows, so one bad row never
    /// blocks the others and a row that keeps failing stops being retried.
    public static func recordFailure(_ ids: [Int64], error: String, on connection: PostgresConnection,
                                     logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query("""
            UPDATE outbox SET attempts = attempts + 1, last_error = \(error) WHERE id = ANY(\(ids))
            """, logger: logger)
    }
}
