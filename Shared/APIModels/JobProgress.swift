import Foundation

/// A job's progress as the metrics service sees it. `state` moves
/// submitted → ingesting → ingested → published | failed and never back; `stalled` means
/// one of its messages is dead-lettered (see `incidentId`) and the job waits for a re-drive.
public struct JobProgress: Codable, Sendable, Hashable {
    /// The job's id.
    public var jobId: String
    /// The job's name (its id when submitted without one), once an event carried it.
    public var name: String?
    /// `submitted`, `ingesting`, `ingested`, `stalled`, `published`, `failed`, `stored` (ingest only)
    /// or `skipped`.
    public var state: String
    /// Chunks the input was split into, once ingest finished.
    public var chunksTotal: Int?
    /// Chunks ingested so far.
    public var chunksIngested: Int
    /// Chunks validated so far.
    public var chunksValidated: Int
    /// Chunks transformed so far.
    public var chunksTransformed: Int
    /// Rows read from the input, once ingest finished.
    public var rowsTotal: Int?
    /// Valid rows: a running sum per chunk, replaced by publish's final count.
    public var rowsValid: Int
    /// Invalid rows: a running sum per chunk, replaced by publish's final count.
    public var rowsInvalid: Int
    /// Why the job failed, as `[code] reason`.
    public var failureReason: String?
    /// When the job was submitted (UTC).
    public var submittedAt: Date?
    /// When ingest finished (UTC).
    public var ingestedAt: Date?
    /// When the job reached its final state (UTC).
    public var finishedAt: Date?
    /// When this record last changed (UTC).
    public var updatedAt: Date
    /// The incident holding one of its dead-lettered messages, when the job stalled.
    public var incidentId: String?
    /// Why it stalled.
    public var stalledReason: String?

    /// Creates the value, field by field.
    public init(jobId: String, name: String? = nil, state: String, chunksTotal: Int? = nil, chunksIngested: Int,
                chunksValidated: Int, chunksTransformed: Int, rowsTotal: Int? = nil, rowsValid: Int, rowsInvalid: Int,
                failureReason: String? = nil, submittedAt: Date? = nil, ingestedAt: Date? = nil,
                finishedAt: Date? = nil, updatedAt: Date, incidentId: String? = nil, stalledReason: String? = nil) {
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
