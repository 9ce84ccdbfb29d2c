import Contracts
import Foundation

/// A job as the gateway lists and shows it: who submitted it where, its state and progress,
/// and, once published, its row counts and artifacts.
public struct GatewayJob: Codable, Sendable, Hashable {
    /// The job id.
    public var id: String
    /// The project it belongs to.
    public var project: String
    /// Who submitted it (a user name; absent for jobs a producer or schedule published).
    public var submitter: String?
    /// Its name.
    public var name: String
    /// Its tags.
    public var tags: [String: String]
    /// `queued`, `rate_limited`, `dispatched`, `in_progress`, `retried`, `paused`, `stalled`,
    /// `completed`, `failed`, `cancelled`, `skipped` or `stored` (docs/job-control.md#states).
    public var state: String
    /// Chunks ingested and chunks through transform (progress: `chunksDone` of `chunks`).
    public var chunks: Int?
    public var chunksDone: Int
    /// Rows read, and valid and invalid rows once published.
    public var rowsTotal: Int?
    public var rowsValid: Int?
    public var rowsInvalid: Int?
    /// Why it failed or stalled, and the incident that holds it.
    public var error: String?
    public var incidentId: String?
    /// Its published artifacts (names; download from `…/artifacts/{name}`).
    public var artifacts: [String]?
    /// When it was submitted, last changed and finished.
    public var submittedAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    /// `urgent`, `normal` or `low`.
    public var priority: String
    /// When a `rate_limited` or `retried` job goes on by itself.
    public var notBefore: Date?

    /// A job.
    public init(id: String, project: String, submitter: String?, name: String, tags: [String: String], state: String,
                chunks: Int?, chunksDone: Int, rowsTotal: Int?, rowsValid: Int?, rowsInvalid: Int?, error: String?,
                incidentId: String?, artifacts: [String]?, submittedAt: Date, updatedAt: Date, finishedAt: Date?,
                priority: String = "normal", notBefore: Date? = nil) {
        self.priority = priority
        self.notBefore = notBefore
        self.id = id
        self.project = project
        self.submitter = submitter
        self.name = name
        self.tags = tags
        self.state = state
        self.chunks = chunks
        self.chunksDone = chunksDone
        self.rowsTotal = rowsTotal
        self.rowsValid = rowsValid
        self.rowsInvalid = rowsInvalid
        self.error = error
        self.incidentId = incidentId
        self.artifacts = artifacts
        self.submittedAt = submittedAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
    }
}

/// One page of `GET /api/v1/jobs`, newest first; pass `next` as `cursor` for the following one.
public struct GatewayJobPage: Codable, Sendable {
    /// The jobs on this page.
    public var items: [GatewayJob]
    /// The cursor of the next page, absent on the last.
    public var next: String?

    /// A page.
    public init(items: [GatewayJob], next: String?) {
        self.items = items
        self.next = next
    }
}

/// One entry of the gateway's audit log: who did what to which object, and the answer.
public struct AuditRecord: Codable, Sendable, Hashable {
    /// Increasing id.
    public var id: Int
    /// When.
    public var at: Date
    /// The authenticated user (or `anonymous` for a failed sign-in).
    public var actor: String
    /// The operation id of the OpenAPI document, e.g. `submitJob`.
    public var action: String
    /// The object acted on, e.g. a job or user id.
    public var target: String?
    /// Its project, if it has one.
    public var project: String?
    /// The HTTP status answered.
    public var status: Int
    /// The client's address.
    public var address: String?

    /// An entry.
    public init(id: Int, at: Date, actor: String, action: String, target: String?, project: String?, status: Int,
                address: String?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.project = project
        self.status = status
        self.address = address
    }
}

/// `POST /api/v1/projects/{project}/reruns`: run the latest job of every dataset of the
/// project whose tags include `tags` again.
public struct RerunRequest: Codable, Sendable {
    /// Tags every selected job has.
    public var tags: [String: String]
    /// `analysis-only` (default) or `publish-only`.
    public var stages: JobOptions.Stages?

    /// A request.
    public init(tags: [String: String], stages: JobOptions.Stages? = nil) {
        self.tags = tags
        self.stages = stages
    }
}
