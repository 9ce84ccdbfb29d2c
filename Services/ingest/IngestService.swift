import Contracts
import Hosting
import Hummingbird
import Logging
import Storage

/// The ingest service: reads a job's source, splits it into chunk messages, records the job.
public enum IngestService {
    /// The service as the rest of Sluice sees it (catalog, `sluice serve`, tests).
    public static let descriptor = ServiceDescriptor(
        name: "ingest", defaultPort: 8081,
        summary: "Reads inputs (inline, files, uploads, URLs) in many formats and cuts them into chunks.",
        spec: { try spec(config: $0) })

    /// The composition root: tables, handlers, routes and loops for `config`.
    public static func spec(config: RuntimeConfig) throws -> ServiceSpec {
        let settings = try IngestSettings(values: config.values)
        var spec = ServiceSpec()
        spec.migrations = IngestRepository.migrations
        let limits = try RateLimits(values: config.values)
        let handler = SubmitHandler(settings: settings, limits: limits)
        spec.handlers.onDirect(JobSubmit.self) { envelope, runtime, trace in
            try await handler.handle(envelope, runtime: runtime, traceparent: trace)
        }
        spec.routes = { router, runtime in
            IngestRoutes.add(to: router, runtime: runtime, settings: settings)
            LimitRoutes.add(to: router, limiter: RateLimiter(runtime: runtime, defaults: limits))
        }
        return spec
    }
}
