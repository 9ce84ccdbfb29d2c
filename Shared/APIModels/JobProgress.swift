import Foundation

/// A job's progress as the metrics service sees it. `state` moves
/// submitted → ingesting → ingested → published | failed and never back; `stalled` means
/// one of its messages is dead-lettered (see `incidentId`) and the job waits for a re-drive.
public struct JobProgress: Codable, Sendable, Hashable {
    public var jobId: String
    public var name: String?
    public var state: String
    public var chunksTotal: Int?
    public var chunksIngested: Int
    public var chunksValidated: Int
    public var chunksTransformed: Int
    public var rowsTotal: Int?
    public var rowsValid: Int
    public var rowsInvalid: Int
    public var failureReason: String?
    public var submittedAt: Date?
    public var ingestedAt: Date?
    public var finishedAt: Date?
    public var updatedAt: Date
    /// The incident holding one of its dead-lettered messages, when the job stalled.
    public var incidentId: String?
    /// Why it stalled.
    public var stalledReason: String?

    /// Creates the value, field by field.
    public init(jobId: String, name: String? = nil, state: String, chunksTotal: Int? = nil, chunksIngested: Int, chunksValidated: Int, chunksTransformed: Int, rowsTotal: Int? = nil, rowsValid: Int, rowsInvalid: Int, failureReason: String? = nil, submittedAt: Date? = nil, ingestedAt: Date? = nil, finishedAt: Date? = nil, updatedAt: Date, incidentId: String? = nil, stalledReason: String? = nil) {
        self.jobId = jobId
        self.name = name
        self.state = state
        self.chunksTotal = chunksTotal
        self.chunksIngested = chunksIngested
        self.chunksValidated = chunksValidated
        self.chunksTransformed = chunksTransformed
        self.rowsTotal = rowsTotal
        self.rowsValid = rowsValid
        self.rowsInvalid = rowsInvalid
        self.failureReason = failureReason
        self.submittedAt = submittedAt
        self.ingestedAt = ingestedAt
        self.finishedAt = finishedAt
        self.updatedAt = updatedAt
        self.incidentId = incidentId
        self.stalledReason = stalledReason
    }
}
