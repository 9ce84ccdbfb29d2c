import Contracts
import Foundation
import PostgresNIO
import Runtime
import Storage

/// One webhook delivery attempt.
struct DeliveryRecord: Codable, Sendable {
    var messageId: String
    var jobId: String
    var event: String
    var url: String
    var status: String
    var httpStatus: Int?
    var error: String?
    var attempts: Int
}

/// Notify's tables (schema `notify`).
struct NotifyRepository {
    let runtime: RuntimeContext

    static let migrations = MigrationSet(component: "notify", migrations: [
        Migration(1, "webhook deliveries", [
            """
            CREATE TABLE deliveries (
                message_id  text NOT NULL,
                url         text NOT NULL,
                job_id      text NOT NULL,
                event       text NOT NULL,
                status      text NOT NULL,
                http_status integer,
                error       text,
                attempts    integer NOT NULL DEFAULT 1,
                updated_at  timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (message_id, url)
            )
            """,
            "CREATE INDEX deliveries_job ON deliveries (job_id)",
        ]),
        Migration(2, "a delivery is claimed while it is being sent", [
            "ALTER TABLE deliveries ADD COLUMN claimed_until timestamptz",
        ]),
    ])

    /// What a claim found.
    enum Claim { case mine, delivered, busy }

    /// Claims the delivery of `messageId` to `url` for `hold`: a second copy of the message
    /// (a relay's re-send, a redelivery) arriving while the first is still sending must not
    /// send it again. A claim older than `hold` (its sender died) can be taken over.
    func claim(messageId: String, url: String, jobId: String, event: String, hold: Duration) async throws -> Claim {
        let seconds = hold / .seconds(1)
        let rows = try await runtime.database.query("""
            INSERT INTO deliveries (message_id, url, job_id, event, status, attempts, claimed_until)
            VALUES (\(messageId), \(url), \(jobId), \(event), 'sending', 0, now() + make_interval(secs => \(seconds)))
            ON CONFLICT (message_id, url) DO UPDATE SET status = 'sending', claimed_until = EXCLUDED.claimed_until,
                updated_at = now()
            WHERE deliveries.status <> 'delivered'
              AND (deliveries.status <> 'sending' OR deliveries.claimed_until IS NULL OR deliveries.claimed_until < now())
            RETURNING 1
            """, logger: runtime.logger)
        for try await _ in rows { return .mine }
        return try await wasDelivered(messageId: messageId, url: url) ? .delivered : .busy
    }

    /// ``claim(messageId:url:jobId:event:hold:)``, waiting while another copy holds it (it
    /// delivers, fails or its claim runs out within `hold`): a duplicate spends no retry
    /// attempt, so it can never be dead-lettered for being a duplicate.
    func claimWaiting(messageId: String, url: String, jobId: String, event: String, hold: Duration) async throws -> Claim {
        let deadline = ContinuousClock.now + hold + .seconds(5)
        while true {
            let claim = try await claim(messageId: messageId, url: url, jobId: jobId, event: event, hold: hold)
            if claim != .busy || ContinuousClock.now >= deadline { return claim }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    func wasDelivered(messageId: String, url: String) async throws -> Bool {
        let rows = try await runtime.database.query("""
            SELECT 1 FROM deliveries WHERE message_id = \(messageId) AND url = \(url) AND status = 'delivered'
            """, logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    func record(messageId: String, jobId: String, event: String, url: String, status: String,
                httpStatus: Int?, error: String?) async throws {
        try await runtime.database.query("""
            INSERT INTO deliveries (message_id, url, job_id, event, status, http_status, error)
            VALUES (\(messageId), \(url), \(jobId), \(event), \(status), \(httpStatus), \(error))
            ON CONFLICT (message_id, url) DO UPDATE SET status = EXCLUDED.status, http_status = EXCLUDED.http_status,
                error = EXCLUDED.error, attempts = deliveries.attempts + 1, claimed_until = NULL, updated_at = now()
            """, logger: runtime.logger)
    }

    func deliveries(jobId: String?) async throws -> [DeliveryRecord] {
        let rows = try await runtime.database.query("""
            SELECT message_id, job_id, event, url, status, http_status, error, attempts FROM deliveries
            WHERE \(jobId)::text IS NULL OR job_id = \(jobId) ORDER BY updated_at DESC LIMIT 500
            """, logger: runtime.logger)
        var result: [DeliveryRecord] = []
        for try await r in rows.decode((String, String, String, String, String, Int?, String?, Int).self) {
            result.append(DeliveryRecord(messageId: r.0, jobId: r.1, event: r.2, url: r.3, status: r.4,
                                         httpStatus: r.5, error: r.6, attempts: r.7))
        }
        return result
    }
}
