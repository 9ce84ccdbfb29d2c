import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// The leader's watch for schedules that stopped firing: an enabled schedule that let two of
/// its fire times in a row pass without submitting a job (since its last fire, or since it was
/// made, edited or resumed) sends `schedule.overdue` once for that stretch, and the incident
/// service opens an incident. Its next fire clears it.
struct OverdueWatch {
    let runtime: RuntimeContext

    /// How late a fire may be before it counts as not fired (beyond its jitter).
    static let grace: TimeInterval = 60

    /// The fire times of a schedule that passed without a job since `reference`, up to `now`
    /// less the grace and the jitter: a plain rule, tested directly.
    static func missed(cron: CronExpression, zone: TimeZone, since reference: Date, now: Date, jitterSeconds: Int,
                       endAt: Date?) -> [Date] {
        let until = now.addingTimeInterval(-grace - Double(jitterSeconds))
        var result: [Date] = []
        var cursor = reference
        while result.count < 10, let next = cron.next(after: cursor, in: zone), next <= until,
              endAt.map({ next <= $0 }) ?? true {
            result.append(next)
            cursor = next
        }
        return result
    }

    /// Checks every enabled schedule; returns the names newly found overdue. It reads without
    /// row locks, so a tick never skips a schedule because of it; two leaders for a moment
    /// would send the same message id, which consumers drop.
    func check(now: Date) async throws -> [String] {
        try await runtime.transaction { connection, emitter in
            let rows = try await connection.query("""
                SELECT s.id, s.name, s.cron, s.zone, s.project, s.jitter_s, s.end_at, s.overdue_since,
                       GREATEST(s.armed_at, s.start_at - interval '1 second'),
                       (SELECT max(f.fire_time) FROM fires f WHERE f.schedule_id = s.id AND f.outcome IN ('fired', 'buffered'))
                FROM schedules s WHERE s.enabled AND s.next_fire_at IS NOT NULL
                """, logger: runtime.logger)
            var found: [(ScheduleOverdue, Date)] = []
            for try await r in rows.decode((String, String, String, String, String?, Int, Date?, Date?, Date, Date?).self) {
                let (id, name, cronText, zoneName, project, jitter, endAt, reported, armed, lastFired) = r
                let reference = max(armed, lastFired ?? armed)
                guard reported != reference, let cron = try? CronExpression(cronText),
                      let zone = TimeZone(identifier: zoneName) else { continue }
                let missed = Self.missed(cron: cron, zone: zone, since: reference, now: now, jitterSeconds: jitter, endAt: endAt)
                guard missed.count >= 2 else { continue }
                let stamp = ISO8601DateFormatter()
                let since = lastFired.map { "since its fire of \(stamp.string(from: $0))" } ?? "since it was set up or resumed"
                let reason = "schedule \(name) has not submitted a job \(since): its fire times "
                    + missed.prefix(3).map { stamp.string(from: $0) }.joined(separator: ", ")
                    + (missed.count > 3 ? " and later ones" : "")
                    + " passed without one (see its history: the scheduler was down or behind, or its catch-up or overlap policy let them go, "
                    + "perhaps behind a run that has not ended, such as a batch waiting on a stalled job)"
                found.append((ScheduleOverdue(scheduleId: id, name: name, project: project, cron: cronText, zone: zoneName,
                                              lastFiredAt: lastFired, missedFires: missed, reason: reason), reference))
            }
            for (overdue, reference) in found {
                try await connection.query("UPDATE schedules SET overdue_since = \(reference) WHERE id = \(overdue.scheduleId)",
                                           logger: runtime.logger)
                let stamp = Int64(reference.timeIntervalSince1970)
                try emitter.emit(Envelope(id: "schedule/\(overdue.scheduleId)/overdue/\(stamp)", jobId: nil,
                                          correlationId: "schedule/\(overdue.scheduleId)", causationId: nil,
                                          producer: "scheduler", project: overdue.project, payload: overdue))
                runtime.logger.warning("schedule overdue", metadata: ["schedule": "\(overdue.name)", "reason": "\(overdue.reason)"])
            }
            return found.map(\.0.name)
        }
    }
}
