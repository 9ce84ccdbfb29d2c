import Foundation
import Logging
import PostgresNIO

/// The runtime's record of operators' job controls and of the messages they hold, in each
/// service's own schema (`job_controls`, `held_messages`): what a service must hold or drop
/// survives a restart of every process.
public enum JobControls {
    /// One control as stored: a job or a project, and whether its work runs, is held or is dropped.
    public struct Row: Sendable, Hashable {
        /// `job` or `project`.
        public var scope: String
        /// The job id or project name.
        public var target: String
        /// `paused`, `cancelled` or `running`.
        public var state: String
        /// When it last changed.
        public var changedAt: Date

        /// A row.
        public init(scope: String, target: String, state: String, changedAt: Date) {
            self.scope = scope
            self.target = target
            self.state = state
            self.changedAt = changedAt
        }
    }

    /// Records the state of `scope`/`target` in the caller's transaction, if it is news:
    /// controls are applied in the order the gateway gave them (`sequence`), whatever order
    /// the replicas commit them in, and a cancelled job stays cancelled. Returns whether the
    /// stored state changed.
    @discardableResult
    public static func set(scope: String, target: String, state: String, sequence: Int64?,
                           on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO job_controls (scope, target, state, seq) VALUES (\(scope), \(target), \(state), \(sequence))
            ON CONFLICT (scope, target) DO UPDATE SET state = excluded.state, seq = excluded.seq, changed_at = clock_timestamp()
            WHERE job_controls.state <> 'cancelled'
              AND (excluded.state = 'cancelled' OR excluded.seq IS NULL OR job_controls.seq IS NULL
                   OR job_controls.seq < excluded.seq)
            RETURNING 1
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// Controls changed at or after `since` (all of them for nil). Readers ask again with a
    /// margin, since a transaction may commit a little after the time it stamped.
    public static func changes(since: Date?, database: Database, logger: Logger) async throws -> [Row] {
        let rows = try await database.query("""
            SELECT scope, target, state, changed_at FROM job_controls
            WHERE \(since)::timestamptz IS NULL OR changed_at >= \(since)
            ORDER BY changed_at
            """, logger: logger)
        var result: [Row] = []
        for try await (scope, target, state, at) in rows.decode((String, String, String, Date).self) {
            result.append(Row(scope: scope, target: target, state: state, changedAt: at))
        }
        return result
    }

    /// A message held instead of handled, to be sent back to `queue` later.
    public struct Held: Sendable {
        /// The job it belongs to.
        public var jobId: String?
        /// The job's project.
        public var project: String?
        /// `paused` or `rate_limited`.
        public var reason: String
        /// For `rate_limited`: when it may go on.
        public var notBefore: Date?
        /// The queue it returns to (its lane).
        public var queue: String
        /// The message, as the outbox stores one.
        public var message: OutboxMessage

        /// A held message.
        public init(jobId: String?, project: String?, reason: String, notBefore: Date? = nil, queue: String,
                    message: OutboxMessage) {
            self.jobId = jobId
            self.project = project
            self.reason = reason
            self.notBefore = notBefore
            self.queue = queue
            self.message = message
        }
    }

    /// Keeps a paused job's message if its job or project is still paused, as stored (not as
    /// a replica last heard): returns the stored state that decided, `paused` (held),
    /// `cancelled` (to drop) or `running` (to handle now). The controls are read `FOR SHARE`,
    /// so a resume committing at the same moment either sees this message to release or
    /// makes this hold see `running`: nothing is held after its release.
    public static func holdIfPaused(_ held: Held, database: Database, logger: Logger) async throws -> String {
        try await database.transaction { connection in
            let rows = try await connection.query("""
                SELECT scope, state FROM job_controls
                WHERE (scope = 'job' AND target = \(held.jobId)) OR (scope = 'project' AND target = \(held.project))
                FOR SHARE
                """, logger: logger)
            var states: [String: String] = [:]
            for try await (scope, state) in rows.decode((String, String).self) { states[scope] = state }
            if states["job"] == "cancelled" { return "cancelled" }
            guard states["job"] == "paused" || states["project"] == "paused" else { return "running" }
            try await insert(held, on: connection, logger: logger)
            return "paused"
        }
    }

    /// Keeps `held` in the caller's transaction.
    public static func insert(_ held: Held, on connection: PostgresConnection, logger: Logger) async throws {
        let body = ByteBuffer(bytes: held.message.body)
        try await connection.query("""
            INSERT INTO held_messages (job_id, project, reason, not_before, queue, message_id, properties, body)
            VALUES (\(held.jobId), \(held.project), \(held.reason), \(held.notBefore), \(held.queue),
                    \(held.message.messageId), \(held.message.properties)::jsonb, \(body))
            """, logger: logger)
    }

    /// Removes and returns the messages held for `scope`/`target` because it was paused, in
    /// the caller's transaction (which writes them to the outbox, addressed to their queues).
    /// A project's release leaves alone the messages of jobs paused on their own.
    public static func release(scope: String, target: String, on connection: PostgresConnection,
                               logger: Logger) async throws -> [OutboxMessage] {
        let rows = try await connection.query("""
            DELETE FROM held_messages h
            WHERE reason = 'paused'
              AND CASE WHEN \(scope) = 'job' THEN h.job_id = \(target)
                       ELSE h.project = \(target) AND NOT EXISTS (
                           SELECT 1 FROM job_controls c
                           WHERE c.scope = 'job' AND c.target = h.job_id AND c.state <> 'running')
                  END
            RETURNING queue, message_id, properties::text, body, id
            """, logger: logger)
        return try await addressed(rows)
    }

    /// Removes and returns up to `limit` messages held for a rate limit whose time has come,
    /// oldest first, in the caller's transaction (which sends them back to their queues);
    /// replicas releasing at once skip each other's rows.
    public static func releaseDue(limit: Int, on connection: PostgresConnection, logger: Logger) async throws -> [OutboxMessage] {
        let rows = try await connection.query("""
            DELETE FROM held_messages WHERE id IN (
                SELECT id FROM held_messages WHERE reason = 'rate_limited' AND not_before <= clock_timestamp()
                ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING queue, message_id, properties::text, body, id
            """, logger: logger)
        return try await addressed(rows)
    }

    /// Deleted held rows as messages addressed back to their queues, in the order they were held.
    private static func addressed(_ rows: PostgresRowSequence) async throws -> [OutboxMessage] {
        var released: [(Int64, OutboxMessage)] = []
        for try await (queue, messageId, properties, body, id) in rows.decode((String, String?, String, ByteBuffer, Int64).self) {
            released.append((id, OutboxMessage(messageId: messageId, exchange: "", routingKey: queue,
                                               properties: properties, body: Array(buffer: body))))
        }
        return released.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Messages held for a rate limit, by project.
    public static func rateLimited(database: Database, logger: Logger) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for try await (project, count) in try await database.query("""
            SELECT coalesce(project, ''), count(*)::bigint FROM held_messages WHERE reason = 'rate_limited' GROUP BY 1
            """, logger: logger).decode((String, Int64).self) { counts[project] = Int(count) }
        return counts
    }

    /// Drops every message held for a cancelled job, in the caller's transaction.
    public static func discard(jobId: String, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query("DELETE FROM held_messages WHERE job_id = \(jobId) RETURNING 1", logger: logger)
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}
