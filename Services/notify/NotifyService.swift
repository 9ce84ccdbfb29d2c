import Contracts
import Hummingbird
import Logging
import ServiceRuntime

/// The notify service: tells people about job outcomes through the job's webhooks, and
/// records every delivery attempt.
public enum NotifyService {
    /// The composition root.
    public static func build(config: RuntimeConfig, logger: Logger, handleSignals: Bool = false) throws -> ServiceHost {
        let timeout = Duration.milliseconds(try config.values.int("notify.timeout.ms", 10_000))
        var spec = ServiceSpec()
        spec.migrations = NotifyRepository.migrations
        spec.handlers.onDirect(JobPublished.self) { envelope, runtime, _ in
            let p = envelope.payload
            // A dry run (test mode) produces reports but tells nobody.
            guard p.job.options?.dryRun != true else { return }
            let notice = Notification(event: "job.published", jobId: p.job.jobId, name: p.job.name, tags: p.job.tags,
                                      rows: .init(total: p.rowsTotal, valid: p.rowsValid, invalid: p.rowsInvalid),
                                      artifacts: p.artifacts, stage: nil, code: nil, reason: nil)
            try await WebhookSender(runtime: runtime, timeout: timeout)
                .deliver(notice, to: p.job.notify?.webhooks ?? [], messageId: envelope.id)
        }
        spec.handlers.onDirect(JobFailed.self) { envelope, runtime, _ in
            let p = envelope.payload
            guard p.job.options?.dryRun != true else { return }
            let notice = Notification(event: "job.failed", jobId: p.job.jobId, name: p.job.name, tags: p.job.tags,
                                      rows: nil, artifacts: nil, stage: p.stage, code: p.code, reason: p.reason)
            try await WebhookSender(runtime: runtime, timeout: timeout)
                .deliver(notice, to: p.job.notify?.webhooks ?? [], messageId: envelope.id)
        }
        spec.handlers.on(IncidentOpened.self) { envelope, context in
            // Incident alerts get their own channels in a later issue; record that we saw it.
            context.logger.info("incident opened", metadata: ["incident": "\(envelope.payload.incidentId)"])
        }
        spec.routes = { router, runtime in
            router.get("deliveries") { request, _ in
                let job = request.uri.queryParameters.get("job")
                return HTTPResponses.json(try await NotifyRepository(runtime: runtime).deliveries(jobId: job))
            }
        }
        return ServiceHost(config: config, spec: spec, logger: logger, handleSignals: handleSignals)
    }
}

/// The JSON body POSTed to webhooks.
struct Notification: Codable, Sendable {
    struct Rows: Codable, Sendable { var total: Int; var valid: Int; var invalid: Int }
    var event: String
    var jobId: String
    var name: String
    var tags: [String: String]
    var rows: Rows?
    var artifacts: [ArtifactRef]?
    var stage: String?
    var code: String?
    var reason: String?
}
