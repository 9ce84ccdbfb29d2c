import APIModels
import Foundation

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
