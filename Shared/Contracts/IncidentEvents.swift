import Foundation

/// `incident.updated`: something about an incident changed (never sent per occurrence; the
/// count threshold alerts cover volume).
public struct IncidentUpdated: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.incidentUpdated
    /// The incident id.
    public var incidentId: String
    /// What changed: `assigned`, `state`, `analysis`, `rule-matched`, `redrive-started`, `redrive-finished`, …
    public var change: String
    /// The state after the change (`open`, `in_progress`, `resolved`, `archived`).
    public var state: String
    /// Failures counted so far.
    public var count: Int
    /// Severity after the change.
    public var severity: String
    /// Who made the change (`system` for automatic ones).
    public var actor: String

    /// Creates the payload.
    public init(incidentId: String, change: String, state: String, count: Int, severity: String, actor: String) {
        self.incidentId = incidentId
        self.change = change
        self.state = state
        self.count = count
        self.severity = severity
        self.actor = actor
    }
}

/// `incident.resolved`: an incident was resolved.
public struct IncidentResolved: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.incidentResolved
    /// The incident id.
    public var incidentId: String
    /// Its title.
    public var title: String
    /// Failures counted.
    public var count: Int
    /// True when a re-drive in which every message succeeded resolved it.
    public var automatic: Bool
    /// Who resolved it (`system` when automatic).
    public var actor: String
    /// The recorded root cause, if any.
    public var rootCause: String?

    /// Creates the payload.
    public init(incidentId: String, title: String, count: Int, automatic: Bool, actor: String, rootCause: String?) {
        self.incidentId = incidentId
        self.title = title
        self.count = count
        self.automatic = automatic
        self.actor = actor
        self.rootCause = rootCause
    }
}

/// `incident.alert`: operators should hear about this incident. Sent once per state change
/// (opened, reopened, a count threshold crossed), never once per failed message.
public struct IncidentAlert: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.incidentAlert
    /// The incident id.
    public var incidentId: String
    /// `opened`, `reopened` or `threshold`.
    public var reason: String
    /// Title (from the matching known-error rule when there is one).
    public var title: String
    /// `critical`, `high`, `medium` or `low`.
    public var severity: String
    /// The failing service.
    public var service: String
    /// The message type that failed, if known.
    public var messageType: String?
    /// The error code.
    public var errorType: String
    /// One error text, as a sample.
    public var sampleError: String
    /// Failures counted so far.
    public var count: Int
    /// The threshold crossed, for `threshold` alerts.
    public var threshold: Int?
    /// Runbook link from the known-error catalog.
    public var runbook: String?

    /// Creates the payload.
    public init(incidentId: String, reason: String, title: String, severity: String, service: String,
                messageType: String?, errorType: String, sampleError: String, count: Int, threshold: Int?,
                runbook: String?) {
        self.incidentId = incidentId
        self.reason = reason
        self.title = title
        self.severity = severity
        self.service = service
        self.messageType = messageType
        self.errorType = errorType
        self.sampleError = sampleError
        self.count = count
        self.threshold = threshold
        self.runbook = runbook
    }
}

/// `job.stalled`: one of the job's messages was dead-lettered, so the job cannot finish until
/// an operator fixes the cause and re-drives it (or discards it).
public struct JobStalled: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.jobStalled
    /// The job.
    public var jobId: String
    /// The service that dead-lettered the message.
    public var stage: String
    /// The incident the dead letter was filed under.
    public var incidentId: String
    /// The stored dead letter.
    public var deadLetterId: String
    /// The error code.
    public var code: String
    /// The error text.
    public var reason: String

    /// Creates the payload.
    public init(jobId: String, stage: String, incidentId: String, deadLetterId: String, code: String, reason: String) {
        self.jobId = jobId
        self.stage = stage
        self.incidentId = incidentId
        self.deadLetterId = deadLetterId
        self.code = code
        self.reason = reason
    }
}

/// `redrive.succeeded`: a re-driven dead letter was handled without failing. The consuming
/// service's runtime sends it, so the incident service can finish a re-drive and resolve.
public struct RedriveSucceeded: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.redriveSucceeded
    /// The re-drive.
    public var redriveId: String
    /// The dead letter that was re-driven.
    public var deadLetterId: String
    /// The service that handled it.
    public var service: String

    /// Creates the payload.
    public init(redriveId: String, deadLetterId: String, service: String) {
        self.redriveId = redriveId
        self.deadLetterId = deadLetterId
        self.service = service
    }
}
