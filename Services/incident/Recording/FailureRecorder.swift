import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// Stores a failure idempotently and files it under its incident, in one transaction:
/// - joining the open incident with its fingerprint (count, last seen, a coalesced
///   occurrence on the timeline), reopening a resolved one, or opening a new one;
/// - a new or reopened incident is matched against the known-error catalog and alerts
///   (`incident.alert`); an incident crossing a count threshold alerts once per threshold;
/// - a dead letter of a job stalls the job (`job.stalled`);
/// - a re-driven copy failing again settles its re-drive item as failed.
struct FailureRecorder {
    let runtime: RuntimeContext
    let settings: IncidentSettings

    /// Records a dead letter in a transaction of its own.
    func record(_ failure: Failure) async throws {
        try await runtime.transaction { connection, emitter in
            try await record(failure, connection: connection, emitter: emitter)
        }
    }

    func record(_ failure: Failure, connection: PostgresConnection, emitter: Emitter) async throws {
        let failure = failure.storable
        let deadLetters = DeadLetterRepository(runtime: runtime)
        guard try await deadLetters.insert(failure, on: connection) else { return }
        let incidents = IncidentRepository(runtime: runtime)
        let title = "\(failure.service): \(failure.errorType) on \(failure.messageType ?? "message")"
        let filing = try await incidents.file(failure, title: title, on: connection)
        let incidentId = filing.incidentId
        try await deadLetters.link(failureId: failure.id, incidentId: incidentId, on: connection)
        let timeline = Timeline(runtime: runtime)
        var reopenedAt: Int64?
        switch filing.outcome {
        case .joined:
            try await timeline.occurrence(incidentId, failureId: failure.id, on: connection)
        case .opened, .reopened:
            reopenedAt = try await timeline.add(incidentId, filing.outcome == .opened ? "first-seen" : "reopened", actor: "system",
                                   ["failure": failure.id, "error": String(failure.errorText.prefix(500))], on: connection)
            try await match(incidentId, failure, on: connection)
            if filing.outcome == .opened { reopenedAt = nil }
        }
        guard let incident = try await incidents.get(incidentId, on: connection) else { return }
        if let seq = reopenedAt {
            try IncidentLifecycle(runtime: runtime).announce(incident, change: "reopened", actor: "system", seq: seq,
                                                             automatic: false, emitter: emitter)
        }
        try await announce(incident, filing: filing, failure: failure, connection: connection, emitter: emitter)
        if let redriveId = failure.redriveId, let original = failure.redrivenFrom {
            try await RedriveLedger(runtime: runtime).failed(redriveId: redriveId, deadLetterId: original,
                                                             error: "[\(failure.errorType)] \(failure.errorText)",
                                                             supersededBy: failure.id, on: connection, emitter: emitter)
        }
        if failure.kind == "dead-letter", let jobId = failure.jobId {
            try emitter.emit(Envelope(id: "stalled/\(failure.id)", jobId: jobId,
                                      correlationId: failure.correlationId ?? jobId, causationId: failure.messageId,
                                      payload: JobStalled(jobId: jobId, stage: failure.service, incidentId: incidentId,
                                                          deadLetterId: failure.id, code: failure.errorType,
                                                          reason: String(failure.errorText.prefix(2000)))))
        }
    }

    /// Applies the first matching known-error rule to a new or reopened incident.
    private func match(_ incidentId: String, _ failure: Failure, on connection: PostgresConnection) async throws {
        let rules = try await KnownErrorRepository(runtime: runtime).compiled(on: connection)
        let subject = KnownErrorRule.Subject(service: failure.service, messageType: failure.messageType,
                                             errorType: failure.errorType, errorText: failure.errorText)
        guard let rule = CompiledKnownError.firstMatch(rules, subject) else { return }
        try await IncidentRepository(runtime: runtime).apply(rule: rule, to: incidentId, on: connection)
        try await Timeline(runtime: runtime).add(incidentId, "rule-matched", actor: "system",
                                                 ["rule": rule.id, "version": "\(rule.version)", "severity": rule.severity],
                                                 on: connection)
    }

    /// `incident.opened` and the alerts: once when opened, once per reopening, once per
    /// threshold crossed. Event ids are derived from the change, so a replay sends nothing new.
    private func announce(_ incident: Incident, filing: IncidentRepository.Filing, failure: Failure,
                          connection: PostgresConnection, emitter: Emitter) async throws {
        let id = incident.id
        var alerts: [(reason: String, key: String, threshold: Int?)] = []
        switch filing.outcome {
        case .opened:
            runtime.logger.warning("incident opened", metadata: ["incident": "\(id)", "title": "\(incident.title)"])
            try emitter.emit(Envelope(id: "incident/\(id)/opened", jobId: failure.jobId,
                                      correlationId: failure.correlationId ?? id, causationId: failure.messageId,
                                      payload: IncidentOpened(incidentId: id, fingerprint: incident.fingerprint,
                                                              title: incident.title, service: incident.service,
                                                              messageType: incident.messageType,
                                                              errorType: incident.errorType)))
            alerts.append(("opened", "opened", nil))
        case .reopened:
            runtime.logger.warning("incident reopened", metadata: ["incident": "\(id)", "times": "\(filing.reopened)"])
            alerts.append(("reopened", "reopened/\(filing.reopened)", nil))
        case .joined:
            break
        }
        if let threshold = settings.crossed(count: filing.count, alerted: filing.alertedThreshold) {
            try await IncidentRepository(runtime: runtime).markAlerted(id, threshold: threshold, on: connection)
            alerts.append(("threshold", "threshold/\(threshold)", threshold))
        }
        for alert in alerts {
            try emitter.emit(Envelope(id: "incident/\(id)/alert/\(alert.key)", jobId: nil, correlationId: id,
                                      causationId: failure.messageId,
                                      payload: IncidentAlert(incidentId: id, reason: alert.reason, title: incident.title,
                                                             severity: incident.severity, service: incident.service,
                                                             messageType: incident.messageType,
                                                             errorType: incident.errorType,
                                                             sampleError: String(incident.sampleError.prefix(1000)),
                                                             count: incident.count, threshold: alert.threshold,
                                                             runbook: incident.runbook)))
            if alert.reason != "opened" {
                try await Timeline(runtime: runtime).add(id, "alert", actor: "system",
                                                         ["reason": alert.reason, "count": "\(incident.count)"],
                                                         on: connection)
            }
        }
    }
}
