import Contracts
import Definitions
import Hosting
import Hummingbird
import Logging
import Storage

/// The validate service: checks each chunk against the job's Table Schema, reports every
/// invalid record, passes the valid ones on, and fails a job whose header cannot match.
public enum ValidateService {
    /// The service as the rest of Sluice sees it (catalog, `sluice serve`, tests).
    public static let descriptor = ServiceDescriptor(
        name: "validate", defaultPort: 8082,
        summary: "Checks each chunk against the job's Table Schema and reports every invalid record.",
        spec: { try spec(config: $0) })

    /// The composition root: tables, handlers, routes and loops for `config`.
    public static func spec(config: RuntimeConfig) throws -> ServiceSpec {
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
        return spec
    }
}
