import Contracts
import Foundation
import Hosting
import Hummingbird
import Logging
import Runtime

/// The scheduler: stores cron schedules and publishes each schedule's `job.submit` exactly
/// once per fire time, however many replicas run.
public enum SchedulerService {
    /// The composition root.
    public static func build(config: RuntimeConfig, logger: Logger, handleSignals: Bool = false) throws -> ServiceHost {
        let tick = Duration.milliseconds(try config.values.int("scheduler.tick.ms", 1000))
        let grace = Duration.seconds(try config.values.int("scheduler.misfire.grace.s", 3600))
        var spec = ServiceSpec()
        spec.migrations = ScheduleRepository.migrations
        spec.loops.append { runtime in
            LoopService { try await SchedulerLoop(runtime: runtime, tick: tick, misfireGrace: grace).run() }
        }
        spec.routes = { router, runtime in ScheduleRoutes.add(to: router, runtime: runtime) }
        return ServiceHost(config: config, spec: spec, logger: logger, handleSignals: handleSignals)
    }
}
