import Foundation

/// One entry of a job's history (`GET /api/v1/jobs/{job}/events`, `sluice jobs events`):
/// a state change, progress, a retry or rate-limit wait, or an operator's action.
public struct JobEvent: Codable, Sendable, Hashable {
    /// Increasing across all jobs; pass the last one seen as `after` to read on.
    public var id: Int
    /// The job.
    public var jobId: String
    /// When it happened.
    public var at: Date
    /// `submitted`, `dispatched`, `rate_limited`, `ingested`, `progress`, `retried`, `paused`,
    /// `resumed`, `cancelled`, `stalled`, `completed`, `failed`, `skipped` or `stored`.
    public var kind: String
    /// The job's state after it.
    public var state: String
    /// Who did it, for an operator's action or a submission.
    public var actor: String?
    /// What happened, in words.
    public var message: String
    /// When a waiting job goes on by itself (a retry, a rate limit).
    public var notBefore: Date?

    /// An event.
    public init(id: Int, jobId: String, at: Date, kind: String, state: String, actor: String?, message: String,
                notBefore: Date?) {
        self.id = id
        self.jobId = jobId
        self.at = at
        self.kind = kind
        self.state = state
        self.actor = actor
        self.message = message
        self.notBefore = notBefore
    }
}

/// A page of a job's history, oldest first; pass `next` as `after` for the following one.
public struct JobEventPage: Codable, Sendable, Hashable {
    /// The events.
    public var items: [JobEvent]
    /// The `after` of the next page, when there may be more.
    public var next: Int?

    /// A page.
    public init(items: [JobEvent], next: Int?) {
        self.items = items
        self.next = next
    }
}

/// The body of a pause, resume or cancel (all optional).
public struct ControlRequest: Codable, Sendable, Hashable {
    /// Why, in the operator's words; kept in the history.
    public var note: String?

    /// A request.
    public init(note: String? = nil) { self.note = note }
}

/// What a project's pause, resume or cancel did.
public struct ProjectControlResult: Codable, Sendable, Hashable {
    /// The project.
    public var project: String
    /// `paused` or `running` (a cancel leaves the project running).
    public var state: String
    /// The jobs whose state it changed.
    public var jobs: [String]

    /// A result.
    public init(project: String, state: String, jobs: [String]) {
        self.project = project
        self.state = state
        self.jobs = jobs
    }
}
