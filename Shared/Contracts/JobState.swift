/// Where a job is, as the gateway shows it (docs/job-control.md#states). The state machine is
/// here, a plain value, so the gateway's refusals and the docs come from one table.
public enum JobState: String, Codable, Sendable, CaseIterable {
    /// Submitted; waiting for ingest.
    case queued
    /// Over a rate limit; waits until `notBefore`, then goes on by itself.
    case rateLimited = "rate_limited"
    /// Admitted by ingest: its source is being read and its chunks sent to the stages.
    case dispatched
    /// Its chunks are going through the stages.
    case inProgress = "in_progress"
    /// A message of it failed for a transient reason and waits for its retry.
    case retried
    /// Held by an operator; resumes where it stopped.
    case paused
    /// A message of it was dead-lettered; it waits for an operator to fix and re-drive it.
    case stalled
    /// Published: its artifacts are stored and downloadable.
    case completed
    /// Stopped with a reason a person can act on.
    case failed
    /// Stopped by an operator; nothing of it was published.
    case cancelled
    /// Its input had not changed since its dataset's last job, so nothing ran.
    case skipped
    /// Its input is stored and nothing more was asked (`ingest-only`).
    case stored

    /// Whether nothing more happens to the job.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .cancelled, .skipped, .stored: true
        default: false
        }
    }

    /// The states a job in this state may move to. Events may arrive out of order (a job may
    /// be seen in progress before it is seen dispatched), so active states may skip ahead. A
    /// stalled job stays stalled while its other chunks flow, until it ends.
    public var successors: Set<JobState> {
        let ends: Set<JobState> = [.completed, .failed, .cancelled, .skipped, .stored, .stalled]
        switch self {
        case .queued: return ends.union([.rateLimited, .dispatched, .inProgress, .retried, .paused])
        case .rateLimited: return ends.union([.queued, .rateLimited, .dispatched, .inProgress, .retried, .paused])
        case .dispatched: return ends.union([.inProgress, .retried, .paused])
        case .inProgress: return ends.union([.retried, .paused])
        case .retried: return ends.union([.inProgress, .retried, .paused])
        case .paused: return ends.union([.queued, .rateLimited, .dispatched, .inProgress, .retried])
        case .stalled: return ends.union([.paused]).subtracting([.stalled])
        case .completed, .failed, .cancelled, .skipped, .stored: return []
        }
    }

    /// Whether the job may move from this state to `next`.
    public func canMove(to next: JobState) -> Bool { successors.contains(next) }

    /// The state an operator's `action` puts a job in this state into: nil when the action
    /// changes nothing (pausing a paused job, cancelling a cancelled one), or an error
    /// naming the state and what can be done instead. `resumeTo` is where a paused job was.
    public func applying(_ action: JobControl.Action, resumeTo: JobState? = nil) throws(JobTransitionError) -> JobState? {
        switch action {
        case .pause:
            if self == .paused { return nil }
            guard canMove(to: .paused) else { throw JobTransitionError(from: self, action: action) }
            return .paused
        case .resume:
            guard self == .paused else { throw JobTransitionError(from: self, action: action) }
            return resumeTo ?? .queued
        case .cancel:
            if self == .cancelled { return nil }
            guard canMove(to: .cancelled) else { throw JobTransitionError(from: self, action: action) }
            return .cancelled
        }
    }
}

/// An operator's action that the job's state does not allow.
public struct JobTransitionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The job's state.
    public var from: JobState
    /// What was asked.
    public var action: JobControl.Action

    /// The error for `action` on a job in state `from`.
    public init(from: JobState, action: JobControl.Action) {
        self.from = from
        self.action = action
    }

    /// Stable: `job.invalid-transition`.
    public var code: String { "job.invalid-transition" }

    /// What happened and what to do.
    public var description: String {
        switch (action, from.isTerminal) {
        case (.resume, false): "the job is \(from.rawValue), not paused: only a paused job can be resumed"
        case (_, true): "the job is \(from.rawValue) and cannot be \(action.pastTense) any more; submit it again (or re-run it) instead"
        default: "a job that is \(from.rawValue) cannot be \(action.pastTense)"
        }
    }
}
