import Contracts
import Hummingbird
import Logging
import ServiceRuntime

/// The incident service: every dead letter and every failed job lands here, is stored, and
/// is grouped by cause into incidents an operator can work on.
public enum IncidentService {
    /// The composition root.
    public static func build(config: RuntimeConfig, logger: Logger, handleSignals: Bool = false) throws -> ServiceHost {
        var spec = ServiceSpec()
        spec.migrations = IncidentRepository.migrations
        spec.handlers.onDeadLetter { delivery, runtime in
            try await FailureRecorder(runtime: runtime).record(Failure(deadLetter: delivery, topology: runtime.topology))
        }
        spec.handlers.on(JobFailed.self) { envelope, context in
            try await FailureRecorder(runtime: context.runtime)
                .record(Failure(jobFailed: envelope), connection: context.connection, emitter: context.emitter)
        }
        spec.routes = { router, runtime in IncidentRoutes.add(to: router, runtime: runtime) }
        return ServiceHost(config: config, spec: spec, logger: logger, handleSignals: handleSignals)
    }
}
