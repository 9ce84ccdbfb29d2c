import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// Operator actions on an incident and the state machine behind them:
/// `open → in_progress → resolved → archived`, and `resolved → open` when the cause comes
/// back (or an operator reopens it). Every action is one transaction: the change, a
/// timeline entry, an audit record and the `incident.updated` / `incident.resolved` event.
struct IncidentLifecycle {
    let runtime: RuntimeContext

    /// What an operator can ask for.
    enum Action: Sendable {
        case assign(String)
        case start
        case resolve(rootCause: String?, correctiveAction: String?, impact: String?)
        case archive
        case reopen
        case analysis(rootCause: String?, correctiveAction: String?, impact: String?)
        case note(String)
    }

    /// Applies `action` for `actor`; returns the incident afterwards.
    func perform(_ action: Action, on incidentId: String, actor: String) async throws -> Incident {
        try await runtime.transaction { connection, emitter in
            let repository = IncidentRepository(runtime: runtime)
            guard let incident = try await repository.get(incidentId, forUpdate: true, on: connection) else {
                throw SluiceError.permanent("incident.not-found", "there is no incident \(incidentId)")
            }
            let (kind, detail, newState) = try plan(action, incident)
            try await apply(action, incidentId: incidentId, newState: newState, on: connection)
            let timeline = Timeline(runtime: runtime)
            let seq = try await timeline.add(incidentId, kind, actor: actor, detail, on: connection)
            try await timeline.audit(actor: actor, action: "incident.\(kind)", target: incidentId, detail, on: connection)
            guard let updated = try await repository.get(incidentId, on: connection) else { return incident }
            try announce(updated, change: kind, actor: actor, seq: seq, automatic: false, emitter: emitter)
            if case .reopen = action {
                // Reopening alerts like the cause coming back does (same id scheme, so once).
                try emitter.emit(Envelope(id: "incident/\(incidentId)/alert/reopened/\(updated.reopened)", jobId: nil,
                                          correlationId: incidentId, causationId: nil,
                                          payload: IncidentAlert(incidentId: incidentId, reason: "reopened",
                                                                 title: updated.title, severity: updated.severity,
                                                                 service: updated.service, messageType: updated.messageType,
                                                                 errorType: updated.errorType,
                                                                 sampleError: String(updated.sampleError.prefix(1000)),
                                                                 count: updated.count, threshold: nil, runbook: updated.runbook)))
            }
            return updated
        }
    }

    /// Resolves an incident whose re-drive succeeded entirely, inside the caller's transaction.
    func resolveAutomatically(_ incidentId: String, redriveId: String, on connection: PostgresConnection,
                              emitter: Emitter) async throws {
        let repository = IncidentRepository(runtime: runtime)
        // The caller (the ledger) already holds the incident row.
        guard let incident = try await repository.get(incidentId, on: connection),
              incident.state == "open" || incident.state == "in_progress" else { return }
        try await apply(.resolve(rootCause: nil, correctiveAction: nil, impact: nil), incidentId: incidentId,
                        newState: "resolved", on: connection)
        let seq = try await Timeline(runtime: runtime).add(incidentId, "resolved", actor: "system",
            ["reason": "every message of re-drive \(redriveId) succeeded"], on: connection)
        guard let updated = try await repository.get(incidentId, on: connection) else { return }
        try announce(updated, change: "resolved", actor: "system", seq: seq, automatic: true, emitter: emitter)
    }

    /// The timeline kind, its detail and the new state, or why the action is not allowed now.
    private func plan(_ action: Action, _ incident: Incident) throws -> (String, [String: String], String?) {
        let state = incident.state
        func refuse(_ what: String) -> SluiceError {
            .permanent("incident.invalid-transition", "incident \(incident.id) is \(state): \(what)")
        }
        let active = state == "open" || state == "in_progress"
        switch action {
        case .assign(let person):
            guard active else { throw refuse("only an open or in-progress incident can be assigned") }
            return ("assigned", ["assignee": person], "in_progress")
        case .start:
            guard state == "open" else { throw refuse("only an open incident can be started") }
            return ("state", ["from": state, "to": "in_progress"], "in_progress")
        case .resolve(let cause, let fix, let impact):
            guard active else { throw refuse("only an open or in-progress incident can be resolved") }
            return ("resolved", Self.fields(cause, fix, impact), "resolved")
        case .archive:
            guard state == "resolved" else { throw refuse("only a resolved incident can be archived; resolve it first") }
            return ("state", ["from": state, "to": "archived"], "archived")
        case .reopen:
            guard state == "resolved" else { throw refuse("only a resolved incident can be reopened") }
            return ("reopened", ["by": "operator"], "open")
        case .analysis(let cause, let fix, let impact):
            guard state != "archived" else { throw refuse("an archived incident cannot change") }
            return ("analysis", Self.fields(cause, fix, impact), nil)
        case .note(let text):
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw SluiceError.permanent("incident.empty-note", "a note needs some text")
            }
            return ("note", ["text": text], nil)
        }
    }

    private static func fields(_ cause: String?, _ fix: String?, _ impact: String?) -> [String: String] {
        var detail: [String: String] = [:]
        if let cause { detail["rootCause"] = cause }
        if let fix { detail["correctiveAction"] = fix }
        if let impact { detail["impact"] = impact }
        return detail
    }

    private func apply(_ action: Action, incidentId: String, newState: String?, on connection: PostgresConnection) async throws {
        var assignee: String?
        var cause: String?, fix: String?, impact: String?
        switch action {
        case .assign(let person): assignee = person
        case .resolve(let c, let f, let i), .analysis(let c, let f, let i): (cause, fix, impact) = (c, f, i)
        default: break
        }
        do {
            try await connection.query("""
                UPDATE incidents SET state = coalesce(\(newState), state), assignee = coalesce(\(assignee), assignee),
                    root_cause = coalesce(\(cause), root_cause), corrective_action = coalesce(\(fix), corrective_action),
                    impact = coalesce(\(impact), impact),
                    resolved_at = CASE WHEN \(newState) = 'resolved' THEN now()
                                       WHEN \(newState) = 'open' THEN NULL ELSE resolved_at END,
                    archived_at = CASE WHEN \(newState) = 'archived' THEN now() ELSE archived_at END,
                    reopened = reopened + CASE WHEN \(newState) = 'open' THEN 1 ELSE 0 END,
                    updated_at = now()
                WHERE id = \(incidentId)
                """, logger: runtime.logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw SluiceError.permanent("incident.invalid-transition",
                "another open incident already collects this cause; work on that one instead")
        }
    }

    /// Emits `incident.updated`, plus `incident.resolved` when it was resolved.
    func announce(_ incident: Incident, change: String, actor: String, seq: Int64, automatic: Bool,
                  emitter: Emitter) throws {
        try emitter.emit(Envelope(id: "incident/\(incident.id)/updated/\(seq)", jobId: nil, correlationId: incident.id, causationId: nil,
                                  payload: IncidentUpdated(incidentId: incident.id, change: change, state: incident.state,
                                                           count: incident.count, severity: incident.severity, actor: actor)))
        guard change == "resolved" else { return }
        try emitter.emit(Envelope(id: "incident/\(incident.id)/resolved/\(seq)", jobId: nil, correlationId: incident.id, causationId: nil,
                                  payload: IncidentResolved(incidentId: incident.id, title: incident.title,
                                                            count: incident.count, automatic: automatic, actor: actor,
                                                            rootCause: incident.rootCause)))
    }
}
