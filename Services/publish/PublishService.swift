import Contracts
import Hummingbird
import Logging
import ServiceRuntime

/// The publish service: collects transformed chunks, detects completion race-free, and
/// stores the job's artifacts (output CSV in input order, JSON summary).
public enum PublishService {
    /// The composition root.
    public static func build(config: RuntimeConfig, logger: Logger, handleSignals: Bool = false) throws -> ServiceHost {
        var spec = ServiceSpec()
        spec.migrations = PublishRepository.migrations
        spec.handlers.on(JobIngested.self) { envelope, context in
            let repository = PublishRepository(runtime: context.runtime, connection: context.connection)
            try await repository.recordJob(envelope.payload)
            try await Assembler.completeIfReady(jobId: envelope.payload.job.jobId, repository: repository,
                                                context: context, cause: envelope)
        }
        spec.handlers.on(ChunkTransformed.self) { envelope, context in
            let repository = PublishRepository(runtime: context.runtime, connection: context.connection)
            try await repository.recordChunk(envelope.payload)
            try await Assembler.completeIfReady(jobId: envelope.payload.job.jobId, repository: repository,
                                                context: context, cause: envelope)
        }
        spec.routes = { router, runtime in ArtifactRoutes.add(to: router, runtime: runtime) }
        return ServiceHost(config: config, spec: spec, logger: logger, handleSignals: handleSignals)
    }
}
