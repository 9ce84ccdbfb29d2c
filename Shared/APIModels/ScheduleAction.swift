import Contracts

/// What a schedule does at each fire, other than submitting its job (docs/schedules.md#actions).
public struct ScheduleAction: Codable, Sendable, Hashable {
    /// The kind of action.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Submit the schedule's `job` (the default when there is no action).
        case submit
        /// Run again the datasets whose latest jobs carry `tags` (`rerun.requested` to the gateway).
        case rerun
        /// Run the project's dataset catalog, the entries with `tags` (every one without), with
        /// `stages` (default `all`), as one batch (`rerun.requested` with `catalog`).
        case datasets
        /// Remove what has outlived its retention, in every service (`cleanup.requested`).
        case cleanup
        /// Send a status digest for the period that just ended (`digest.requested`).
        case digest
        /// Compute calculated metrics (`metrics`, or all) for the period that just ended
        /// (`metrics.compute`).
        case metrics
    }

    /// What to do.
    public var kind: Kind
    /// `rerun`, `datasets`: the tags that select the datasets.
    public var tags: [String: String]?
    /// `rerun`: `analysis-only` (default) or `publish-only`; `datasets`: any (default `all`).
    public var stages: JobOptions.Stages?
    /// `digest`: addresses to mail it to.
    public var emails: [String]?
    /// `digest`: Slack-format chat webhooks to post it to.
    public var chat: [String]?
    /// `metrics`: the calculated metrics to compute (absent: every one).
    public var metrics: [String]?

    /// An action.
    public init(kind: Kind, tags: [String: String]? = nil, stages: JobOptions.Stages? = nil, emails: [String]? = nil,
                chat: [String]? = nil, metrics: [String]? = nil) {
        self.metrics = metrics
        self.kind = kind
        self.tags = tags
        self.stages = stages
        self.emails = emails
        self.chat = chat
    }
}

/// What a run now of a schedule whose action is not `submit` sent (`202`).
public struct ScheduleRunReceipt: Codable, Sendable, Hashable {
    /// The schedule.
    public var schedule: String
    /// The action.
    public var action: ScheduleAction.Kind
    /// The message sent, for its history (`sent cleanup.requested schedule/…`).
    public var sent: String

    /// A receipt.
    public init(schedule: String, action: ScheduleAction.Kind, sent: String) {
        self.schedule = schedule
        self.action = action
        self.sent = sent
    }
}
