import Contracts
import Foundation
import PostgresNIO
import ServiceRuntime

/// Books the outcomes of re-driven messages: a `redrive.succeeded` receipt, or the copy
/// failing again (it comes back as a new dead letter carrying the re-drive's ids). A failed
/// canary stops its re-drive; a re-drive whose every message is settled completes, and an
/// incident whose re-driven messages all succeeded (with nothing else pending) resolves.
struct RedriveLedger {
    let runtime: RuntimeContext

    func succeeded(_ receipt: RedriveSucceeded, on connection: PostgresConnection, emitter: Emitter) async throws {
        let redrives = RedriveRepository(runtime: runtime)
        let (settled, position) = try await redrives.settle(receipt.redriveId, deadLetterId: receipt.deadLetterId,
                                                            succeeded: true, error: nil, on: connection)
        guard settled else { return }
        _ = try await DeadLetterRepository(runtime: runtime).setState([receipt.deadLetterId], to: "redriven",
            reason: "re-drive \(receipt.redriveId) succeeded in \(receipt.service)", from: ["redriving", "pending"],
            on: connection)
        try await count(deadLetterId: receipt.deadLetterId, column: "redrive_succeeded", on: connection)
        if position == 0, let redrive = try await redrives.get(receipt.redriveId, forUpdate: true, on: connection),
           redrive.state == "canary" {
            try await redrives.setState(redrive.id, "running", on: connection)
            runtime.logger.info("canary succeeded; re-driving the rest", metadata: ["redrive": "\(redrive.id)"])
        }
        try await finishIfDone(receipt.redriveId, on: connection, emitter: emitter)
    }

    /// The re-driven copy of `deadLetterId` failed again (recorded as the dead letter
    /// `supersededBy`), or could not even be sent (`supersededBy` nil: it stays pending).
    func failed(redriveId: String, deadLetterId: String, error: String, supersededBy: String?,
                on connection: PostgresConnection, emitter: Emitter) async throws {
        let redrives = RedriveRepository(runtime: runtime)
        let (settled, position) = try await redrives.settle(redriveId, deadLetterId: deadLetterId, succeeded: false,
                                                            error: error, on: connection)
        guard settled else { return }
        if let newer = supersededBy {
            _ = try await DeadLetterRepository(runtime: runtime).setState([deadLetterId], to: "redrive-failed",
                reason: "failed again as \(newer)", from: ["redriving", "pending"], on: connection)
        } else {
            _ = try await DeadLetterRepository(runtime: runtime).setState([deadLetterId], to: "pending",
                reason: "could not be re-driven: \(error)", from: ["redriving"], on: connection)
        }
        try await count(deadLetterId: deadLetterId, column: "redrive_failed", on: connection)
        if position == 0, let redrive = try await redrives.get(redriveId, forUpdate: true, on: connection),
           redrive.state == "canary" {
            try await stop(redrive, reason: "the canary failed again: \(error)", actor: "system", on: connection,
                           emitter: emitter)
            return
        }
        try await finishIfDone(redriveId, on: connection, emitter: emitter)
    }

    /// Stops a re-drive: items not sent yet are cancelled and their dead letters are pending
    /// again. Messages already sent still settle when their outcome arrives.
    func stop(_ redrive: Redrive, reason: String, actor: String, on connection: PostgresConnection,
              emitter: Emitter) async throws {
        let redrives = RedriveRepository(runtime: runtime)
        let cancelled = try await redrives.cancelPending(redrive.id, on: connection)
        _ = try await DeadLetterRepository(runtime: runtime).setState(cancelled, to: "pending", reason: nil,
                                                                      from: ["redriving"], on: connection)
        try await redrives.setState(redrive.id, "stopped", reason: reason, on: connection)
        runtime.logger.warning("re-drive stopped", metadata: ["redrive": "\(redrive.id)", "reason": "\(reason)"])
        guard let incidentId = redrive.incidentId else { return }
        try await note(incidentId, "redrive-stopped", actor: actor,
                       ["redrive": redrive.id, "reason": reason, "cancelled": "\(cancelled.count)"],
                       on: connection, emitter: emitter)
    }

    /// Completes the re-drive once every message is sent and settled.
    func finishIfDone(_ redriveId: String, on connection: PostgresConnection, emitter: Emitter) async throws {
        let redrives = RedriveRepository(runtime: runtime)
        guard let redrive = try await redrives.get(redriveId, forUpdate: true, on: connection),
              redrive.state == "running" || redrive.state == "stopped",
              redrive.succeeded + redrive.failed >= redrive.sent else { return }
        if redrive.state == "running" {
            guard redrive.sent >= redrive.total else { return }
            try await redrives.setState(redriveId, "completed", on: connection)
            if let incidentId = redrive.incidentId {
                try await note(incidentId, "redrive-finished", actor: "system",
                               ["redrive": redriveId, "succeeded": "\(redrive.succeeded)", "failed": "\(redrive.failed)"],
                               on: connection, emitter: emitter)
            }
        }
        for incidentId in try await fullySucceededIncidents(redriveId, on: connection) {
            guard try await DeadLetterRepository(runtime: runtime).unsettled(incidentId: incidentId, on: connection) == 0
            else { continue }
            try await IncidentLifecycle(runtime: runtime).resolveAutomatically(incidentId, redriveId: redriveId,
                                                                               on: connection, emitter: emitter)
        }
    }

    /// Incidents whose items in this re-drive all succeeded.
    private func fullySucceededIncidents(_ redriveId: String, on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query("""
            SELECT d.incident_id FROM redrive_items i JOIN dead_letters d ON d.id = i.dead_letter_id
            WHERE i.redrive_id = \(redriveId) AND d.incident_id IS NOT NULL
            GROUP BY d.incident_id HAVING bool_and(i.state = 'succeeded')
            """, logger: runtime.logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }

    private func count(deadLetterId: String, column: String, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE incidents SET \(unescaped: column) = \(unescaped: column) + 1, updated_at = now()
            WHERE id = (SELECT incident_id FROM dead_letters WHERE id = \(deadLetterId))
            """, logger: runtime.logger)
    }

    /// A timeline entry plus `incident.updated`.
    func note(_ incidentId: String, _ kind: String, actor: String, _ detail: [String: String],
              on connection: PostgresConnection, emitter: Emitter) async throws {
        let seq = try await Timeline(runtime: runtime).add(incidentId, kind, actor: actor, detail, on: connection)
        guard let incident = try await IncidentRepository(runtime: runtime).get(incidentId, on: connection) else { return }
        try IncidentLifecycle(runtime: runtime).announce(incident, change: kind, actor: actor, seq: seq, automatic: false,
                                                         emitter: emitter)
    }
}
