import Contracts
import Foundation
import Hosting
import Hummingbird
import Logging
import Runtime
import Toolkit

/// The notify service: tells people about job outcomes and incidents through JSON webhooks,
/// chat webhooks (Slack format) and email (SMTP), sends the gateway's account mail, and
/// records every delivery attempt.
public enum NotifyService {
    /// The service as the rest of Sluice sees it (catalog, `sluice serve`, tests).
    public static let descriptor = ServiceDescriptor(
        name: "notify", defaultPort: 8085,
        summary: "Tells people and programs about finished jobs and incidents (webhooks, chat, email).",
        spec: { try spec(config: $0) })

    /// The composition root: tables, handlers, routes and loops for `config`.
    public static func spec(config: RuntimeConfig) throws -> ServiceSpec {
        let settings = try NotifySettings(values: config.values)
        let templates = try MailTemplates(directory: settings.templatesDirectory)
        var spec = ServiceSpec()
        spec.migrations = NotifyRepository.migrations
        spec.handlers.onDirect(JobPublished.self) { envelope, runtime, _ in
            let p = envelope.payload
            // A dry run (test mode) produces reports but tells nobody.
            guard p.job.options?.dryRun != true, let targets = p.job.notify, !targets.isEmpty else { return }
            let notice = Notification(event: "job.published", jobId: p.job.jobId, name: p.job.name, tags: p.job.tags,
                                      rows: .init(total: p.rowsTotal, valid: p.rowsValid, invalid: p.rowsInvalid),
                                      artifacts: p.artifacts, stage: nil, code: nil, reason: nil)
            let links = p.artifacts.map { "  \(settings.linksBase)/jobs/\(p.job.jobId)/artifacts/\($0.name)" }
            try await Channels(runtime: runtime, settings: settings, templates: templates).deliver(
                json: try JSONCoding.encode(notice), chat: try JSONCoding.encode(ChatMessage.published(p, linksBase: settings.linksBase)),
                mail: ("job-published", jobValues(p.job).merging([
                    "total": "\(p.rowsTotal)", "valid": "\(p.rowsValid)", "invalid": "\(p.rowsInvalid)",
                    "artifacts": links.joined(separator: "\n")]) { a, _ in a }),
                event: "job.published", subject: p.job.jobId, targets: targets, messageId: envelope.id)
        }
        spec.handlers.onDirect(JobFailed.self) { envelope, runtime, _ in
            let p = envelope.payload
            guard p.job.options?.dryRun != true, let targets = p.job.notify, !targets.isEmpty else { return }
            let notice = Notification(event: "job.failed", jobId: p.job.jobId, name: p.job.name, tags: p.job.tags,
                                      rows: nil, artifacts: nil, stage: p.stage, code: p.code, reason: p.reason)
            try await Channels(runtime: runtime, settings: settings, templates: templates).deliver(
                json: try JSONCoding.encode(notice), chat: try JSONCoding.encode(ChatMessage.failed(p)),
                mail: ("job-failed", jobValues(p.job).merging(["stage": p.stage, "code": p.code, "reason": p.reason]) { a, _ in a }),
                event: "job.failed", subject: p.job.jobId, targets: targets, messageId: envelope.id)
        }
        spec.handlers.onDirect(BatchFinished.self) { envelope, runtime, _ in
            let p = envelope.payload
            guard let targets = p.notify, !targets.isEmpty else { return }
            try await Channels(runtime: runtime, settings: settings, templates: templates).deliver(
                json: try JSONCoding.encode(BatchNotice(p)), chat: try JSONCoding.encode(ChatMessage.batch(p)),
                mail: ("batch-finished", ["batch": p.batchId, "name": p.name, "project": p.project, "state": p.state,
                                          "jobs": "\(p.jobs)", "completed": "\(p.completed)", "failed": "\(p.failed)",
                                          "cancelled": "\(p.cancelled)", "rate": "\(Int((p.successRate * 100).rounded()))",
                                          "valid": "\(p.rowsValid)", "invalid": "\(p.rowsInvalid)"]),
                event: "batch.finished", subject: p.batchId, targets: targets, messageId: envelope.id)
        }
        spec.handlers.onDirect(IncidentAlert.self) { envelope, runtime, _ in
            // One alert per incident state change (the incident service sends no more).
            let p = envelope.payload
            let targets = NotifySpec(webhooks: settings.incidentWebhooks, chat: settings.incidentChat,
                                     emails: settings.incidentEmails)
            guard !targets.isEmpty else {
                runtime.logger.info("incident alert (no notify.incident.webhooks, .chat or .emails configured)",
                                    metadata: ["incident": "\(p.incidentId)", "reason": "\(p.reason)"])
                return
            }
            try await Channels(runtime: runtime, settings: settings, templates: templates).deliver(
                json: try JSONCoding.encode(IncidentNotice(envelope)), chat: try JSONCoding.encode(ChatMessage.incident(p)),
                mail: ("incident-alert", ["incident": p.incidentId, "title": p.title, "severity": p.severity,
                                          "reason": p.reason, "service": p.service, "errorType": p.errorType,
                                          "count": "\(p.count)", "sample": p.sampleError, "runbook": p.runbook ?? "—"]),
                event: "incident.alert", subject: p.incidentId, targets: targets, messageId: envelope.id)
        }
        spec.handlers.onDirect(DigestReady.self) { envelope, runtime, _ in
            let p = envelope.payload
            try await Channels(runtime: runtime, settings: settings, templates: templates).deliver(
                json: [], chat: try JSONCoding.encode(ChatMessage.digest(p)),
                mail: ("status-digest", ["subject": p.subject, "text": p.text]), event: "digest.ready",
                subject: "digest", targets: NotifySpec(webhooks: [], chat: p.chat, emails: p.emails), messageId: envelope.id)
        }
        spec.handlers.onDirect(MailRequested.self) { envelope, runtime, _ in
            let p = envelope.payload
            try await MailSender(runtime: runtime, settings: settings, templates: templates)
                .send(template: p.template, values: p.variables, to: p.to, event: "mail." + p.template, subject: p.subject,
                      messageId: envelope.id)
        }
        let deliveryDays = try config.values.int("retention.deliveries.days", 30)
        spec.handlers.onDirect(CleanupRequested.self) { envelope, runtime, _ in
            let removed = try await NotifyRepository(runtime: runtime)
                .purgeDeliveries(before: Date().addingTimeInterval(-Double(deliveryDays) * 86_400))
            runtime.logger.info("cleanup: delivery records removed", metadata: [
                "removed": "\(removed)", "older_than_days": "\(deliveryDays)", "by": "\(envelope.payload.requestedBy)"])
        }
        spec.routes = { router, runtime in
            router.get("deliveries") { request, _ in
                let job = request.uri.queryParameters.get("job")
                return HTTPResponses.json(try await NotifyRepository(runtime: runtime).deliveries(jobId: job))
            }
        }
        return spec
    }

    private static func jobValues(_ job: JobContext) -> [String: String] {
        ["job": job.jobId, "name": job.name,
         "tags": job.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")]
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

/// The JSON body POSTed to a batch's webhooks when it finishes: the `batch.finished` payload
/// without its targets, under `event`.
struct BatchNotice: Codable, Sendable {
    var event = "batch.finished"
    var batchId: String
    var name: String
    var project: String
    var state: String
    var jobs: Int
    var completed: Int
    var failed: Int
    var cancelled: Int
    var successRate: Double
    var rowsValid: Int
    var rowsInvalid: Int
    var createdAt: Date
    var finishedAt: Date

    init(_ p: BatchFinished) {
        batchId = p.batchId
        name = p.name
        project = p.project
        state = p.state
        jobs = p.jobs
        completed = p.completed
        failed = p.failed
        cancelled = p.cancelled
        successRate = p.successRate
        rowsValid = p.rowsValid
        rowsInvalid = p.rowsInvalid
        createdAt = p.createdAt
        finishedAt = p.finishedAt
    }
}
