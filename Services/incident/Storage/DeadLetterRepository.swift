import APIModels
import Contracts
import Foundation
import Messaging
import PostgresNIO
import Runtime

/// Stored failures (`dead_letters`): every dead letter and failed job, searchable.
struct DeadLetterRepository {
    let runtime: RuntimeContext

    /// Stores the failure; false if this exact failure was stored before (a redelivery).
    func insert(_ f: Failure, on connection: PostgresConnection) async throws -> Bool {
        let headers = String(decoding: try JSONCoding.encode(f.headers.mapValues(PlainHeader.init)), as: UTF8.self)
        let state = f.kind == "dead-letter" ? "pending" : "recorded"
        let rows = try await connection.query("""
            INSERT INTO dead_letters (id, kind, queue, service, message_id, message_type, job_id, correlation_id,
                error_type, error_text, attempts, headers, body, fingerprint, first_failure, last_failure, state,
                properties, target_queue, original_exchange, original_routing_key, error_context, redrive_count,
                redrive_id, redriven_from)
            VALUES (\(f.id), \(f.kind), \(f.queue), \(f.service), \(f.messageId), \(f.messageType), \(f.jobId),
                \(f.correlationId), \(f.errorType), \(f.errorText), \(f.attempts), \(headers)::jsonb,
                \(ByteBuffer(bytes: f.body)), \(f.fingerprint), \(f.firstFailure), \(f.lastFailure), \(state),
                \(f.properties.map { ByteBuffer(bytes: $0) }), \(f.targetQueue), \(f.originalExchange),
                \(f.originalRoutingKey), \(f.errorContext), \(f.redriveCount), \(f.redriveId), \(f.redrivenFrom))
            ON CONFLICT (id) DO NOTHING RETURNING 1
            """, logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    func link(failureId: String, incidentId: String, on connection: PostgresConnection) async throws {
        try await connection.query("UPDATE dead_letters SET incident_id = \(incidentId) WHERE id = \(failureId)",
                                   logger: runtime.logger)
    }

    static let columns = """
        id, kind, queue, service, message_id, message_type, job_id, correlation_id, error_type, error_text, attempts,
        incident_id, state, state_reason, redrive_count, received_at
        """

    static func decode(_ row: PostgresRow) throws -> StoredFailure {
        let r = row.makeRandomAccess()
        return StoredFailure(
            id: try r["id"].decode(String.self), kind: try r["kind"].decode(String.self),
            queue: try r["queue"].decode(String.self), service: try r["service"].decode(String.self),
            messageId: try r["message_id"].decode(String?.self), messageType: try r["message_type"].decode(String?.self),
            jobId: try r["job_id"].decode(String?.self), correlationId: try r["correlation_id"].decode(String?.self),
            errorType: try r["error_type"].decode(String.self), errorText: try r["error_text"].decode(String.self),
            attempts: try r["attempts"].decode(Int.self), incidentId: try r["incident_id"].decode(String?.self),
            state: try r["state"].decode(String.self), stateReason: try r["state_reason"].decode(String?.self),
            redriveCount: try r["redrive_count"].decode(Int.self), receivedAt: try r["received_at"].decode(Date.self))
    }

    /// Failures matching every given filter field, newest first.
    func search(_ f: DeadLetterFilter) async throws -> [StoredFailure] {
        let text = f.errorText.map { "%\($0)%" }
        let headerName = f.header?.name
        let headerValue = f.header?.value
        let rows = try await runtime.database.query("""
            SELECT \(unescaped: Self.columns) FROM dead_letters
            WHERE (\(f.incidentId)::text IS NULL OR incident_id = \(f.incidentId))
              AND (\(f.jobId)::text IS NULL OR job_id = \(f.jobId))
              AND (\(f.correlationId)::text IS NULL OR correlation_id = \(f.correlationId))
              AND (\(f.service)::text IS NULL OR service = \(f.service))
              AND (\(f.messageType)::text IS NULL OR message_type = \(f.messageType))
              AND (\(f.errorType)::text IS NULL OR error_type = \(f.errorType))
              AND (\(text)::text IS NULL OR error_text ILIKE \(text))
              AND (\(f.state)::text IS NULL OR state = \(f.state))
              AND (\(f.since)::timestamptz IS NULL OR received_at >= \(f.since))
              AND (\(f.until)::timestamptz IS NULL OR received_at < \(f.until))
              AND (\(headerName)::text IS NULL OR headers ->> \(headerName) = \(headerValue))
            ORDER BY received_at DESC, id LIMIT \(f.limit)
            """, logger: runtime.logger)
        var result: [StoredFailure] = []
        for try await row in rows { result.append(try Self.decode(row)) }
        return result
    }

    func get(_ id: String, on connection: PostgresConnection) async throws -> StoredFailure? {
        let rows = try await connection.query("SELECT \(unescaped: Self.columns) FROM dead_letters WHERE id = \(id)",
                                              logger: runtime.logger)
        for try await row in rows { return try Self.decode(row) }
        return nil
    }

    /// One failure with its headers and body.
    func detail(_ id: String) async throws -> DeadLetterDetail? {
        let rows = try await runtime.database.query("""
            SELECT \(unescaped: Self.columns), original_exchange, original_routing_key, target_queue, error_context,
                first_failure, last_failure, headers::text AS headers_text, body
            FROM dead_letters WHERE id = \(id)
            """, logger: runtime.logger)
        for try await row in rows {
            let r = row.makeRandomAccess()
            let body = try r["body"].decode(ByteBuffer.self)
            let headers = (try? JSONSerialization.jsonObject(with: Data(try r["headers_text"].decode(String.self).utf8)))
                as? [String: Any] ?? [:]
            return DeadLetterDetail(
                failure: try Self.decode(row), originalExchange: try r["original_exchange"].decode(String?.self),
                originalRoutingKey: try r["original_routing_key"].decode(String?.self),
                targetQueue: try r["target_queue"].decode(String?.self), errorContext: try r["error_context"].decode(String?.self),
                firstFailure: try r["first_failure"].decode(String?.self), lastFailure: try r["last_failure"].decode(String?.self),
                headers: headers.mapValues(Self.text), body: String(decoding: body.readableBytesView, as: UTF8.self),
                bodyBytes: body.readableBytes)
        }
        return nil
    }

    private static func text(_ value: Any) -> String {
        if let string = value as? String { return string }
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(value)"
    }

    /// Sets the state of failures (only those currently in one of `from`); returns the ids changed.
    func setState(_ ids: [String], to state: String, reason: String?, from: [String],
                  on connection: PostgresConnection) async throws -> [String] {
        guard !ids.isEmpty else { return [] }
        let rows = try await connection.query("""
            UPDATE dead_letters SET state = \(state), state_reason = \(reason)
            WHERE id = ANY(\(ids)) AND state = ANY(\(from)) RETURNING id
            """, logger: runtime.logger)
        var changed: [String] = []
        for try await id in rows.decode(String.self) { changed.append(id) }
        return changed
    }

    /// Of `jobIds`: those a failure of an unresolved incident refers to (their intermediate
    /// chunks must stay, a re-drive needs them), and those any recorded failure refers to (a
    /// failed job not among them has a `job.failed` not recorded yet). Chunk retention asks.
    func heldJobs(_ jobIds: [String]) async throws -> HeldJobs {
        guard !jobIds.isEmpty else { return HeldJobs(held: [], recorded: []) }
        let rows = try await runtime.database.query("""
            SELECT d.job_id, COALESCE(bool_or(i.state NOT IN ('resolved', 'archived')), false)
            FROM dead_letters d LEFT JOIN incidents i ON i.id = d.incident_id
            WHERE d.job_id = ANY(\(jobIds)) GROUP BY d.job_id ORDER BY d.job_id
            """, logger: runtime.logger)
        var answer = HeldJobs(held: [], recorded: [])
        for try await (id, held) in rows.decode((String, Bool).self) {
            answer.recorded?.append(id)
            if held { answer.held.append(id) }
        }
        return answer
    }

    /// How many of an incident's failures are in each state.
    func stateCounts(incidentId: String) async throws -> [String: Int] {
        let rows = try await runtime.database.query("""
            SELECT state, count(*)::int FROM dead_letters WHERE incident_id = \(incidentId) GROUP BY state
            """, logger: runtime.logger)
        var counts: [String: Int] = [:]
        for try await (state, count) in rows.decode((String, Int).self) { counts[state] = count }
        return counts
    }

    /// The incident's failures still waiting for an operator (`pending` or being re-driven).
    func unsettled(incidentId: String, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query("""
            SELECT count(*)::int FROM dead_letters
            WHERE incident_id = \(incidentId) AND state IN ('pending', 'redriving')
            """, logger: runtime.logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
