import Foundation

/// An incident: one failure cause, with how often and when it was seen, what the catalog
/// knows about it and what operators did about it.
public struct Incident: Codable, Sendable, Hashable {
    /// `inc-<hash>`.
    public var id: String
    /// The cause: a hash of service, message type, error type and masked error text.
    public var fingerprint: String
    /// From the matching known-error rule, else derived from the failure.
    public var title: String
    /// The failing service.
    public var service: String
    /// The message type that failed, if known.
    public var messageType: String?
    /// The stable error code, e.g. `plan.not-found`.
    public var errorType: String
    /// The error text of the failure that opened (or last reopened) it.
    public var sampleError: String
    /// `open`, `in_progress`, `resolved` or `archived`.
    public var state: String
    /// `critical`, `high`, `medium` (default) or `low`.
    public var severity: String
    /// Failures filed under it.
    public var count: Int
    /// When its first failure was filed (UTC).
    public var firstSeen: Date
    /// When its latest failure was filed (UTC).
    public var lastSeen: Date
    /// The matching known-error rule.
    public var ruleId: String?
    /// The operator's root cause, else the rule's.
    public var rootCause: String?
    /// The operator's corrective action, else the rule's.
    public var correctiveAction: String?
    /// The matching rule's runbook link, e.g. `docs/failures.md#stored-definitions`.
    public var runbook: String?
    /// The person working on it.
    public var assignee: String?
    /// The operator's description of the impact.
    public var impact: String?
    /// Times the cause came back after the incident was resolved.
    public var reopened: Int
    /// Re-drives started that included its dead letters.
    public var redrives: Int
    /// Messages re-driven, over all its re-drives.
    public var redriven: Int
    /// Re-driven messages that succeeded.
    public var redriveSucceeded: Int
    /// Re-driven messages that failed again (or were lost).
    public var redriveFailed: Int
    /// When it was resolved (UTC); cleared when it reopens.
    public var resolvedAt: Date?
    /// When it was archived (UTC).
    public var archivedAt: Date?

    /// Creates the value, field by field.
    public init(id: String, fingerprint: String, title: String, service: String, messageType: String? = nil,
                errorType: String, sampleError: String, state: String, severity: String, count: Int, firstSeen: Date,
                lastSeen: Date, ruleId: String? = nil, rootCause: String? = nil, correctiveAction: String? = nil,
                runbook: String? = nil, assignee: String? = nil, impact: String? = nil, reopened: Int, redrives: Int,
                redriven: Int, redriveSucceeded: Int, redriveFailed: Int, resolvedAt: Date? = nil,
                archivedAt: Date? = nil) {
        self.id = id
        self.fingerprint = fingerprint
        self.title = title
        self.service = service
        self.messageType = messageType
        self.errorType = errorType
        self.sampleError = sampleError
        self.state = state
        self.severity = severity
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.ruleId = ruleId
        self.rootCause = rootCause
        self.correctiveAction = correctiveAction
        self.runbook = runbook
        self.assignee = assignee
        self.impact = impact
        self.reopened = reopened
        self.redrives = redrives
        self.redriven = redriven
        self.redriveSucceeded = redriveSucceeded
        self.redriveFailed = redriveFailed
        self.resolvedAt = resolvedAt
        self.archivedAt = archivedAt
    }
}

/// One entry of an incident's timeline.
public struct TimelineEvent: Codable, Sendable, Hashable {
    /// When the entry was made (UTC).
    public var at: Date
    /// For coalesced entries (`occurrences`), the latest time.
    public var lastAt: Date
    /// `first-seen`, `occurrences`, `reopened`, `rule-matched`, `rule-cleared`, `assigned`, `state`,
    /// `analysis`, `note`, `redrive-started`, `redrive-finished`, `redrive-stopped`, `resolved`,
    /// `discarded`, `alert`.
    public var kind: String
    /// Who caused it (`system` for automatic entries).
    public var actor: String
    /// Details of the kind, as text, e.g. `count`, `first` and `last` for `occurrences`.
    public var detail: [String: String]

    /// Creates the value, field by field.
    public init(at: Date, lastAt: Date, kind: String, actor: String, detail: [String: String]) {
        self.at = at
        self.lastAt = lastAt
        self.kind = kind
        self.actor = actor
        self.detail = detail
    }
}

/// `GET /incidents/:id`: the incident, its timeline, its dead letters by state and its re-drives.
public struct IncidentDetail: Codable, Sendable {
    /// The incident.
    public var incident: Incident
    /// Its timeline, oldest first.
    public var timeline: [TimelineEvent]
    /// How many of its failures are in each state, by state.
    public var deadLetters: [String: Int]
    /// Its re-drives, newest first.
    public var redrives: [Redrive]

    /// Creates the value, field by field.
    public init(incident: Incident, timeline: [TimelineEvent], deadLetters: [String: Int], redrives: [Redrive]) {
        self.incident = incident
        self.timeline = timeline
        self.deadLetters = deadLetters
        self.redrives = redrives
    }
}

/// One operator action, as recorded in the audit log.
public struct AuditEntry: Codable, Sendable, Hashable {
    /// When it happened (UTC).
    public var at: Date
    /// Who acted (the `X-Sluice-Actor` header, else `operator`).
    public var actor: String
    /// What was done, e.g. `incident.resolved`, `redrive.start`, `known-error.update`.
    public var action: String
    /// What it was done to: an incident, dead letter, re-drive or rule id (`selection` for a dry run of ids).
    public var target: String
    /// Details of the action, as text.
    public var detail: [String: String]

    /// Creates the value, field by field.
    public init(at: Date, actor: String, action: String, target: String, detail: [String: String]) {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}
