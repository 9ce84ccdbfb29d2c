import Contracts
import Foundation

/// A batch: many jobs grouped, with their aggregate progress, statistics and status
/// (`/api/v1/batches`, `sluice batches`; docs/job-control.md#batches).
public struct Batch: Codable, Sendable, Hashable {
    /// The batch id (`bat-…`).
    public var id: String
    /// Its project.
    public var project: String
    /// Its name.
    public var name: String
    /// Who made it.
    public var submitter: String?
    /// `open` (jobs may still join), `running` (closed; jobs not all ended), `completed` (every
    /// job ended and none failed), `failed` (at least one failed) or `cancelled`.
    public var state: String
    /// Jobs in it, by state.
    public var jobs: Int
    public var byState: [String: Int]
    /// Completed jobs among those that ended other than skipped or stored (0…1; absent until one ended).
    public var successRate: Double?
    /// Rows of its completed jobs, and chunks done of all its jobs.
    public var rowsValid: Int
    public var rowsInvalid: Int
    public var chunksDone: Int
    public var chunks: Int
    /// Who is told when it finishes.
    public var notify: NotifySpec?
    /// When it was made, closed and finished.
    public var createdAt: Date
    public var closedAt: Date?
    public var finishedAt: Date?

    /// A batch.
    public init(id: String, project: String, name: String, submitter: String?, state: String, jobs: Int,
                byState: [String: Int], successRate: Double?, rowsValid: Int, rowsInvalid: Int, chunksDone: Int, chunks: Int,
                notify: NotifySpec?, createdAt: Date, closedAt: Date?, finishedAt: Date?) {
        self.id = id
        self.project = project
        self.name = name
        self.submitter = submitter
        self.state = state
        self.jobs = jobs
        self.byState = byState
        self.successRate = successRate
        self.rowsValid = rowsValid
        self.rowsInvalid = rowsInvalid
        self.chunksDone = chunksDone
        self.chunks = chunks
        self.notify = notify
        self.createdAt = createdAt
        self.closedAt = closedAt
        self.finishedAt = finishedAt
    }
}

/// `POST /api/v1/batches`.
public struct NewBatch: Codable, Sendable, Hashable {
    /// A name.
    public var name: String
    /// The project (default: the caller's only project, else `default`).
    public var project: String?
    /// Who to tell when it finishes (webhooks get the `batch.finished` payload as JSON).
    public var notify: NotifySpec?
    /// Jobs to submit in it at once (the batch is then closed). Without them the batch stays
    /// open: submit jobs with `"batch": "<id>"`, then close it.
    public var jobs: [JobSubmit]?

    /// A request.
    public init(name: String, project: String? = nil, notify: NotifySpec? = nil, jobs: [JobSubmit]? = nil) {
        self.name = name
        self.project = project
        self.notify = notify
        self.jobs = jobs
    }
}

/// `GET /api/v1/batches/{batch}`: the batch and its jobs.
public struct BatchDetail: Codable, Sendable, Hashable {
    /// The batch.
    public var batch: Batch
    /// Its jobs (the first 1,000, in submission order).
    public var jobs: [GatewayJob]

    /// A detail.
    public init(batch: Batch, jobs: [GatewayJob]) {
        self.batch = batch
        self.jobs = jobs
    }
}
