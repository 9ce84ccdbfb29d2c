import Contracts
import Hosting
import Hummingbird
import Logging
import Storage

/// The ingest service: reads a job's source, splits it into chunk messages, records the job.
public enum IngestService {
    /// The composition root: `sluice serve ingest` and the tests build ingest here.
    public static func build(config: RuntimeConfig, logger: Logger, handleSignals: Bool = false) throws -> ServiceHost {
        let settings = try IngestSettings(values: config.values)
        var spec = ServiceSpec()
        spec.migrations = IngestRepository.migrations
        let handler = SubmitHandler(settings: settings)
        spec.handlers.onDirect(JobSubmit.self) { envelope, runtime, trace in
            try await handler.handle(envelope, runtime: runtime, traceparent: trace)
        }
        spec.routes = { router, runtime in IngestRoutes.add(to: router, runtime: runtime, settings: settings) }
        return ServiceHost(config: config, spec: spec, logger: logger, handleSignals: handleSignals)
    }
}
