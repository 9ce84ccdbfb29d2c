import APIModels
import Foundation

/// What a fire does given the schedule's runs that have not ended: a plain rule, tested
/// directly (docs/schedules.md#overlap).
enum OverlapRule: Equatable {
    /// Submit the job now.
    case run
    /// Cancel these running runs (jobs or batches), then submit.
    case cancelThenRun([String])
    /// Keep the submission; it runs when the running one ends.
    case buffer
    /// Submit nothing; the fire is recorded as skipped, with this reason.
    case skip(String)

    /// One run that has not ended.
    struct OpenRun: Equatable {
        /// The job id, or the batch id of a catalog run.
        let jobId: String
        let fireTime: Date
        /// `running` or `waiting`.
        let state: String
        /// `job` or `batch` (``ScheduledRun``).
        var kind = "job"
    }

    /// The decision for a fire of a schedule with `policy` while `open` have not ended.
    static func decide(_ policy: Overlap, open: [OpenRun]) -> OverlapRule {
        let running = open.filter { $0.state == "running" }
        guard let oldest = running.min(by: { $0.fireTime < $1.fireTime }) else {
            // Nothing runs. A buffered fire waits only while something runs, so none waits.
            return .run
        }
        let still = "\(oldest.kind) \(oldest.jobId) (the fire of \(ISO8601DateFormatter().string(from: oldest.fireTime))) is still running"
        switch policy {
        case .allowAll:
            return .run
        case .cancelRunning:
            return .cancelThenRun(running.map(\.jobId))
        case .skip:
            return .skip(still + "; the overlap policy is skip")
        case .bufferOne:
            if let waiting = open.first(where: { $0.state == "waiting" }) {
                return .skip(still + " and \(waiting.kind) \(waiting.jobId) already waits for it; the overlap policy buffers one")
            }
            return .buffer
        }
    }
}
