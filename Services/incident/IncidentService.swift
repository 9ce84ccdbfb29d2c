import Contracts
import Foundation
import Hosting
import Hummingbird
import Logging
import Runtime

/// The incident service: every dead letter and every failed job lands here, is stored,
/// grouped by cause into incidents, matched against the known-error catalog, and can be
/// re-driven safely (see `docs/failures.md`).
public enum IncidentService {
    /// The service as the rest of Sluice sees it (catalog, `sluice serve`, tests).
    public static let descriptor = ServiceDescriptor(
        name: "incident", defaultPort: 8088,
        summary: "Turns every failure into an incident, explains it and re-drives dead letters.",
        spec: { try spec(config: $0) })

    /// The composition root: tables, handlers, routes and loops for `config`.
    public static func spec(config: RuntimeConfig) throws -> ServiceSpec {
        let settings = try IncidentSettings(values: config.values)
        var spec = ServiceSpec()
        spec.migrations = IncidentMigrations.all
        spec.handlers.onDeadLetter { delivery, runtime in
            let recorder = FailureRecorder(runtime: runtime, settings: settings)
            let failure = Failure(deadLetter: delivery, topology: runtime.topology)
            do {
                try await recorder.record(failure)
            } catch where Failure.isUnstorable(error) {
                // A dead letter must never loop in its DLQ: keep it without what cannot be stored.
                runtime.logger.error("dead letter stored without its headers", metadata: ["error": "\(error)"])
                try await recorder.record(failure.degraded(because: error))
            }
        }
        spec.handlers.on(JobFailed.self) { envelope, context in
            try await FailureRecorder(runtime: context.runtime, settings: settings)
                .record(Failure(jobFailed: envelope), connection: context.connection, emitter: context.emitter)
        }
        spec.handlers.on(ScheduleOverdue.self) { envelope, context in
            try await FailureRecorder(runtime: context.runtime, settings: settings)
                .record(Failure(scheduleOverdue: envelope), connection: context.connection, emitter: context.emitter)
        }
        let deadLetterDays = try config.values.int("retention.deadletters.days", 30)
        spec.handlers.on(CleanupRequested.self) { envelope, context in
            let removed = try await DeadLetterRepository(runtime: context.runtime)
                .purgeSettled(before: Date().addingTimeInterval(-Double(deadLetterDays) * 86_400))
            context.logger.info("cleanup: settled dead letters removed", metadata: [
                "removed": "\(removed)", "older_than_days": "\(deadLetterDays)", "by": "\(envelope.payload.requestedBy)"])
        }
        spec.handlers.on(MetricFailed.self) { envelope, context in
            try await FailureRecorder(runtime: context.runtime, settings: settings)
                .record(Failure(metricFailed: envelope), connection: context.connection, emitter: context.emitter)
        }
        spec.handlers.on(RedriveSucceeded.self) { envelope, context in
            try await RedriveLedger(runtime: context.runtime)
                .succeeded(envelope.payload, on: context.connection, emitter: context.emitter)
        }
        spec.routes = { router, runtime in
            IncidentRoutes.add(to: router, runtime: runtime, settings: settings)
            DeadLetterRoutes.add(to: router, runtime: runtime, settings: settings)
            KnownErrorRoutes.add(to: router, runtime: runtime)
        }
        spec.prepare = { runtime in
            // Built-in rules first, then bring every open incident in line with the catalog:
            // after an upgrade that changed a rule, incidents match as if filed today.
            try await KnownErrorRepository(runtime: runtime).seed(KnownErrorCatalog.defaults)
            try await runtime.transaction { connection, emitter in
                try await KnownErrorDesk(runtime: runtime).rematch(actor: "system", on: connection, emitter: emitter)
            }
        }
        spec.loops = [{ runtime in RedriveWorker(runtime: runtime, settings: settings) }]
        return spec
    }
}
