import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// Incidents (schema `incident`): filing failures under them, reading and changing them.
struct IncidentRepository {
    let runtime: RuntimeContext

    /// How a failure was filed.
    struct Filing: Sendable {
        enum Outcome: String, Sendable { case opened, joined, reopened }
        var incidentId: String
        var outcome: Outcome
        var count: Int
        var alertedThreshold: Int
        var reopened: Int
    }

    /// Files `f` under an incident, atomically: it joins the open (or in-progress) incident
    /// with its fingerprint; else it reopens the latest resolved one (the cause came back);
    /// else it opens a new one. Concurrent replicas never open two: the active fingerprint is
    /// unique, and the reopen locks the row it reopens.
    func file(_ f: Failure, title: String, on connection: PostgresConnection) async throws -> Filing {
        let joined = try await connection.query("""
            UPDATE incidents SET count = count + 1, last_seen = now(), updated_at = now()
            WHERE fingerprint = \(f.fingerprint) AND state IN ('open', 'in_progress')
            RETURNING id, count, alerted_threshold, reopened
            """, logger: runtime.logger)
        for try await (id, count, alerted, reopened) in joined.decode((String, Int, Int, Int).self) {
            return Filing(incidentId: id, outcome: .joined, count: count, alertedThreshold: alerted, reopened: reopened)
        }
        let reopened = try await connection.query("""
            UPDATE incidents SET state = 'open', count = count + 1, reopened = reopened + 1, last_seen = now(),
                resolved_at = NULL, updated_at = now(), sample_error = \(f.errorText)
            WHERE id = (SELECT id FROM incidents WHERE fingerprint = \(f.fingerprint) AND state = 'resolved'
                        ORDER BY last_seen DESC LIMIT 1 FOR UPDATE)
            RETURNING id, count, alerted_threshold, reopened
            """, logger: runtime.logger)
        for try await (id, count, alerted, times) in reopened.decode((String, Int, Int, Int).self) {
            return Filing(incidentId: id, outcome: .reopened, count: count, alertedThreshold: alerted, reopened: times)
        }
        let id = "inc-" + MessageID.hash(f.fingerprint, f.id)
        let inserted = try await connection.query("""
            INSERT INTO incidents (id, fingerprint, title, default_title, service, message_type, error_type, sample_error)
            VALUES (\(id), \(f.fingerprint), \(title), \(title), \(f.service), \(f.messageType), \(f.errorType), \(f.errorText))
            ON CONFLICT (fingerprint) WHERE state IN ('open', 'in_progress')
            DO UPDATE SET count = incidents.count + 1, last_seen = now(), updated_at = now()
            RETURNING id, (xmax = 0) AS inserted, count, alerted_threshold, reopened
            """, logger: runtime.logger)
        for try await (incident, isNew, count, alerted, times) in inserted.decode((String, Bool, Int, Int, Int).self) {
            return Filing(incidentId: incident, outcome: isNew ? .opened : .joined, count: count,
                          alertedThreshold: alerted, reopened: times)
        }
        throw SluiceError.transient("incident.upsert-failed", "incident upsert returned no row")
    }

    /// Sets what the matching known-error rule says (or clears it when no rule matches).
    func apply(rule: KnownErrorRule?, to incidentId: String, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE incidents SET rule_id = \(rule?.id), rule_version = \(rule?.version),
                severity = coalesce(\(rule?.severity), 'medium'), title = coalesce(\(rule?.title), default_title),
                rule_root_cause = \(rule?.rootCause), rule_action = \(rule?.action), runbook = \(rule?.runbook),
                updated_at = now()
            WHERE id = \(incidentId)
            """, logger: runtime.logger)
    }

    func markAlerted(_ incidentId: String, threshold: Int, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE incidents SET alerted_threshold = \(threshold) WHERE id = \(incidentId) AND alerted_threshold < \(threshold)
            """, logger: runtime.logger)
    }

    static let columns = """
        id, fingerprint, title, service, message_type, error_type, sample_error, state, severity, count, first_seen,
        last_seen, rule_id, coalesce(root_cause, rule_root_cause) AS root_cause,
        coalesce(corrective_action, rule_action) AS corrective_action, runbook, assignee, impact, reopened, redrives,
        redriven, redrive_succeeded, redrive_failed, resolved_at, archived_at
        """

    static func decode(_ row: PostgresRow) throws -> Incident {
        let r = row.makeRandomAccess()
        return Incident(
            id: try r["id"].decode(String.self), fingerprint: try r["fingerprint"].decode(String.self),
            title: try r["title"].decode(String.self), service: try r["service"].decode(String.self),
            messageType: try r["message_type"].decode(String?.self), errorType: try r["error_type"].decode(String.self),
            sampleError: try r["sample_error"].decode(String.self), state: try r["state"].decode(String.self),
            severity: try r["severity"].decode(String.self), count: try r["count"].decode(Int.self),
            firstSeen: try r["first_seen"].decode(Date.self), lastSeen: try r["last_seen"].decode(Date.self),
            ruleId: try r["rule_id"].decode(String?.self), rootCause: try r["root_cause"].decode(String?.self),
            correctiveAction: try r["corrective_action"].decode(String?.self), runbook: try r["runbook"].decode(String?.self),
            assignee: try r["assignee"].decode(String?.self), impact: try r["impact"].decode(String?.self),
            reopened: try r["reopened"].decode(Int.self), redrives: try r["redrives"].decode(Int.self),
            redriven: try r["redriven"].decode(Int.self), redriveSucceeded: try r["redrive_succeeded"].decode(Int.self),
            redriveFailed: try r["redrive_failed"].decode(Int.self), resolvedAt: try r["resolved_at"].decode(Date?.self),
            archivedAt: try r["archived_at"].decode(Date?.self))
    }

    /// One incident; `forUpdate` locks it for the rest of the transaction.
    func get(_ id: String, forUpdate: Bool = false, on connection: PostgresConnection) async throws -> Incident? {
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM incidents WHERE id = \(id) \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """, logger: runtime.logger)
        for try await row in rows { return try Self.decode(row) }
        return nil
    }

    func get(_ id: String) async throws -> Incident? {
        try await runtime.database.transaction { try await get(id, on: $0) }
    }

    /// Incidents, most recently seen first. `text` searches title and sample error.
    func list(state: String?, service: String?, severity: String?, text: String?, limit: Int) async throws -> [Incident] {
        let pattern = text.map { "%\($0)%" }
        let rows = try await runtime.database.query("""
            SELECT \(unescaped: Self.columns) FROM incidents
            WHERE (\(state)::text IS NULL OR state = \(state)) AND (\(service)::text IS NULL OR service = \(service))
              AND (\(severity)::text IS NULL OR severity = \(severity))
              AND (\(pattern)::text IS NULL OR title ILIKE \(pattern) OR sample_error ILIKE \(pattern))
            ORDER BY last_seen DESC LIMIT \(limit)
            """, logger: runtime.logger)
        var result: [Incident] = []
        for try await row in rows { result.append(try Self.decode(row)) }
        return result
    }

    /// Incidents that are not archived (the ones a rule change re-matches).
    func unarchived(on connection: PostgresConnection) async throws -> [(Incident, ruleVersion: Int?)] {
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.columns), rule_version FROM incidents WHERE state <> 'archived' ORDER BY id FOR UPDATE
            """, logger: runtime.logger)
        var result: [(Incident, ruleVersion: Int?)] = []
        for try await row in rows {
            result.append((try Self.decode(row), try row.makeRandomAccess()["rule_version"].decode(Int?.self)))
        }
        return result
    }
}
