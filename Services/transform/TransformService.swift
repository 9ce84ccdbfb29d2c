import Contracts
import Definitions
import Hosting
import Logging
import Storage

/// The transform service: applies the job's processing plan to each validated chunk (the
/// standard clean-up when there is none), and keeps the stored, versioned plans.
public enum TransformService {
    /// The composition root.
    public static func build(config: RuntimeConfig, logger: Logger, handleSignals: Bool = false) throws -> ServiceHost {
        var spec = ServiceSpec()
        spec.migrations = MigrationSet(component: "transform", migrations: [DefinitionStore.migration(1)])
        let transformer = ChunkTransformer(plans: PlanCache())
        spec.handlers.on(ChunkValidated.self) { envelope, context in
            try await transformer.handle(envelope, context: context)
        }
        spec.routes = { router, runtime in
            DefinitionRoutes.add(to: router, path: "plans", store: { DefinitionStore(runtime: runtime, kind: "plan") },
                                 check: PlanCache.check)
        }
        return ServiceHost(config: config, spec: spec, logger: logger, handleSignals: handleSignals)
    }
}
