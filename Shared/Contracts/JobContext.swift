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
    /// Where to tell people about the outcome.
    public var notify: NotifySpec?

    /// Creates a job context.
    public init(jobId: String, name: String, tags: [String: String] = [:],
                schema: TableSchema? = nil, notify: NotifySpec? = nil) {
        self.jobId = jobId
        self.name = name
        self.tags = tags
        self.schema = schema
        self.notify = notify
    }
}

/// Notification targets for a job's outcome.
public struct NotifySpec: Codable, Sendable, Hashable {
    /// HTTP(S) URLs that receive a JSON POST on `job.published` and `job.failed`.
    public var webhooks: [String]

    /// Creates notification targets.
    public init(webhooks: [String] = []) { self.webhooks = webhooks }
}
