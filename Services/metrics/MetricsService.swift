import Contracts
import Foundation
import Hosting
import Hummingbird
import Logging
import Runtime

/// The metrics service: follows every event and keeps a progress record per job
/// (state, chunks per stage, rows in/valid/invalid, timestamps), served over HTTP.
public enum MetricsService {
    /// The service as the rest of Sluice sees it (catalog, `sluice serve`, tests).
    public static let descriptor = ServiceDescriptor(
        name: "metrics", defaultPort: 8086,
        summary: "Observes every event and keeps each job's progress and state.",
        spec: { try spec(config: $0) })

    /// The composition root: tables, handlers, routes and loops for `config`.
    public static func spec(config: RuntimeConfig) throws -> ServiceSpec {
        var spec = ServiceSpec()
        spec.migrations = ProgressRepository.migrations
        spec.handlers.observesOnly = true
        spec.handlers.on(JobSubmit.self) { envelope, context in
            guard let jobId = envelope.payload.jobId else { return }
            try await repo(context).apply(.submitted(name: envelope.payload.name ?? jobId), jobId: jobId, at: envelope.occurredAt)
        }
        spec.handlers.on(ChunkIngested.self) { envelope, context in
            try await repo(context).apply(.chunkIngested(name: envelope.payload.job.name), jobId: envelope.payload.job.jobId,
                                          at: envelope.occurredAt)
        }
        spec.handlers.on(JobIngested.self) { envelope, context in
            let p = envelope.payload
            try await repo(context).apply(.ingested(chunks: p.chunkCount, rows: p.rowCount, name: p.job.name),
                                          jobId: p.job.jobId, at: envelope.occurredAt)
            if p.job.effectiveOptions.effectiveStages == .ingestOnly {
                try await repo(context).apply(.ended(state: "stored"), jobId: p.job.jobId, at: envelope.occurredAt)
            }
        }
        spec.handlers.on(JobSkipped.self) { envelope, context in
            try await repo(context).apply(.ended(state: "skipped"), jobId: envelope.payload.job.jobId, at: envelope.occurredAt)
        }
        spec.handlers.on(JobRepublish.self) { _, _ in }
        spec.handlers.on(ChunkValidated.self) { envelope, context in
            let p = envelope.payload
            try await repo(context).apply(.chunkValidated(valid: p.data.rows, invalid: p.invalidCount),
                                          jobId: p.job.jobId, at: envelope.occurredAt)
        }
        spec.handlers.on(ChunkTransformed.self) { envelope, context in
            try await repo(context).apply(.chunkTransformed, jobId: envelope.payload.job.jobId, at: envelope.occurredAt)
        }
        spec.handlers.on(JobPublished.self) { envelope, context in
            let p = envelope.payload
            // A dry run tells nobody and builds no partials: no metric counts it.
            if p.job.options?.dryRun != true {
                try await MetricStore(runtime: context.runtime).published(
                    jobId: p.job.jobId, project: envelope.project, tags: p.job.tags, datasetKey: p.job.effectiveOptions.datasetKey,
                    at: envelope.occurredAt, on: context.connection)
            }
            try await repo(context).apply(.published(valid: p.rowsValid, invalid: p.rowsInvalid), jobId: p.job.jobId,
                                          at: envelope.occurredAt)
            // A publish-only job ends when its earlier job's results are published again.
            if let request = p.requestId {
                try await repo(context).apply(.published(valid: p.rowsValid, invalid: p.rowsInvalid), jobId: request,
                                              at: envelope.occurredAt)
            }
        }
        spec.handlers.on(JobFailed.self) { envelope, context in
            let p = envelope.payload
            try await repo(context).apply(.failed(reason: "[\(p.code)] \(p.reason)"), jobId: p.job.jobId,
                                          at: envelope.occurredAt)
        }
        spec.handlers.on(JobStalled.self) { envelope, context in
            let p = envelope.payload
            try await repo(context).apply(.stalled(incidentId: p.incidentId, reason: "[\(p.code)] \(p.stage): \(p.reason)"),
                                          jobId: p.jobId, at: envelope.occurredAt)
        }
        spec.handlers.on(JobControl.self) { envelope, context in
            // A cancelled job has ended: its chunks become due for retention like a finished job's.
            let control = envelope.payload
            guard control.action == .cancel, control.scope == .job else { return }
            try await repo(context).apply(.ended(state: "cancelled"), jobId: control.target, at: envelope.occurredAt)
        }
        let retention = try ChunkRetention.Settings(values: config.values)
        let progressDays = try config.values.int("retention.progress.days", 90)
        let timeout = Duration.seconds(try config.values.int("metrics.compute.timeout.s", 1800))
        spec.handlers.on(CleanupRequested.self) { envelope, context in
            // A round of chunk retention now, then the records of long-finished jobs.
            let chunks = try await ChunkRetention(runtime: context.runtime, settings: retention).sweep()
            let removed = try await ProgressRepository(runtime: context.runtime, connection: nil)
                .purgeProgress(finishedBefore: Date().addingTimeInterval(-Double(progressDays) * 86_400))
            let metricStore = MetricStore(runtime: context.runtime)
            let expired = try await metricStore.purgeExpired()
            try await metricStore.purgeIncidents(openedBefore: Date().addingTimeInterval(-Double(progressDays) * 86_400))
            try await ComputeQueue(runtime: context.runtime, timeout: timeout)
                .purge(doneBefore: Date().addingTimeInterval(-Double(progressDays) * 86_400))
            context.logger.info("cleanup: chunks, progress records and expired metric values removed", metadata: [
                "metric_values": "\(expired)",
                "chunk_jobs": "\(chunks.count)", "progress": "\(removed)", "older_than_days": "\(progressDays)",
                "by": "\(envelope.payload.requestedBy)"])
        }
        spec.loops.append { runtime in ChunkRetention(runtime: runtime, settings: retention).loop() }
        spec.handlers.on(IncidentOpened.self) { envelope, context in
            try await MetricStore(runtime: context.runtime).opened(envelope.payload, at: envelope.occurredAt, on: context.connection)
        }
        spec.handlers.on(MetricPartialsReady.self) { envelope, context in
            try await MetricStore(runtime: context.runtime).record(envelope.payload, on: context.connection)
        }
        // Recorded here, computed by the queue's loop: a computation outlasts any transaction.
        spec.handlers.on(MetricsCompute.self) { envelope, context in
            try await ComputeQueue.enqueue(envelope, on: context.connection, logger: context.logger)
        }
        spec.loops.append { runtime in ComputeQueue(runtime: runtime, timeout: timeout).loop() }
        spec.routes = { router, runtime in
            CalculatedRoutes.add(to: router, runtime: runtime, timeout: timeout)
            router.get("jobs/:id") { _, context in
                let id = try context.parameters.require("id")
                guard let progress = try await ProgressRepository(runtime: runtime, connection: nil).find(jobId: id) else {
                    return HTTPResponses.error(.notFound, "metrics.job-not-found", "no progress recorded for job \(id)")
                }
                return HTTPResponses.json(progress)
            }
            router.get("jobs") { _, _ in
                HTTPResponses.json(try await ProgressRepository(runtime: runtime, connection: nil).recent(limit: 100))
            }
        }
        return spec
    }

    private static func repo(_ context: HandlerContext) -> ProgressRepository {
        ProgressRepository(runtime: context.runtime, connection: context.connection)
    }
}
