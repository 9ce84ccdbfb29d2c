import APIModels
import Foundation
import PostgresNIO
import Runtime

/// The scheduler's replicas (table `replicas`, one heartbeat row each) and the state `/health`
/// shows.
struct SchedulerStateRepository {
    let runtime: RuntimeContext

    func heartbeat(_ replica: SchedulerReplica) async throws {
        try await runtime.database.query("""
            INSERT INTO replicas (id, host, pid, started_at, seen_at)
            VALUES (\(replica.id), \(replica.host), \(replica.pid), \(replica.startedAt), now())
            ON CONFLICT (id) DO UPDATE SET seen_at = now()
            """, logger: runtime.logger)
        // Rows of replicas gone for a day are of no more use.
        try await runtime.database.query("DELETE FROM replicas WHERE seen_at < now() - interval '1 day'",
                                         logger: runtime.logger)
    }

    func remove(_ replica: SchedulerReplica) async throws {
        try await runtime.database.query("DELETE FROM replicas WHERE id = \(replica.id)", logger: runtime.logger)
    }

    /// Replicas seen within ``SchedulerReplica/liveFor``, oldest first.
    func live() async throws -> [SchedulerHealth.Replica] {
        let rows = try await runtime.database.query("""
            SELECT id, host, pid, started_at, seen_at FROM replicas
            WHERE seen_at > now() - make_interval(secs => \(SchedulerReplica.liveFor)) ORDER BY started_at, id
            """, logger: runtime.logger)
        var result: [SchedulerHealth.Replica] = []
        for try await (id, host, pid, started, seen) in rows.decode((String, String, Int, Date, Date).self) {
            result.append(SchedulerHealth.Replica(id: id, host: host, pid: pid, startedAt: started, seenAt: seen))
        }
        return result
    }

    /// The state as `replica` sees it.
    func health(of replica: SchedulerReplica) async throws -> SchedulerHealth {
        let live = try await live()
        var counts = (all: 0, enabled: 0)
        for try await (all, enabled) in try await runtime.database.query(
            "SELECT count(*)::int, (count(*) FILTER (WHERE enabled))::int FROM schedules", logger: runtime.logger)
            .decode((Int, Int).self) {
            counts = (all, enabled)
        }
        var next: (String, Date)?
        for try await row in try await runtime.database.query("""
            SELECT name, next_fire_at FROM schedules WHERE enabled AND next_fire_at IS NOT NULL
            ORDER BY next_fire_at LIMIT 1
            """, logger: runtime.logger).decode((String, Date).self) {
            next = row
        }
        var last: SchedulerHealth.LastFire?
        for try await (name, time, outcome, run, state, kind) in try await runtime.database.query("""
            SELECT s.name, f.fire_time, f.outcome, f.job_id, r.state, r.kind
            FROM fires f JOIN schedules s ON s.id = f.schedule_id LEFT JOIN runs r ON r.job_id = f.job_id
            ORDER BY f.fired_at DESC, f.fire_time DESC LIMIT 1
            """, logger: runtime.logger).decode((String, Date, String, String?, String?, String?).self) {
            let batch = kind == "batch"
            last = SchedulerHealth.LastFire(schedule: name, scheduledAt: time, outcome: outcome, jobId: batch ? nil : run,
                                            batchId: batch ? run : nil, state: state)
        }
        var overdue: [String] = []
        for try await name in try await runtime.database.query("""
            SELECT name FROM schedules s WHERE enabled AND overdue_since IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM fires f WHERE f.schedule_id = s.id AND f.outcome IN ('fired', 'buffered')
                  AND f.fire_time > s.overdue_since)
            ORDER BY name
            """, logger: runtime.logger).decode(String.self) {
            overdue.append(name)
        }
        return SchedulerHealth(state: await replica.state, replica: replica.id, leader: SchedulerReplica.leader(of: live)?.id,
                               replicas: live, schedules: counts.all, enabled: counts.enabled, nextSchedule: next?.0,
                               nextFireAt: next?.1, lastFire: last, overdue: overdue)
    }
}
