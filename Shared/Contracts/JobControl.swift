import Foundation

/// `job.control`: an operator paused, resumed or cancelled a job, or paused or resumed all
/// work of a project. The gateway sends it; every service that does stage work applies it
/// to what it holds and to what it receives next (docs/job-control.md).
public struct JobControl: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.jobControl

    /// What to do.
    public enum Action: String, Codable, Sendable, CaseIterable {
        /// Hold the work at the next chunk or item boundary.
        case pause
        /// Release what was held and go on.
        case resume
        /// Stop within seconds, publish nothing, drop the work quietly.
        case cancel

        /// "paused", "resumed", "cancelled".
        public var pastTense: String {
            switch self {
            case .pause: "paused"
            case .resume: "resumed"
            case .cancel: "cancelled"
            }
        }
    }

    /// What it applies to.
    public enum Scope: String, Codable, Sendable, CaseIterable {
        /// One job (`target` is its id).
        case job
        /// Every job of a project, including those submitted while it is paused (`target` is
        /// the project). Cancelling a project is sent as one `job` control per active job.
        case project
        /// Every job of a batch (`target` is the batch id); cancel only. The gateway, which
        /// holds batches, applies it as an operator's batch cancel: one `job` control per job
        /// that has not ended. Stage services ignore it. A schedule's `cancelRunning` overlap
        /// policy sends it for a running catalog batch.
        case batch
    }

    /// What to do.
    public var action: Action
    /// What it applies to.
    public var scope: Scope
    /// The job id or project name.
    public var target: String
    /// Who asked (a gateway user name).
    public var requestedBy: String?
    /// Why, in the operator's words.
    public var note: String?
    /// Increasing with each control the gateway gives one job or project: a service applies
    /// a control only if it is newer than the one it has (absent: always).
    public var sequence: Int64?

    /// A control request.
    public init(action: Action, scope: Scope, target: String, requestedBy: String? = nil, note: String? = nil,
                sequence: Int64? = nil) {
        self.sequence = sequence
        self.action = action
        self.scope = scope
        self.target = target
        self.requestedBy = requestedBy
        self.note = note
    }
}

/// `job.status`: a service tells where a job is, for states no other event shows: admitted
/// (`dispatched`), waiting for a retry (`retried`) or over a rate limit (`rate_limited`); or,
/// with `kind`, something the job's history should show that changes no state (a call
/// step's item failures). The gateway keeps these in the job's event history and state.
public struct JobStatusChanged: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.jobStatus

    /// The job.
    public var jobId: String
    /// Its new state.
    public var state: JobState
    /// The service that saw it.
    public var service: String
    /// Why (the error of a retried message, the limit that was hit).
    public var reason: String?
    /// When it goes on by itself (a retry's or a rate limit's time).
    public var notBefore: Date?
    /// The attempt that failed, for `retried`.
    public var attempt: Int?
    /// The history event's kind when it is not the state's name (`items_failed`).
    public var kind: String?

    /// A status change.
    public init(jobId: String, state: JobState, service: String, reason: String? = nil, notBefore: Date? = nil,
                attempt: Int? = nil, kind: String? = nil) {
        self.kind = kind
        self.jobId = jobId
        self.state = state
        self.service = service
        self.reason = reason
        self.notBefore = notBefore
        self.attempt = attempt
    }
}
