import Foundation

/// One fire time of a schedule and what became of it (`GET /schedules/:id/fires`).
public struct ScheduleFire: Codable, Sendable, Hashable {
    /// The time the expression named.
    public var scheduledAt: Date
    /// When the scheduler recorded it.
    public var recordedAt: Date
    /// `fired` (its job was submitted), `coalesced` (late, folded into a later fire by the
    /// `latest` policy) or `missed` (late beyond the catch-up window, or under `skip`).
    public var outcome: String
    /// Why it did not fire, for `coalesced` and `missed`.
    public var reason: String?
    /// The job submitted, for `fired`.
    public var jobId: String?

    /// A fire record.
    public init(scheduledAt: Date, recordedAt: Date, outcome: String, reason: String?, jobId: String?) {
        self.scheduledAt = scheduledAt
        self.recordedAt = recordedAt
        self.outcome = outcome
        self.reason = reason
        self.jobId = jobId
    }
}
