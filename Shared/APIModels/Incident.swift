import Foundation

/// An incident: one failure cause, with how often and when it was seen, what the catalog
/// knows about it and what operators did about it.
public struct Incident: Codable, Sendable, Hashable {
    public var id: String
    public var fingerprint: String
    /// From the matching known-error rule, else derived from the failure.
    public var title: String
    public var service: String
    public var messageType: String?
    public var errorType: String
    public var sampleError: String
    /// `open`, `in_progress`, `resolved` or `archived`.
    public var state: String
    /// `critical`, `high`, `medium` (default) or `low`.
    public var severity: String
    /// Failures filed under it.
    public var count: Int
    public var firstSeen: Date
    public var lastSeen: Date
    /// The matching known-error rule.
    public var ruleId: String?
    /// The operator's root cause, else the rule's.
    public var rootCause: String?
    /// The operator's corrective action, else the rule's.
    public var correctiveAction: String?
    public var runbook: String?
    public var assignee: String?
    public var impact: String?
    /// Times the cause came back after the incident was resolved.
    public var reopened: Int
    /// Re-drives started, messages re-driven, and their outcomes.
    public var redrives: Int
    public var redriven: Int
    public var redriveSucceeded: Int
    public var redriveFailed: Int
    public var resolvedAt: Date?
    public var archivedAt: Date?

    /// Creates the value, field by field.
    public init(id: String, fingerprint: String, title: String, service: String, messageType: String? = nil, errorType: String, sampleError: String, state: String, severity: String, count: Int, firstSeen: Date, lastSeen: Date, ruleId: String? = nil, rootCause: String? = nil, correctiveAction: String? = nil, runbook: String? = nil, assignee: String? = nil, impact: String? = nil, reopened: Int, redrives: Int, redriven: Int, redriveSucceeded: Int, redriveFailed: Int, resolvedAt: Date? = nil, archivedAt: Date? = nil) {
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
    public var at: Date
    /// For coalesced entries (`occurrences`), the latest time.
    public var lastAt: Date
    /// `first-seen`, `occurrences`, `reopened`, `rule-matched`, `rule-cleared`, `assigned`, `state`,
    /// `analysis`, `note`, `redrive-started`, `redrive-finished`, `redrive-stopped`, `resolved`,
    /// `discarded`, `alert`.
    public var kind: String
    public var actor: String
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
    public var incident: Incident
    public var timeline: [TimelineEvent]
    public var deadLetters: [String: Int]
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
    public var at: Date
    public var actor: String
    public var action: String
    public var target: String
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
