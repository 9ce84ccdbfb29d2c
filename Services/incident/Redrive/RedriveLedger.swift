import Contracts
import Foundation
import PostgresNIO
import Runtime

/// Books the outcomes of re-driven messages: a `redrive.succeeded` receipt, or the copy
/// failing again (it comes back as a new dead letter carrying the re-drive's ids). A failed
/// canary stops its re-drive; a re-drive whose every message is settled completes; an
/// incident with nothing left pending or re-driving, whose re-driven messages succeeded,
/// resolves itself.
///
/// Lock order, everywhere: the incident row, then re-drive items, then the re-drive row.
/// Failure recording takes the incident first (filing), so every path here does too.
struct RedriveLedger {
    let runtime: RuntimeContext

    func succeeded(_ receipt: RedriveSucceeded, on connection: PostgresConnection, emitter: Emitter) async throws {
        let incidentId = try await lockIncident(ofDeadLetter: receipt.deadLetterId, on: connection)
        let redrives = RedriveRepository(runtime: runtime)
        let (settled, position) = try await redrives.settle(receipt.redriveId, deadLetterId: receipt.deadLetterId,
                                                            succeeded: true, error: nil, on: connection)
        guard settled else { return }
        _ = try await DeadLetterRepository(runtime: runtime).setState([receipt.deadLetterId], to: "redriven",
            reason: "re-drive \(receipt.redriveId) succeeded in \(receipt.service)", from: ["redriving", "pending"],
            on: connection)
        try await count(incidentId, column: "redrive_succeeded", on: connection)
        if position == 0, let redrive = try await redrives.get(receipt.redriveId, forUpdate: true, on: connection),
           redrive.state == "canary" {
            try await redrives.setState(redrive.id, "running", on: connection)
            runtime.logger.info("canary succeeded; re-driving the rest", metadata: ["redrive": "\(redrive.id)"])
        }
        try await finishIfDone(receipt.redriveId, on: connection, emitter: emitter)
        if let incidentId {
            try await resolveIfSettled(incidentId, redriveId: receipt.redriveId, on: connection, emitter: emitter)
        }
    }

    /// The re-driven copy of `deadLetterId` failed again (recorded as the dead letter
    /// `supersededBy`), or could not be sent or got no outcome (`supersededBy` nil: the dead
    /// letter is pending again).
    func failed(redriveId: String, deadLetterId: String, error: String, supersededBy: String?,
                on connection: PostgresConnection, emitter: Emitter) async throws {
        let incidentId = try await lockIncident(ofDeadLetter: deadLetterId, on: connection)
        let redrives = RedriveRepository(runtime: runtime)
        let (settled, position) = try await redrives.settle(redriveId, deadLetterId: deadLetterId, succeeded: false,
                                                            error: error, on: connection)
        guard settled else { return }
        if let newer = supersededBy {
            _ = try await DeadLetterRepository(runtime: runtime).setState([deadLetterId], to: "redrive-failed",
                reason: "failed again as \(newer)", from: ["redriving", "pending"], on: connection)
        } else {
            _ = try await DeadLetterRepository(runtime: runtime).setState([deadLetterId], to: "pending",
                reason: "re-drive \(redriveId): \(error)", from: ["redriving"], on: connection)
        }
        try await count(incidentId, column: "redrive_failed", on: connection)
        if position == 0 {
            try await stop(redriveId, reason: "the canary failed again: \(error)", actor: "system", onlyIn: ["canary"],
                           on: connection, emitter: emitter)
            return
        }
        try await finishIfDone(redriveId, on: connection, emitter: emitter)
    }

    /// Stops a re-drive still in one of `states`: items not sent yet are cancelled and their
    /// dead letters are pending again; messages already sent still settle when their outcome
    /// arrives. Returns false if the re-drive had moved on (read under its lock).
    @discardableResult
    func stop(_ redriveId: String, reason: String, actor: String, onlyIn states: Set<String> = ["canary", "running"],
              on connection: PostgresConnection, emitter: Emitter) async throws -> Bool {
        let redrives = RedriveRepository(runtime: runtime)
        let cancelled = try await redrives.cancelPending(redriveId, on: connection)
        guard let redrive = try await redrives.get(redriveId, forUpdate: true, on: connection),
              states.contains(redrive.state) else {
            guard cancelled.isEmpty else {
                throw SluiceError.transient("redrive.stop-raced", "re-drive \(redriveId) changed while stopping; retrying")
            }
            return false
        }
        _ = try await DeadLetterRepository(runtime: runtime).setState(cancelled, to: "pending", reason: nil,
                                                                      from: ["redriving"], on: connection)
        try await redrives.setState(redriveId, "stopped", reason: reason, on: connection)
        runtime.logger.warning("re-drive stopped", metadata: ["redrive": "\(redriveId)", "reason": "\(reason)"])
        if let incidentId = redrive.incidentId {
            try await note(incidentId, "redrive-stopped", actor: actor,
                           ["redrive": redriveId, "reason": reason, "cancelled": "\(cancelled.count)"],
                           on: connection, emitter: emitter)
        }
        return true
    }

    /// Completes the re-drive once every message is sent and settled.
    func finishIfDone(_ redriveId: String, on connection: PostgresConnection, emitter: Emitter) async throws {
        let redrives = RedriveRepository(runtime: runtime)
        guard let redrive = try await redrives.get(redriveId, forUpdate: true, on: connection),
              redrive.state == "running", redrive.sent >= redrive.total,
              redrive.succeeded + redrive.failed >= redrive.sent else { return }
        try await redrives.setState(redriveId, "completed", on: connection)
        if let incidentId = redrive.incidentId {
            try await note(incidentId, "redrive-finished", actor: "system",
                           ["redrive": redriveId, "succeeded": "\(redrive.succeeded)", "failed": "\(redrive.failed)"],
                           on: connection, emitter: emitter)
        }
    }

    /// Resolves the incident when nothing of it is pending or being re-driven and its
    /// re-driven messages succeeded: decided per incident, so several re-drives (or a stopped
    /// one whose late outcomes still arrive) add up.
    func resolveIfSettled(_ incidentId: String, redriveId: String, on connection: PostgresConnection,
                          emitter: Emitter) async throws {
        let rows = try await connection.query("""
            SELECT count(*) FILTER (WHERE state IN ('pending', 'redriving'))::int,
                   count(*) FILTER (WHERE state = 'redriven')::int
            FROM dead_letters WHERE incident_id = \(incidentId)
            """, logger: runtime.logger)
        for try await (open, redriven) in rows.decode((Int, Int).self) where open == 0 && redriven > 0 {
            try await IncidentLifecycle(runtime: runtime).resolveAutomatically(incidentId, redriveId: redriveId,
                                                                               on: connection, emitter: emitter)
        }
    }

    /// Locks the incident a dead letter belongs to (first, per the lock order).
    private func lockIncident(ofDeadLetter id: String, on connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.query("""
            SELECT i.id FROM incidents i JOIN dead_letters d ON d.incident_id = i.id WHERE d.id = \(id)
            FOR NO KEY UPDATE OF i
            """, logger: runtime.logger)
        for try await incident in rows.decode(String.self) { return incident }
        return nil
    }

    private func count(_ incidentId: String?, column: String, on connection: PostgresConnection) async throws {
        guard let incidentId else { return }
        try await connection.query("""
            UPDATE incidents SET \(unescaped: column) = \(unescaped: column) + 1, updated_at = now() WHERE id = \(incidentId)
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
