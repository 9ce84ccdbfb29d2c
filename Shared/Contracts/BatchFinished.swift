import Foundation

/// `batch.finished`: every job of a batch has ended; notify tells the batch's targets
/// (webhooks, chat, email) how it went (docs/job-control.md#batches).
public struct BatchFinished: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.batchFinished

    /// The batch.
    public var batchId: String
    /// Its name.
    public var name: String
    /// Its project.
    public var project: String
    /// `completed` (no job failed), `failed` (at least one failed or stalled for good) or
    /// `cancelled` (an operator cancelled it).
    public var state: String
    /// Jobs in the batch, and how they ended.
    public var jobs: Int
    public var completed: Int
    public var failed: Int
    public var cancelled: Int
    /// Completed jobs among those that ended other than skipped or stored (0…1).
    public var successRate: Double
    /// Rows of the completed jobs.
    public var rowsValid: Int
    public var rowsInvalid: Int
    /// When the batch was made and when its last job ended.
    public var createdAt: Date
    public var finishedAt: Date
    /// Who to tell (absent: nobody).
    public var notify: NotifySpec?

    /// A finished batch.
    public init(batchId: String, name: String, project: String, state: String, jobs: Int, completed: Int, failed: Int,
                cancelled: Int, successRate: Double, rowsValid: Int, rowsInvalid: Int, createdAt: Date, finishedAt: Date,
                notify: NotifySpec?) {
        self.batchId = batchId
        self.name = name
        self.project = project
        self.state = state
        self.jobs = jobs
        self.completed = completed
        self.failed = failed
        self.cancelled = cancelled
        self.successRate = successRate
        self.rowsValid = rowsValid
        self.rowsInvalid = rowsInvalid
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.notify = notify
    }
}
