import Foundation

/// A project's own rate limits (`PUT /api/v1/projects/{project}/limits`), replacing the
/// configured project defaults for it (docs/job-control.md#rate-limits).
public struct ProjectLimits: Codable, Sendable, Hashable {
    /// Jobs admitted per minute (0: no limit).
    public var jobsPerMinute: Int
    /// Jobs a full bucket admits at once (default: a minute's worth, at least 1).
    public var jobsBurst: Int?
    /// Call-step items per minute across the project's jobs (0: no limit; absent: the default).
    public var itemsPerMinute: Int?
    /// Items a full bucket allows at once (default: a minute's worth, at least 1).
    public var itemsBurst: Int?

    /// Limits.
    public init(jobsPerMinute: Int, jobsBurst: Int? = nil, itemsPerMinute: Int? = nil, itemsBurst: Int? = nil) {
        self.jobsPerMinute = jobsPerMinute
        self.jobsBurst = jobsBurst
        self.itemsPerMinute = itemsPerMinute
        self.itemsBurst = itemsBurst
    }
}
