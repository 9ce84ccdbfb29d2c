import Contracts
import Foundation
import Hosting
import Hummingbird
import Logging
import Runtime

/// The scheduler: stores cron schedules and publishes each schedule's `job.submit` (or its
/// action's message) exactly once per fire time, however many replicas run.
public enum SchedulerService {
    /// The service as the rest of Sluice sees it (catalog, `sluice serve`, tests).
    public static let descriptor = ServiceDescriptor(
        name: "scheduler", defaultPort: 8087,
        summary: "Submits jobs on cron schedules.",
        spec: { try spec(config: $0) })

    /// The composition root: tables, handlers, routes and loops for `config`.
    public static func spec(config: RuntimeConfig) throws -> ServiceSpec {
        let tick = Duration.milliseconds(try config.values.int("scheduler.tick.ms", 1000))
        let grace = Duration.seconds(try config.values.int("scheduler.misfire.grace.s", 3600))
        let overdueEvery = TimeInterval(try config.values.int("scheduler.overdue.check.s", 60))
        let replica = SchedulerReplica()
        var spec = ServiceSpec()
        spec.migrations = ScheduleRepository.migrations
        // How the jobs and catalog batches it started end: the fire history and the overlap policies need it.
        spec.handlers.observesOnly = true
        spec.handlers.observesEverything = false
        spec.handlers.on(JobPublished.self) { envelope, context in
            // A publish-only job's end is its earlier job's results published again.
            try await ended(envelope.payload.requestId ?? envelope.payload.job.jobId, "published", envelope.occurredAt, context)
        }
        spec.handlers.on(JobFailed.self) { envelope, context in
            try await ended(envelope.payload.job.jobId, "failed", envelope.occurredAt, context)
        }
        spec.handlers.on(JobSkipped.self) { envelope, context in
            try await ended(envelope.payload.job.jobId, "skipped", envelope.occurredAt, context)
        }
        spec.handlers.on(JobStalled.self) { envelope, context in
            try await ended(envelope.payload.jobId, "stalled", envelope.occurredAt, context)
        }
        spec.handlers.on(JobIngested.self) { envelope, context in
            let job = envelope.payload.job
            guard job.effectiveOptions.effectiveStages == .ingestOnly else { return }
            try await ended(job.jobId, "stored", envelope.occurredAt, context)
        }
        // A `datasets` schedule's catalog batch: `empty` when no dataset was selected or could run.
        spec.handlers.on(BatchFinished.self) { envelope, context in
            let batch = envelope.payload
            try await ended(batch.batchId, batch.jobs == 0 && batch.state != "cancelled" ? "empty" : batch.state,
                            envelope.occurredAt, context)
        }
        spec.handlers.on(JobControl.self) { envelope, context in
            let control = envelope.payload
            guard control.action == .cancel, control.scope == .job else { return }
            try await ended(control.target, "cancelled", envelope.occurredAt, context)
        }
        spec.loops.append { runtime in
            LoopService {
                try await SchedulerLoop(runtime: runtime, tick: tick, misfireGrace: grace, replica: replica,
                                        overdueEvery: overdueEvery).run()
            }
        }
        spec.routes = { router, runtime in ScheduleRoutes.add(to: router, runtime: runtime) }
        spec.health = { runtime in try? await SchedulerStateRepository(runtime: runtime).health(of: replica) }
        return spec
    }

    /// A job or batch ended: only ids the scheduler may have started (its jobs `sched-…`, the
    /// catalog batches `bat-…`) are looked up.
    private static func ended(_ jobId: String, _ state: String, _ at: Date, _ context: HandlerContext) async throws {
        guard jobId.hasPrefix("sched-") || jobId.hasPrefix("bat-") else { return }
        try await RunRepository(runtime: context.runtime, connection: context.connection)
            .finish(jobId: jobId, state: state, at: at, emitter: context.emitter)
    }
}
