import Contracts
import Foundation
import Messaging
import PostgresNIO
import ServiceRuntime
import Storage

/// An incident: one failure cause, with how often and when it was seen.
public struct Incident: Codable, Sendable, Hashable {
    public var id: String
    public var fingerprint: String
    public var title: String
    public var service: String
    public var messageType: String?
    public var errorType: String
    public var sampleError: String
    public var state: String
    public var count: Int
    public var firstSeen: Date
    public var lastSeen: Date
}

/// A stored failure, as listed over HTTP.
public struct StoredFailure: Codable, Sendable, Hashable {
    public var id: String
    public var kind: String
    public var queue: String
    public var service: String
    public var messageId: String?
    public var messageType: String?
    public var jobId: String?
    public var errorType: String
    public var errorText: String
    public var attempts: Int
    public var incidentId: String?
    public var receivedAt: Date
}

/// Incident's tables (schema `incident`).
struct IncidentRepository {
    let runtime: RuntimeContext

    static let migrations = MigrationSet(component: "incident", migrations: [
        Migration(1, "dead letters and incidents", [
            """
            CREATE TABLE incidents (
                id           text PRIMARY KEY,
                fingerprint  text NOT NULL,
                title        text NOT NULL,
                service      text NOT NULL,
                message_type text,
                error_type   text NOT NULL,
                sample_error text NOT NULL,
                state        text NOT NULL DEFAULT 'open',
                count        integer NOT NULL DEFAULT 1,
                first_seen   timestamptz NOT NULL DEFAULT now(),
                last_seen    timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE UNIQUE INDEX incidents_open_fingerprint ON incidents (fingerprint) WHERE state = 'open'",
            """
            CREATE TABLE dead_letters (
                id             text PRIMARY KEY,
                kind           text NOT NULL,
                queue          text NOT NULL,
                service        text NOT NULL,
                message_id     text,
                message_type   text,
                job_id         text,
                correlation_id text,
                error_type     text NOT NULL,
                error_text     text NOT NULL,
                attempts       integer NOT NULL,
                headers        jsonb NOT NULL,
                body           bytea NOT NULL,
                fingerprint    text NOT NULL,
                incident_id    text REFERENCES incidents (id),
                first_failure  text,
                last_failure   text,
                received_at    timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX dead_letters_job ON dead_letters (job_id)",
            "CREATE INDEX dead_letters_incident ON dead_letters (incident_id)",
        ]),
    ])

    /// Stores the failure; false if this exact failure was stored before.
    func insert(_ f: Failure, on connection: PostgresConnection) async throws -> Bool {
        let headers = String(decoding: try JSONCoding.encode(f.headers.mapValues(PlainHeader.init)), as: UTF8.self)
        let rows = try await connection.query("""
            INSERT INTO dead_letters (id, kind, queue, service, message_id, message_type, job_id, correlation_id,
                error_type, error_text, attempts, headers, body, fingerprint, first_failure, last_failure)
            VALUES (\(f.id), \(f.kind), \(f.queue), \(f.service), \(f.messageId), \(f.messageType), \(f.jobId),
                \(f.correlationId), \(f.errorType), \(f.errorText), \(f.attempts), \(headers)::jsonb,
                \(ByteBuffer(bytes: f.body)), \(f.fingerprint), \(f.firstFailure), \(f.lastFailure))
            ON CONFLICT (id) DO NOTHING RETURNING 1
            """, logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    /// Counts the failure on the open incident with its fingerprint, or opens one (atomic
    /// upsert on the partial unique index, so concurrent replicas never open two).
    func fileUnderIncident(_ f: Failure, title: String, on connection: PostgresConnection) async throws -> (String, Bool) {
        let id = "inc-" + MessageID.hash(f.fingerprint, f.id)
        let rows = try await connection.query("""
            INSERT INTO incidents (id, fingerprint, title, service, message_type, error_type, sample_error)
            VALUES (\(id), \(f.fingerprint), \(title), \(f.service), \(f.messageType), \(f.errorType), \(f.errorText))
            ON CONFLICT (fingerprint) WHERE state = 'open'
            DO UPDATE SET count = incidents.count + 1, last_seen = now()
            RETURNING id, (xmax = 0) AS inserted
            """, logger: runtime.logger)
        for try await (incident, inserted) in rows.decode((String, Bool).self) { return (incident, inserted) }
        throw SluiceError.transient("incident.upsert-failed", "incident upsert returned no row")
    }

    func link(failureId: String, incidentId: String, on connection: PostgresConnection) async throws {
        try await connection.query("UPDATE dead_letters SET incident_id = \(incidentId) WHERE id = \(failureId)",
                                   logger: runtime.logger)
    }

    func incidents(state: String?) async throws -> [Incident] {
        let rows = try await runtime.database.client.query("""
            SELECT id, fingerprint, title, service, message_type, error_type, sample_error, state, count, first_seen, last_seen
            FROM incidents WHERE \(state)::text IS NULL OR state = \(state) ORDER BY last_seen DESC LIMIT 500
            """, logger: runtime.logger)
        var result: [Incident] = []
        for try await r in rows.decode((String, String, String, String, String?, String, String, String, Int, Date, Date).self) {
            result.append(Incident(id: r.0, fingerprint: r.1, title: r.2, service: r.3, messageType: r.4, errorType: r.5,
                                   sampleError: r.6, state: r.7, count: r.8, firstSeen: r.9, lastSeen: r.10))
        }
        return result
    }

    func failures(incidentId: String?, jobId: String?, limit: Int) async throws -> [StoredFailure] {
        let rows = try await runtime.database.client.query("""
            SELECT id, kind, queue, service, message_id, message_type, job_id, error_type, error_text, attempts,
                incident_id, received_at
            FROM dead_letters
            WHERE (\(incidentId)::text IS NULL OR incident_id = \(incidentId)) AND (\(jobId)::text IS NULL OR job_id = \(jobId))
            ORDER BY received_at DESC LIMIT \(limit)
            """, logger: runtime.logger)
        var result: [StoredFailure] = []
        for try await r in rows.decode((String, String, String, String, String?, String?, String?, String, String, Int, String?, Date).self) {
            result.append(StoredFailure(id: r.0, kind: r.1, queue: r.2, service: r.3, messageId: r.4, messageType: r.5,
                                        jobId: r.6, errorType: r.7, errorText: r.8, attempts: r.9, incidentId: r.10,
                                        receivedAt: r.11))
        }
        return result
    }
}
