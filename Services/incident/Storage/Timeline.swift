import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// An incident's timeline (`incident_events`) and the operators' audit log (`audit_log`).
struct Timeline {
    let runtime: RuntimeContext

    /// Occurrences closer together than this share one timeline entry (with a count), so a
    /// flood of failures does not bury the rest of the timeline.
    static let occurrenceWindowSeconds = 60

    /// Adds an entry; returns its sequence number (used to give the event it causes a stable id).
    @discardableResult
    func add(_ incidentId: String, _ kind: String, actor: String, _ detail: [String: String] = [:],
             on connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query("""
            INSERT INTO incident_events (incident_id, kind, actor, detail)
            VALUES (\(incidentId), \(kind), \(actor), \(try Self.json(detail))::jsonb) RETURNING seq
            """, logger: runtime.logger)
        for try await seq in rows.decode(Int64.self) { return seq }
        return 0
    }

    /// Counts one more occurrence: extends the latest `occurrences` entry if it is recent,
    /// else starts a new one.
    func occurrence(_ incidentId: String, failureId: String, on connection: PostgresConnection) async throws {
        let window = "\(Self.occurrenceWindowSeconds) seconds"
        let extended = try await connection.query("""
            UPDATE incident_events
            SET last_at = now(),
                detail = jsonb_set(detail, '{count}', to_jsonb(((detail->>'count')::int + 1)::text))
                    || jsonb_build_object('last', \(failureId)::text)
            WHERE seq = (SELECT max(seq) FROM incident_events WHERE incident_id = \(incidentId))
              AND kind = 'occurrences' AND last_at > now() - \(window)::interval
            RETURNING 1
            """, logger: runtime.logger)
        for try await _ in extended { return }
        try await add(incidentId, "occurrences", actor: "system", ["count": "1", "first": failureId, "last": failureId],
                      on: connection)
    }

    func events(_ incidentId: String) async throws -> [TimelineEvent] {
        let rows = try await runtime.database.query("""
            SELECT at, last_at, kind, actor, detail::text FROM incident_events WHERE incident_id = \(incidentId)
            ORDER BY seq LIMIT 5000
            """, logger: runtime.logger)
        var result: [TimelineEvent] = []
        for try await (at, last, kind, actor, detail) in rows.decode((Date, Date, String, String, String).self) {
            result.append(TimelineEvent(at: at, lastAt: last, kind: kind, actor: actor, detail: Self.dictionary(detail)))
        }
        return result
    }

    /// Records an operator action.
    func audit(actor: String, action: String, target: String, _ detail: [String: String] = [:],
               on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO audit_log (actor, action, target, detail) VALUES (\(actor), \(action), \(target), \(try Self.json(detail))::jsonb)
            """, logger: runtime.logger)
    }

    func auditLog(target: String?, limit: Int) async throws -> [AuditEntry] {
        let rows = try await runtime.database.query("""
            SELECT at, actor, action, target, detail::text FROM audit_log
            WHERE \(target)::text IS NULL OR target = \(target) ORDER BY seq DESC LIMIT \(limit)
            """, logger: runtime.logger)
        var result: [AuditEntry] = []
        for try await (at, actor, action, target, detail) in rows.decode((Date, String, String, String, String).self) {
            result.append(AuditEntry(at: at, actor: actor, action: action, target: target, detail: Self.dictionary(detail)))
        }
        return result
    }

    static func json(_ detail: [String: String]) throws -> String {
        String(decoding: try JSONCoding.encode(detail), as: UTF8.self)
    }

    static func dictionary(_ json: String) -> [String: String] {
        (try? JSONCoding.decode([String: String].self, from: Array(json.utf8))) ?? [:]
    }
}
