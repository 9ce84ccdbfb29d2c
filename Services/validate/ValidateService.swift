import Contracts
import Definitions
import Hosting
import Hummingbird
import Logging
import Storage

/// The validate service: checks each chunk against the job's Table Schema, reports every
/// invalid record, passes the valid ones on, and fails a job whose header cannot match.
public enum ValidateService {
    /// The composition root.
    public static func build(config: RuntimeConfig, logger: Logger, handleSignals: Bool = false) throws -> ServiceHost {
        var spec = ServiceSpec()
        spec.migrations = ValidateRepository.migrations
        let validator = ChunkValidator(schemas: SchemaCache())
        spec.handlers.on(ChunkIngested.self) { envelope, context in
            try await validator.handle(envelope, context: context)
        }
        spec.routes = { router, runtime in
            router.get("jobs/:id/errors") { _, context in
                let id = try context.parameters.require("id")
                return HTTPResponses.json(try await ValidateRepository(runtime: runtime).errors(jobId: id, limit: 10_000))
            }
            DefinitionRoutes.add(to: router, path: "schemas", store: { DefinitionStore(runtime: runtime, kind: "schema") },
                                 check: SchemaCache.check)
        }
        return ServiceHost(config: config, spec: spec, logger: logger, handleSignals: handleSignals)
    }
}
