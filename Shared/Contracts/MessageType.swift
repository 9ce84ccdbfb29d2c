/// Every message type on the bus. The raw value is the AMQP routing key, so a topic binding
/// such as `chunk.*` selects types by name.
public enum MessageType: String, Codable, Sendable, CaseIterable {
    case jobSubmit = "job.submit"
    case jobIngested = "job.ingested"
    case chunkIngested = "chunk.ingested"
    case chunkValidated = "chunk.validated"
    case chunkTransformed = "chunk.transformed"
    case jobPublished = "job.published"
    case jobFailed = "job.failed"
    case jobSkipped = "job.skipped"
    case jobRepublish = "job.republish"
    case incidentOpened = "incident.opened"
    case incidentUpdated = "incident.updated"
    case incidentResolved = "incident.resolved"
    case incidentAlert = "incident.alert"
    case jobStalled = "job.stalled"
    case redriveSucceeded = "redrive.succeeded"
    case mailRequested = "mail.requested"
    case jobControl = "job.control"
    case jobStatus = "job.status"
    case batchFinished = "batch.finished"
    case scheduleOverdue = "schedule.overdue"
    case cleanupRequested = "cleanup.requested"
    case rerunRequested = "rerun.requested"
    case digestRequested = "digest.requested"
    case digestReady = "digest.ready"
    case metricPartials = "metric.partials"
    case metricsCompute = "metrics.compute"
    case metricFailed = "metric.failed"

    /// The schema version producers write today. Consumers accept exactly the versions in
    /// `supportedVersions`; anything else is a permanent error (dead-lettered, never retried).
    public var currentVersion: Int { 1 }

    /// Versions a consumer of this type understands.
    public var supportedVersions: ClosedRange<Int> { 1...1 }

    /// A one-line description, used by the contract document and `sluice` help.
    public var summary: String {
        switch self {
        case .jobSubmit: "A producer asks Sluice to process one batch."
        case .jobIngested: "Ingest finished reading a job's source: chunk and row counts."
        case .chunkIngested: "One chunk of parsed source records, in source order."
        case .chunkValidated: "The valid records of one chunk plus per-record errors."
        case .chunkTransformed: "The transformed records of one chunk."
        case .jobPublished: "A job's artifacts are stored and downloadable."
        case .jobFailed: "A job stopped with a reason a person can act on."
        case .jobSkipped: "A job's input did not change since its dataset's last job, so nothing ran."
        case .jobRepublish: "Publish an earlier job's results again and notify again (publish-only)."
        case .incidentOpened: "A new failure cause was recorded as an incident."
        case .incidentUpdated: "An incident changed: state, assignee, analysis, known-error match or re-drive progress."
        case .incidentResolved: "An incident was resolved, by an operator or by a re-drive in which every message succeeded."
        case .incidentAlert: "An incident opened, reopened or crossed a count threshold: tell the operators (once per change)."
        case .jobStalled: "A message of this job was dead-lettered; the job waits for an operator to fix and re-drive it."
        case .redriveSucceeded: "A re-driven dead letter was handled successfully by the service it failed in."
        case .mailRequested: "Send one email from a template (account codes and notices; notify's SMTP channel)."
        case .jobControl: "An operator paused, resumed or cancelled a job, or paused or resumed a project's work."
        case .jobStatus: "A service tells where a job is: admitted, waiting for a retry, or over a rate limit."
        case .batchFinished: "Every job of a batch has ended: how it went, for the batch's webhooks, chat and email."
        case .scheduleOverdue: "An enabled schedule has not fired for two of its fire times in a row: open an incident."
        case .cleanupRequested: "Remove what has outlived its retention; each service removes its own, with its own ages."
        case .rerunRequested: "Run datasets again: the latest jobs with these tags, or the dataset catalog's entries."
        case .digestRequested: "Send a status digest for a period to these addresses and chat webhooks."
        case .digestReady: "A written status digest for notify to mail and post."
        case .metricPartials: "A published job's partial aggregates for the calculated metrics whose source selects it."
        case .metricsCompute: "Compute calculated metrics for the period that just ended."
        case .metricFailed: "Computing a calculated metric for a period failed or timed out: open an incident."
        }
    }
}

/// A payload type bound to its message type, so envelopes are typed end to end.
public protocol MessagePayload: Codable, Sendable {
    /// The routing key and `type` field this payload travels under.
    static var messageType: MessageType { get }
}
