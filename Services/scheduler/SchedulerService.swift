import Contracts
import Foundation
import Hosting
import Hummingbird
import Logging
import Runtime

/// The scheduler: stores cron schedules and publishes each schedule's `job.submit` exactly
/// once per fire time, however many replicas run.
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
        var spec = ServiceSpec()
        spec.migrations = ScheduleRepository.migrations
        spec.loops.append { runtime in
            LoopService { try await SchedulerLoop(runtime: runtime, tick: tick, misfireGrace: grace).run() }
        }
        spec.routes = { router, runtime in ScheduleRoutes.add(to: router, runtime: runtime) }
        return spec
    }
}
