import APIModels
import Contracts
import Foundation
import Messaging
import PostgresNIO
import Runtime

/// Re-drives (`redrives`) and their frozen sets of dead letters (`redrive_items`).
struct RedriveRepository {
    let runtime: RuntimeContext

    /// One dead letter ready to send again.
    struct Payload: Sendable {
        var deadLetterId: String
        var position: Int
        var targetQueue: String?
        var body: [UInt8]
        var properties: MessageProperties
        var redriveCount: Int
    }

    func create(_ redrive: Redrive, items: [String], on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO redrives (id, incident_id, state, rate, canary, total, actor)
            VALUES (\(redrive.id), \(redrive.incidentId), \(redrive.state), \(redrive.rate), \(redrive.canary),
                \(redrive.total), \(redrive.actor))
            """, logger: runtime.logger)
        let positions = Array(0..<items.count)
        try await connection.query("""
            INSERT INTO redrive_items (redrive_id, dead_letter_id, position)
            SELECT \(redrive.id), item, position FROM unnest(\(items)::text[], \(positions)::int[]) AS t(item, position)
            """, logger: runtime.logger)
    }

    static let columns = """
        id, incident_id, state, rate, canary, total, sent, succeeded, failed, actor, stop_reason, created_at, finished_at
        """

    static func decode(_ row: PostgresRow) throws -> Redrive {
        let r = row.makeRandomAccess()
        return Redrive(
            id: try r["id"].decode(String.self), incidentId: try r["incident_id"].decode(String?.self),
            state: try r["state"].decode(String.self), rate: try r["rate"].decode(Double.self),
            canary: try r["canary"].decode(Bool.self), total: try r["total"].decode(Int.self),
            sent: try r["sent"].decode(Int.self), succeeded: try r["succeeded"].decode(Int.self),
            failed: try r["failed"].decode(Int.self), actor: try r["actor"].decode(String.self),
            stopReason: try r["stop_reason"].decode(String?.self), createdAt: try r["created_at"].decode(Date.self),
            finishedAt: try r["finished_at"].decode(Date?.self))
    }

    func get(_ id: String, forUpdate: Bool = false, on connection: PostgresConnection) async throws -> Redrive? {
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM redrives WHERE id = \(id) \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """, logger: runtime.logger)
        for try await row in rows { return try Self.decode(row) }
        return nil
    }

    func list(incidentId: String?, limit: Int = 100) async throws -> [Redrive] {
        let rows = try await runtime.database.query("""
            SELECT \(unescaped: Self.columns) FROM redrives WHERE \(incidentId)::text IS NULL OR incident_id = \(incidentId)
            ORDER BY created_at DESC LIMIT \(limit)
            """, logger: runtime.logger)
        var result: [Redrive] = []
        for try await row in rows { result.append(try Self.decode(row)) }
        return result
    }

    /// Re-drives still sending or waiting for their canary, oldest first.
    func active() async throws -> [Redrive] {
        let rows = try await runtime.database.query("""
            SELECT \(unescaped: Self.columns) FROM redrives WHERE state IN ('canary', 'running') ORDER BY created_at
            """, logger: runtime.logger)
        var result: [Redrive] = []
        for try await row in rows { result.append(try Self.decode(row)) }
        return result
    }

    /// Takes the re-drive's sending lock for the caller's transaction; false if another
    /// replica holds it.
    func lock(_ redriveId: String, on connection: PostgresConnection) async throws -> Bool {
        let key = "redrive:\(redriveId)"
        let rows = try await connection.query("SELECT pg_try_advisory_xact_lock(hashtextextended(\(key), 0))",
                                              logger: runtime.logger)
        for try await locked in rows.decode(Bool.self) { return locked }
        return false
    }

    /// The re-drive and when it started sending (after its canary).
    func progress(_ redriveId: String, on connection: PostgresConnection) async throws -> (Redrive, Date?)? {
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.columns), started_at FROM redrives WHERE id = \(redriveId)
            """, logger: runtime.logger)
        for try await row in rows {
            return (try Self.decode(row), try row.makeRandomAccess()["started_at"].decode(Date?.self))
        }
        return nil
    }

    /// The next items not sent yet, in order, with what is needed to send them.
    func pending(_ redriveId: String, limit: Int, on connection: PostgresConnection) async throws -> [Payload] {
        let rows = try await connection.query("""
            SELECT i.dead_letter_id, i.position, d.target_queue, d.body, d.properties, d.redrive_count, d.message_id,
                d.message_type, d.correlation_id
            FROM redrive_items i JOIN dead_letters d ON d.id = i.dead_letter_id
            WHERE i.redrive_id = \(redriveId) AND i.state = 'pending' ORDER BY i.position LIMIT \(limit)
            """, logger: runtime.logger)
        var result: [Payload] = []
        for try await row in rows {
            let r = row.makeRandomAccess()
            let stored = try r["properties"].decode(ByteBuffer?.self)
            // Failures stored before properties were kept get theirs rebuilt from the columns.
            let fallback = MessageProperties(messageId: try r["message_id"].decode(String?.self),
                                             type: try r["message_type"].decode(String?.self),
                                             correlationId: try r["correlation_id"].decode(String?.self))
            let properties = stored.flatMap { try? JSONCoding.decode(MessageProperties.self, from: $0.readableBytesView) }
                ?? fallback
            result.append(Payload(deadLetterId: try r["dead_letter_id"].decode(String.self),
                                  position: try r["position"].decode(Int.self),
                                  targetQueue: try r["target_queue"].decode(String?.self),
                                  body: Array(try r["body"].decode(ByteBuffer.self).readableBytesView),
                                  properties: properties, redriveCount: try r["redrive_count"].decode(Int.self)))
        }
        return result
    }

    /// Marks items sent (only those still pending: a stop may have cancelled some, and a
    /// resumed worker never counts one twice); returns the ids marked, the only ones to send.
    func markSent(_ redriveId: String, _ ids: [String], on connection: PostgresConnection) async throws -> [String] {
        guard !ids.isEmpty else { return [] }
        let rows = try await connection.query("""
            UPDATE redrive_items SET state = 'sent', sent_at = now()
            WHERE redrive_id = \(redriveId) AND dead_letter_id = ANY(\(ids)) AND state = 'pending' RETURNING dead_letter_id
            """, logger: runtime.logger)
        var marked: [String] = []
        for try await id in rows.decode(String.self) { marked.append(id) }
        try await connection.query("""
            UPDATE redrives SET sent = sent + \(marked.count), updated_at = now() WHERE id = \(redriveId)
            """, logger: runtime.logger)
        return marked
    }

    /// Items sent longer ago than `age` and still without an outcome (the copy or its
    /// outcome was lost, e.g. the consuming service's queue was purged).
    func overdue(_ redriveId: String, olderThan age: Duration) async throws -> [String] {
        let seconds = Double(age.components.seconds)
        let rows = try await runtime.database.query("""
            SELECT dead_letter_id FROM redrive_items
            WHERE redrive_id = \(redriveId) AND state = 'sent' AND sent_at < now() - make_interval(secs => \(seconds))
            ORDER BY position LIMIT 500
            """, logger: runtime.logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }

    /// When the canary (position 0) was sent and how it ended, if it did.
    func canary(_ redriveId: String) async throws -> (state: String, sentAt: Date?)? {
        let rows = try await runtime.database.query("""
            SELECT state, sent_at FROM redrive_items WHERE redrive_id = \(redriveId) AND position = 0
            """, logger: runtime.logger)
        for try await (state, sent) in rows.decode((String, Date?).self) { return (state, sent) }
        return nil
    }

    /// Settles an item; returns false if it was settled before (a duplicate outcome). An
    /// item still `pending` can settle too: its copy went out but the worker died before
    /// recording that, so it counts as sent now.
    func settle(_ redriveId: String, deadLetterId: String, succeeded: Bool, error: String?,
                on connection: PostgresConnection) async throws -> (settled: Bool, position: Int) {
        let current = try await connection.query("""
            SELECT state, position FROM redrive_items WHERE redrive_id = \(redriveId) AND dead_letter_id = \(deadLetterId)
            FOR UPDATE
            """, logger: runtime.logger)
        var found: (String, Int)?
        for try await row in current.decode((String, Int).self) { found = row }
        guard let (before, position) = found, before == "sent" || before == "pending" else { return (false, -1) }
        try await connection.query("""
            UPDATE redrive_items SET state = \(succeeded ? "succeeded" : "failed"), error = \(error), settled_at = now(),
                sent_at = coalesce(sent_at, now())
            WHERE redrive_id = \(redriveId) AND dead_letter_id = \(deadLetterId)
            """, logger: runtime.logger)
        let newlySent = before == "pending" ? 1 : 0
        try await connection.query("""
            UPDATE redrives SET \(unescaped: succeeded ? "succeeded = succeeded + 1" : "failed = failed + 1"),
                sent = sent + \(newlySent), updated_at = now() WHERE id = \(redriveId)
            """, logger: runtime.logger)
        return (true, position)
    }

    func setState(_ redriveId: String, _ state: String, reason: String? = nil, on connection: PostgresConnection) async throws {
        let finished = state == "completed" || state == "stopped"
        try await connection.query("""
            UPDATE redrives SET state = \(state), stop_reason = coalesce(\(reason), stop_reason), updated_at = now(),
                started_at = CASE WHEN \(state) = 'running' THEN coalesce(started_at, now()) ELSE started_at END,
                finished_at = CASE WHEN \(finished) THEN now() ELSE finished_at END
            WHERE id = \(redriveId)
            """, logger: runtime.logger)
    }

    /// Cancels the items not sent yet; returns their dead-letter ids.
    func cancelPending(_ redriveId: String, on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query("""
            UPDATE redrive_items SET state = 'cancelled', settled_at = now()
            WHERE redrive_id = \(redriveId) AND state = 'pending' RETURNING dead_letter_id
            """, logger: runtime.logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }
}
