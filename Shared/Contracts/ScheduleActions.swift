import Foundation

/// `cleanup.requested`: remove what has outlived its retention. Each service that keeps such
/// data removes its own, with its own age from its configuration (`retention.*.days`):
/// the gateway old jobs, publish old artifacts, incident settled dead letters, notify old
/// deliveries, metrics old chunks and progress records. A cleanup schedule sends it.
public struct CleanupRequested: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.cleanupRequested
    /// Who asked (`schedule:<name>`, or a user).
    public var requestedBy: String

    /// Creates the payload.
    public init(requestedBy: String) { self.requestedBy = requestedBy }
}

/// `rerun.requested`: run the datasets whose latest jobs carry all `tags` again, as
/// `POST /reruns` on ingest does; a re-run schedule sends it. Ingest derives the new jobs' ids
/// from the message id, so a repeated message re-runs nothing twice.
public struct RerunRequested: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.rerunRequested
    /// Only datasets of this project (absent: any).
    public var project: String?
    /// Datasets whose latest job has all these tags.
    public var tags: [String: String]
    /// `analysis-only` (default) or `publish-only`.
    public var stages: JobOptions.Stages?
    /// Who asked.
    public var requestedBy: String

    /// Creates the payload.
    public init(project: String?, tags: [String: String], stages: JobOptions.Stages?, requestedBy: String) {
        self.project = project
        self.tags = tags
        self.stages = stages
        self.requestedBy = requestedBy
    }
}

/// `digest.requested`: send a status digest (jobs by state, incidents opened and resolved,
/// queue depths) for the period that just ended to these addresses and chat webhooks. A
/// digest schedule sends it; the gateway, which has the figures, answers with `digest.ready`.
public struct DigestRequested: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.digestRequested
    /// A title (the schedule's name).
    public var title: String
    /// Only this project's jobs (absent: all).
    public var project: String?
    /// The period the digest covers.
    public var periodStart: Date
    public var periodEnd: Date
    /// Where to send it.
    public var emails: [String]
    /// Slack-format chat webhooks.
    public var chat: [String]

    /// Creates the payload.
    public init(title: String, project: String?, periodStart: Date, periodEnd: Date, emails: [String], chat: [String]) {
        self.title = title
        self.project = project
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.emails = emails
        self.chat = chat
    }
}

/// `digest.ready`: a status digest, written, for notify to mail and post.
public struct DigestReady: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.digestReady
    /// The subject line.
    public var subject: String
    /// The digest as plain text, one fact per line.
    public var text: String
    /// Where to send it.
    public var emails: [String]
    /// Slack-format chat webhooks.
    public var chat: [String]

    /// Creates the payload.
    public init(subject: String, text: String, emails: [String], chat: [String]) {
        self.subject = subject
        self.text = text
        self.emails = emails
        self.chat = chat
    }
}
