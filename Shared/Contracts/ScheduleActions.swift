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

/// `rerun.requested`: run datasets again; a `rerun` or `datasets` schedule sends it, and the
/// gateway acts on it. Without `catalog`, the datasets whose latest jobs carry all `tags` are
/// re-run from their stored input, as `POST /api/v1/projects/{project}/reruns` does. With
/// `catalog`, the project's dataset catalog entries with all `tags` (every entry when `tags`
/// is empty) run as one batch with `stages`, as `POST …/dataset-runs` does. The new jobs' ids
/// derive from the message id, so a repeated message runs nothing twice.
public struct RerunRequested: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.rerunRequested
    /// Only datasets of this project (absent: any).
    public var project: String?
    /// Datasets whose latest job has all these tags.
    public var tags: [String: String]
    /// `analysis-only` (default) or `publish-only`; with `catalog` any (default `all`).
    public var stages: JobOptions.Stages?
    /// Who asked.
    public var requestedBy: String
    /// Run the dataset catalog's entries rather than the latest jobs (absent: false).
    public var catalog: Bool?
    /// With `catalog`: the day the jobs run for (`YYYY-MM-DD`, their `options.runDate`).
    public var runDate: String?

    /// The id of the batch a `catalog` request with message id `messageId` runs as: the
    /// gateway names the batch by it, and a `datasets` schedule follows that batch to its end.
    public static func batchId(ofRequest messageId: String) -> String { "bat-" + MessageID.hash(messageId, "batch") }

    /// Creates the payload.
    public init(project: String?, tags: [String: String], stages: JobOptions.Stages?, requestedBy: String,
                catalog: Bool? = nil, runDate: String? = nil) {
        self.project = project
        self.tags = tags
        self.stages = stages
        self.requestedBy = requestedBy
        self.catalog = catalog
        self.runDate = runDate
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

/// `metrics.compute`: compute calculated metrics (these, or all) for the period of each that
/// holds `before` less a moment: the period that just ended when a schedule fires at its end.
public struct MetricsCompute: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.metricsCompute
    /// The metrics (absent or empty: every one).
    public var names: [String]?
    /// The moment whose previous period is computed (the fire time).
    public var before: Date
    /// Who asked.
    public var requestedBy: String

    /// Creates the payload.
    public init(names: [String]?, before: Date, requestedBy: String) {
        self.names = names
        self.before = before
        self.requestedBy = requestedBy
    }
}

/// `metric.failed`: computing a calculated metric for a period failed or timed out; the
/// incident service opens an incident for the metric. The others went on.
public struct MetricFailed: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.metricFailed
    /// The metric and its definition's version.
    public var metric: String
    public var version: Int
    /// The period.
    public var periodStart: Date
    public var periodEnd: Date
    /// `failed` or `timed-out`.
    public var outcome: String
    /// What went wrong.
    public var reason: String

    /// Creates the payload.
    public init(metric: String, version: Int, periodStart: Date, periodEnd: Date, outcome: String, reason: String) {
        self.metric = metric
        self.version = version
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.outcome = outcome
        self.reason = reason
    }
}
