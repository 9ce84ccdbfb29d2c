import Contracts
import Hosting
import Hummingbird
import Logging

/// The publish service: collects transformed chunks, detects completion race-free, and
/// stores the job's artifacts (output CSV in input order, JSON summary).
public enum PublishService {
    /// The composition root.
    public static func build(config: RuntimeConfig, logger: Logger, handleSignals: Bool = false) throws -> ServiceHost {
        var spec = ServiceSpec()
        spec.migrations = PublishRepository.migrations
        spec.handlers.on(JobIngested.self) { envelope, context in
            // An ingest-only (download-only) job ends at ingest.
            guard envelope.payload.job.effectiveOptions.effectiveStages != .ingestOnly else { return }
            let repository = PublishRepository(runtime: context.runtime, connection: context.connection)
            try await repository.recordJob(envelope.payload, at: envelope.occurredAt)
            try await Assembler.completeIfReady(jobId: envelope.payload.job.jobId, repository: repository,
                                                context: context, cause: envelope)
        }
        spec.handlers.on(ChunkTransformed.self) { envelope, context in
            let repository = PublishRepository(runtime: context.runtime, connection: context.connection)
            try await repository.recordChunk(envelope.payload, at: envelope.occurredAt)
            try await Assembler.completeIfReady(jobId: envelope.payload.job.jobId, repository: repository,
                                                context: context, cause: envelope)
        }
        spec.handlers.on(JobRepublish.self) { envelope, context in
            let request = envelope.payload
            let repository = PublishRepository(runtime: context.runtime, connection: context.connection)
            guard let published = try await repository.outcome(jobId: request.jobId) else {
                throw SluiceError.permanent("publish.not-published",
                    "job \(request.jobId) has no published results to publish again; run it (or an analysis-only re-run) first")
            }
            // A new id per request, so notify (which drops ids it has seen) delivers again.
            try context.emit(Envelope(id: "\(MessageID.job(request.jobId, .jobPublished))/\(request.requestId)",
                                      causedBy: envelope, jobId: request.jobId, producer: "publish", payload: published))
        }
        spec.routes = { router, runtime in ArtifactRoutes.add(to: router, runtime: runtime) }
        return ServiceHost(config: config, spec: spec, logger: logger, handleSignals: handleSignals)
    }
}
