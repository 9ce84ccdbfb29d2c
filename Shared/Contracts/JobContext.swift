import Foundation

/// What every stage needs to know about a job, carried in each chunk and job event so a
/// message is self-contained and any stage can be replayed on its own.
public struct JobContext: Codable, Sendable, Hashable {
    /// The job id (stable across re-deliveries and re-runs).
    public var jobId: String
    /// A human name for the job, e.g. the submitted file's name.
    public var name: String
    /// Free-form labels (department, course, …) used for filtering and grouping.
    public var tags: [String: String]
    /// The Table Schema the records are validated against, if any.
    public var schema: TableSchema?
    /// A schema stored in validate, by name or `name@version`, when `schema` is absent.
    public var schemaName: String?
    /// The processing plan, when given inline.
    public var plan: ProcessingPlan?
    /// A plan stored in transform, by name or `name@version`, when no inline plan is given.
    public var planName: String?
    /// Where to tell people about the outcome.
    public var notify: NotifySpec?
    /// Stages, outputs and policies (absent: the defaults).
    public var options: JobOptions?
    /// When ingest accepted the submission; the results document measures stages from here.
    public var submittedAt: Date?
    /// Job-level notes found while reading the source (e.g. "decoded as Windows-1252").
    public var warnings: [String]?
    /// The job's priority (absent: normal), as submitted.
    public var priority: Priority?
    /// The project's limit on call-step items, as ingest admitted the job (absent: none).
    public var itemRate: ItemRate?

    /// Creates a job context.
    public init(jobId: String, name: String, tags: [String: String] = [:],
                schema: TableSchema? = nil, schemaName: String? = nil, plan: ProcessingPlan? = nil,
                planName: String? = nil,
                notify: NotifySpec? = nil, options: JobOptions? = nil, submittedAt: Date? = nil,
                warnings: [String]? = nil, priority: Priority? = nil, itemRate: ItemRate? = nil) {
        self.priority = priority
        self.itemRate = itemRate
        self.jobId = jobId
        self.name = name
        self.tags = tags
        self.schema = schema
        self.schemaName = schemaName
        self.plan = plan
        self.planName = planName
        self.notify = notify
        self.options = options
        self.submittedAt = submittedAt
        self.warnings = warnings
    }

    /// The options with defaults for an absent value.
    public var effectiveOptions: JobOptions { options ?? JobOptions() }
}

/// Notification targets for a job's outcome.
public struct NotifySpec: Codable, Sendable, Hashable {
    /// HTTP(S) URLs that receive a JSON POST on `job.published` and `job.failed`.
    public var webhooks: [String]
    /// Chat webhooks (Slack, Mattermost, Rocket.Chat, …) that receive a Slack-format message
    /// with the job's figures and artifact links.
    public var chat: [String]?
    /// Email addresses told of the outcome (notify's SMTP channel).
    public var emails: [String]?

    /// Creates notification targets.
    public init(webhooks: [String] = [], chat: [String]? = nil, emails: [String]? = nil) {
        self.webhooks = webhooks
        self.chat = chat
        self.emails = emails
    }

    /// Reads a spec; `webhooks` may be left out when only chat or email targets are given.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        webhooks = try container.decodeIfPresent([String].self, forKey: .webhooks) ?? []
        chat = try container.decodeIfPresent([String].self, forKey: .chat)
        emails = try container.decodeIfPresent([String].self, forKey: .emails)
    }

    /// Whether there is anyone to tell.
    public var isEmpty: Bool { webhooks.isEmpty && (chat ?? []).isEmpty && (emails ?? []).isEmpty }
}
