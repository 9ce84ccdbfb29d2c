import Contracts
import Foundation
import Hosting
import Hummingbird
import Logging
import NIOCore
import Runtime

/// The gateway: the one HTTP API meant for people and programs outside (`/api/v1`), with
/// sign-in, API tokens, roles and projects, in front of the internal services. It keeps its
/// own read model of jobs from the job events it observes, so listing and showing jobs asks
/// no other service.
public enum GatewayService {
    /// The service as the rest of Sluice sees it (catalog, `sluice serve`, tests).
    public static let descriptor = ServiceDescriptor(
        name: "gateway", defaultPort: 8080,
        summary: "The external HTTP API (/api/v1): sign-in, tokens, roles, projects, jobs and operations.",
        spec: { try spec(config: $0) })

    /// The composition root: tables, handlers and routes for `config`.
    public static func spec(config: RuntimeConfig) throws -> ServiceSpec {
        let settings = try GatewaySettings(config: config)
        var spec = ServiceSpec()
        spec.publicHTTP = true
        spec.migrations = GatewayMigrations.all
        spec.handlers.observesOnly = true
        spec.handlers.observesEverything = false
        spec.handlers.on(JobSubmit.self) { envelope, context in
            guard let jobId = envelope.payload.jobId ?? envelope.jobId else { return }
            var submit = envelope.payload
            submit.project = submit.project ?? envelope.project
            try await repo(context).submitted(submit, jobId: jobId, at: envelope.occurredAt)
        }
        spec.handlers.on(JobIngested.self) { envelope, context in
            try await repo(context).ingested(envelope.payload, at: envelope.occurredAt)
        }
        spec.handlers.on(ChunkTransformed.self) { envelope, context in
            try await repo(context).chunkDone(jobId: envelope.payload.job.jobId, at: envelope.occurredAt)
        }
        spec.handlers.on(JobPublished.self) { envelope, context in
            try await repo(context).published(envelope.payload, at: envelope.occurredAt)
            // A publish-only job ends when the results it asked for are published again.
            if let request = envelope.payload.requestId {
                try await repo(context).republished(envelope.payload, requestId: request, at: envelope.occurredAt)
            }
        }
        spec.handlers.on(JobFailed.self) { envelope, context in
            let p = envelope.payload
            try await repo(context).ended(p.job, jobId: p.job.jobId, state: .failed, error: "[\(p.code)] \(p.reason)",
                                          at: envelope.occurredAt)
        }
        spec.handlers.on(JobSkipped.self) { envelope, context in
            let p = envelope.payload
            try await repo(context).ended(p.job, jobId: p.job.jobId, state: .skipped,
                                          error: "the input has not changed since job \(p.previousJobId)", at: envelope.occurredAt)
        }
        spec.handlers.on(JobStalled.self) { envelope, context in
            let p = envelope.payload
            try await repo(context).ended(nil, jobId: p.jobId, state: .stalled, error: "[\(p.code)] \(p.stage): \(p.reason)",
                                          incidentId: p.incidentId, at: envelope.occurredAt)
        }
        // A cancel another service gave (the scheduler's `cancelRunning` overlap policy); the
        // gateway's own controls changed the read model when they were given.
        spec.handlers.on(JobControl.self) { envelope, context in
            let p = envelope.payload
            guard envelope.producer != "gateway", p.action == .cancel else { return }
            if p.scope == .batch {
                return try await ScheduledActions.cancelBatch(envelope, context)
            }
            guard p.scope == .job else { return }
            _ = try await repo(context).control(p.target, .cancel, actor: p.requestedBy ?? envelope.producer, note: p.note,
                                                at: envelope.occurredAt)
        }
        spec.handlers.on(JobStatusChanged.self) { envelope, context in
            let p = envelope.payload
            let message = "\(p.service): " + (p.reason ?? p.state.rawValue.replacingOccurrences(of: "_", with: " "))
                + (p.attempt.map { " (attempt \($0))" } ?? "")
            try await repo(context).observe(p.jobId, p.state, kind: p.kind ?? p.state.rawValue, message: message,
                                            at: envelope.occurredAt, notBefore: p.notBefore)
        }
        ScheduledActions(settings: settings, jobDays: try config.values.int("retention.jobs.days", 90)).register(&spec)
        // The project of jobs that name none must exist (the migration made it; a restore or
        // a truncation may have taken it away).
        spec.prepare = { runtime in
            _ = try await runtime.database.query("""
                INSERT INTO projects (id, name, description) VALUES ('default', 'Default', 'Jobs submitted without a project')
                ON CONFLICT (id) DO NOTHING
                """, logger: runtime.logger)
        }
        spec.routes = { router, runtime in addRoutes(router, runtime: runtime, settings: settings) }
        return spec
    }

    private static func repo(_ context: HandlerContext) -> JobRepository {
        JobRepository(runtime: context.runtime, connection: context.connection, emitter: context.emitter)
    }

    private static func addRoutes(_ router: Router<SluiceRequestContext>, runtime: RuntimeContext, settings: GatewaySettings) {
        router.add(middleware: MethodGuard())
        let tokens = TokenRepository(runtime: runtime)
        let identity = IdentityRepository(runtime: runtime)
        let audit = AuditRepository(runtime: runtime)
        let client = InternalClient(settings: settings)
        let api = GatewayAPI(router: router, runtime: runtime, authenticator: Authenticator(tokens: tokens), audit: audit)
        let decoy = (try? settings.hasher.hash("decoy password for unknown accounts")) ?? ""
        let accounts = AccountRoutes(api: api, settings: settings, identity: identity, tokens: tokens,
                                     throttle: Throttle(runtime: runtime, policy: settings.throttle, scope: "sign-in"),
                                     decoyHash: decoy)
        accounts.add()
        CodeRoutes(api: api, runtime: runtime, settings: settings, identity: identity, tokens: tokens, accounts: accounts,
                   requests: Throttle(runtime: runtime, policy: settings.codeRequests, scope: "code-request"),
                   failures: Throttle(runtime: runtime, policy: settings.codeFailures, scope: "code-failure")).add()
        AdminRoutes(api: api, runtime: runtime, identity: identity, tokens: tokens, accounts: accounts).add()
        let jobs = JobRoutes(api: api, runtime: runtime, settings: settings, jobs: JobRepository(runtime: runtime),
                             identity: identity, client: client)
        jobs.add()
        JobControlRoutes(api: api, runtime: runtime, jobRoutes: jobs).add()
        JobStreamRoute(api: api, jobRoutes: jobs).add()
        LimitProxyRoutes(api: api, client: client).add()
        BatchRoutes(api: api, runtime: runtime, jobRoutes: jobs).add()
        DatasetRoutes(api: api, runtime: runtime, jobRoutes: jobs).add()
        DefinitionProxyRoutes(api: api, client: client).add()
        ReferenceProxyRoutes(api: api, client: client).add()
        ScheduleProxyRoutes(api: api, client: client, jobRoutes: jobs).add()
        OperationsRoutes(api: api, client: client).add()
        MetricProxyRoutes(api: api, client: client).add()
        let document = FileManager.default.contents(atPath: settings.openAPIFile).map { ByteBuffer(bytes: $0) }
        if document == nil {
            runtime.logger.error("no OpenAPI document", metadata: ["gateway.openapi.file": "\(settings.openAPIFile)"])
        }
        let system = SystemRoutes(api: api, settings: settings, audit: audit, openAPI: document)
        system.add()
        StatusRoute(api: api, system: system, jobs: JobRepository(runtime: runtime), client: client,
                    prefix: runtime.topology.prefix).add()
    }
}
