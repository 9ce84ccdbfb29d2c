import Contracts
import Foundation
import PostgresNIO
import ServiceRuntime

/// Stores a failure idempotently and files it under its incident: an open incident with the
/// same fingerprint counts it; otherwise a new incident opens and `incident.opened` is
/// emitted in the same transaction.
struct FailureRecorder {
    let runtime: RuntimeContext

    /// Records a dead letter in a transaction of its own.
    func record(_ failure: Failure) async throws {
        try await runtime.transaction { connection, emitter in
            try await record(failure, connection: connection, emitter: emitter)
        }
    }

    func record(_ failure: Failure, connection: PostgresConnection, emitter: Emitter) async throws {
        let failure = failure.storable
        let repository = IncidentRepository(runtime: runtime)
        guard try await repository.insert(failure, on: connection) else { return }
        let title = "\(failure.service): \(failure.errorType) on \(failure.messageType ?? "message")"
        let (incidentId, opened) = try await repository.fileUnderIncident(failure, title: title, on: connection)
        try await repository.link(failureId: failure.id, incidentId: incidentId, on: connection)
        guard opened else { return }
        runtime.logger.warning("incident opened", metadata: ["incident": "\(incidentId)", "title": "\(title)"])
        try emitter.emit(Envelope(id: "incident/\(incidentId)/opened", jobId: failure.jobId,
                                  correlationId: failure.correlationId ?? incidentId, causationId: failure.messageId,
                                  producer: "incident",
                                  payload: IncidentOpened(incidentId: incidentId, fingerprint: failure.fingerprint,
                                                          title: title, service: failure.service,
                                                          messageType: failure.messageType, errorType: failure.errorType)))
    }
}
