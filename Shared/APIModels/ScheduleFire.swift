import Foundation

/// One fire time of a schedule and what became of it (`GET /schedules/:id/fires`).
public struct ScheduleFire: Codable, Sendable, Hashable {
    /// The time the expression named.
    public var scheduledAt: Date
    /// When the scheduler recorded it.
    public var recordedAt: Date
    /// `fired` (its job was submitted), `buffered` (waiting for the running one to end, under
    /// the `bufferOne` overlap policy), `skipped` (an earlier run was still running),
    /// `coalesced` (late, folded into a later fire by the `latest` catch-up policy) or
    /// `missed` (late beyond the catch-up window, or under catch-up `skip`).
    public var outcome: String
    /// Why it did not fire, for `coalesced` and `missed`.
    public var reason: String?
    /// The job submitted, for `fired` and `buffered`.
    public var jobId: String?
    /// The catalog batch started instead, for a `datasets` schedule's `fired` and `buffered`.
    public var batchId: String?
    /// Where its job or batch is: `waiting` (buffered), `running`, or how it ended: a job's
    /// `published`, `failed`, `skipped`, `stored`, `cancelled` or `stalled`; a batch's
    /// `completed`, `failed`, `cancelled` or `empty` (no dataset was selected or could run).
    public var state: String?
    /// When its job or batch was started (a buffered one later than its fire).
    public var submittedAt: Date?
    /// When its job or batch ended.
    public var finishedAt: Date?
    /// Seconds from submission to the end.
    public var durationSeconds: Double? {
        guard let submittedAt, let finishedAt else { return nil }
        return finishedAt.timeIntervalSince(submittedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case scheduledAt, recordedAt, outcome, reason, jobId, batchId, state, submittedAt, finishedAt, durationSeconds
    }

    /// Decodes a fire record (the duration is derived).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        scheduledAt = try c.decode(Date.self, forKey: .scheduledAt)
        recordedAt = try c.decode(Date.self, forKey: .recordedAt)
        outcome = try c.decode(String.self, forKey: .outcome)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        jobId = try c.decodeIfPresent(String.self, forKey: .jobId)
        batchId = try c.decodeIfPresent(String.self, forKey: .batchId)
        state = try c.decodeIfPresent(String.self, forKey: .state)
        submittedAt = try c.decodeIfPresent(Date.self, forKey: .submittedAt)
        finishedAt = try c.decodeIfPresent(Date.self, forKey: .finishedAt)
    }

    /// Encodes it with its duration.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scheduledAt, forKey: .scheduledAt)
        try c.encode(recordedAt, forKey: .recordedAt)
        try c.encode(outcome, forKey: .outcome)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(jobId, forKey: .jobId)
        try c.encodeIfPresent(batchId, forKey: .batchId)
        try c.encodeIfPresent(state, forKey: .state)
        try c.encodeIfPresent(submittedAt, forKey: .submittedAt)
        try c.encodeIfPresent(finishedAt, forKey: .finishedAt)
        try c.encodeIfPresent(durationSeconds, forKey: .durationSeconds)
    }

    /// A fire record.
    public init(scheduledAt: Date, recordedAt: Date, outcome: String, reason: String?, jobId: String?,
                batchId: String? = nil, state: String? = nil, submittedAt: Date? = nil, finishedAt: Date? = nil) {
        self.batchId = batchId
        self.state = state
        self.submittedAt = submittedAt
        self.finishedAt = finishedAt
        self.scheduledAt = scheduledAt
        self.recordedAt = recordedAt
        self.outcome = outcome
        self.reason = reason
        self.jobId = jobId
    }
}
