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
}

/// What an event changes in a job's progress.
enum ProgressEvent {
    case submitted(name: String)
    case chunkIngested(name: String)
    case ingested(chunks: Int, rows: Int, name: String)
    case chunkValidated(valid: Int, invalid: Int)
    case chunkTransformed
    case published(valid: Int, invalid: Int)
    /// A terminal state other than published or failed: `stored` (ingest-only), `skipped`.
    case ended(state: String)
    case failed(reason: String)
    /// One of its messages was dead-lettered.
    case stalled(incidentId: String, reason: String)
}
