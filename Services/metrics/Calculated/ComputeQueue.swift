import Aggregation
import Contracts
import Foundation
import PostgresNIO
import Runtime
import ServiceLifecycle

/// Scheduled computations (`metrics.compute`) wait in `compute_requests` and run in this
/// loop, one metric at a time, outside any message's transaction: a computation may take up
/// to `metrics.compute.timeout.s` per metric (30 minutes), far longer than a handler or a
/// database transaction may last. The handler only records the request, so the message is
/// acked at once and a redelivery records nothing new. A request whose replica died is taken
/// over once its claim is older than the timeout (each finished metric renews the claim).
struct ComputeQueue: Sendable {
    let runtime: RuntimeContext
    let timeout: Duration
    /// How often to look for requests.
    var every: Duration = .seconds(1)

    static let schema = [
        """
        CREATE TABLE compute_requests (
            id           text PRIMARY KEY,
            names        jsonb,
            before       timestamptz NOT NULL,
            requested_by text,
            claimed_at   timestamptz,
            done_at      timestamptz,
            created_at   timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX compute_requests_pending ON compute_requests (created_at) WHERE done_at IS NULL",
    ]

    /// Records a request in the handler's transaction (a repeated message records nothing).
    static func enqueue(_ envelope: Envelope<MetricsCompute>, on connection: PostgresConnection, logger: Logger) async throws {
        let request = envelope.payload
        let names = try request.names.map { String(decoding: try JSONCoding.encode($0), as: UTF8.self) }
        try await connection.query("""
            INSERT INTO compute_requests (id, names, before, requested_by)
            VALUES (\(envelope.id), \(names)::jsonb, \(request.before), \(request.requestedBy)) ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    func loop() -> LoopService {
        LoopService {
            try await runtime.waitUntilReady()
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    while try await runNext() {}
                } catch is CancellationError {
                    return
                } catch {
                    runtime.logger.warning("metric computation requests: a round failed", metadata: ["error": "\(error)"])
                }
                await sleepUnlessShuttingDown(for: every)
            }
        }
    }

    /// Claims and runs the oldest waiting request; false when there is none.
    func runNext() async throws -> Bool {
        let stale = Int(timeout.components.seconds) + 60
        let rows = try await runtime.database.query("""
            UPDATE compute_requests SET claimed_at = now()
            WHERE id = (SELECT id FROM compute_requests
                        WHERE done_at IS NULL AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => \(stale)))
                        ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id, names::text, before, requested_by
            """, logger: runtime.logger)
        var claimed: (id: String, names: String?, before: Date, by: String?)?
        for try await (id, names, before, by) in rows.decode((String, String?, Date, String?).self) { claimed = (id, names, before, by) }
        guard let request = claimed else { return false }
        let names = try request.names.map { try JSONCoding.decode([String].self, from: Array($0.utf8)) } ?? []
        let computation = MetricComputation(runtime: runtime, timeout: timeout)
        for definition in try await MetricStore(runtime: runtime).definitions() where names.isEmpty || names.contains(definition.name) {
            // The period of the metric that ends at (or holds the moment before) the fire.
            let period = MetricPeriods.containing(request.before.addingTimeInterval(-1), definition.period,
                                                  zone: TimeZone(identifier: definition.zone ?? "UTC") ?? .gmt)
            _ = await computation.run([(definition, [period])], requestedBy: request.by, cause: request.id)
            try await runtime.database.query("UPDATE compute_requests SET claimed_at = now() WHERE id = \(request.id)",
                                             logger: runtime.logger)
        }
        try await runtime.database.query("UPDATE compute_requests SET done_at = now() WHERE id = \(request.id)",
                                         logger: runtime.logger)
        return true
    }

    /// Forgets requests done before `cutoff` (the cleanup action).
    func purge(doneBefore cutoff: Date) async throws {
        try await runtime.database.query("DELETE FROM compute_requests WHERE done_at < \(cutoff)", logger: runtime.logger)
    }
}
