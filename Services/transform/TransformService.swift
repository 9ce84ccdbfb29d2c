import Contracts
import Definitions
import Hosting
import Logging
import Storage

/// The transform service: applies the job's processing plan to each validated chunk (the
/// standard clean-up when there is none), and keeps the stored, versioned plans and the
/// reference tables their `lookup` steps join.
public enum TransformService {
    /// The service as the rest of Sluice sees it (catalog, `sluice serve`, tests).
    public static let descriptor = ServiceDescriptor(
        name: "transform", defaultPort: 8083,
        summary: "Applies the job's processing plan to each chunk of valid records.",
        spec: { try spec(config: $0) })

    /// The composition root: tables, handlers, routes and loops for `config`.
    public static func spec(config: RuntimeConfig) throws -> ServiceSpec {
        var spec = ServiceSpec()
        let settings = try TransformSettings(values: config.values)
        spec.migrations = MigrationSet(component: "transform",
                                       migrations: [DefinitionStore.migration(1)] + CallItemStore.migrations
                                           + ReferenceStore.migrations)
        let transformer = ChunkTransformer(plans: PlanCache(), settings: settings)
        spec.handlers.on(ChunkValidated.self, prepare: { envelope, runtime in
            try await transformer.prepare(envelope, runtime: runtime)
        }) { envelope, prepared, context in
            try await transformer.complete(envelope, prepared, context: context)
        }
        spec.loops.append { runtime in CallItemRetention(runtime: runtime, days: settings.retentionDays).loop() }
        spec.routes = { router, runtime in
            DefinitionRoutes.add(to: router, path: "plans", store: { DefinitionStore(runtime: runtime, kind: "plan") },
                                 check: PlanCache.check)
            ReferenceRoutes.add(to: router, store: { ReferenceStore(runtime: runtime) })
        }
        return spec
    }
}
