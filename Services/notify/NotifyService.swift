import Contracts
import Hosting
import Hummingbird
import Logging

/// The notify service: tells people about job outcomes through the job's webhooks, and
/// records every delivery attempt.
public enum NotifyService {
    /// The service as the rest of Sluice sees it (catalog, `sluice serve`, tests).
    public static let descriptor = ServiceDescriptor(
        name: "notify", defaultPort: 8085,
        summary: "Tells people and programs about finished jobs and incidents (webhooks).",
        spec: { try spec(config: $0) })

    /// The composition root: tables, handlers, routes and loops for `config`.
    public static func spec(config: RuntimeConfig) throws -> ServiceSpec {
        let timeout = Duration.milliseconds(try config.values.int("notify.timeout.ms", 10_000))
        let operatorWebhooks = config.values.list("notify.incident.webhooks", [])
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
        spec.handlers.onDirect(IncidentAlert.self) { envelope, runtime, _ in
            // One alert per incident state change (the incident service sends no more), to the
            // operators' webhooks; email and chat channels come in a later issue.
            let p = envelope.payload
            guard !operatorWebhooks.isEmpty else {
                runtime.logger.info("incident alert (no notify.incident.webhooks configured)",
                                    metadata: ["incident": "\(p.incidentId)", "reason": "\(p.reason)"])
                return
            }
            try await WebhookSender(runtime: runtime, timeout: timeout)
                .deliver(body: try JSONCoding.encode(IncidentNotice(envelope)), event: "incident.alert",
                         subject: p.incidentId, to: operatorWebhooks, messageId: envelope.id)
        }
        spec.routes = { router, runtime in
            router.get("deliveries") { request, _ in
                let job = request.uri.queryParameters.get("job")
                return HTTPResponses.json(try await NotifyRepository(runtime: runtime).deliveries(jobId: job))
            }
        }
        return spec
    }
}

/// The JSON body POSTed to operator webhooks for an incident alert.
struct IncidentNotice: Codable, Sendable {
    var event = "incident.alert"
    var reason: String
    var incidentId: String
    var title: String
    var severity: String
    var service: String
    var messageType: String?
    var errorType: String
    var sampleError: String
    var count: Int
    var threshold: Int?
    var runbook: String?

    init(_ envelope: Envelope<IncidentAlert>) {
        let p = envelope.payload
        reason = p.reason
        incidentId = p.incidentId
        title = p.title
        severity = p.severity
        service = p.service
        messageType = p.messageType
        errorType = p.errorType
        sampleError = p.sampleError
        count = p.count
        threshold = p.threshold
        runbook = p.runbook
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
