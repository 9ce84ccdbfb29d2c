import Foundation
import Runtime

/// The job rate limits ingest applies when it admits a job (docs/job-control.md#rate-limits):
/// per submitting user a sliding window, per project a token bucket. Defaults come from
/// configuration; a project's own limits, set through the gateway, replace the project
/// default for that project.
struct RateLimits: Sendable, Hashable, Codable {
    /// Per user: jobs in any window (`limits.jobs.user.count`, `limits.jobs.user.window.seconds`).
    var user: SlidingWindow
    /// Per project: jobs per minute and burst (`limits.jobs.project.per.minute`, `limits.jobs.project.burst`).
    var project: TokenBucket
    /// Per project: call-step items per minute and burst (`limits.items.project.per.minute`,
    /// `limits.items.project.burst`), stamped into each admitted job for transform to apply.
    var items: TokenBucket

    init(user: SlidingWindow, project: TokenBucket, items: TokenBucket = TokenBucket(perMinute: 0, burst: 1)) {
        self.user = user
        self.project = project
        self.items = items
    }

    init(values: ConfigValues) throws {
        user = SlidingWindow(limit: try values.int("limits.jobs.user.count", 0),
                             seconds: Double(try values.int("limits.jobs.user.window.seconds", 60)))
        let perMinute = try values.int("limits.jobs.project.per.minute", 0)
        let burst = values["limits.jobs.project.burst"] == nil ? nil : try values.int("limits.jobs.project.burst", 1)
        project = TokenBucket(perMinute: Double(perMinute), burst: Double(TokenBucket.burst(burst, perMinute: perMinute)))
        let itemsPerMinute = try values.int("limits.items.project.per.minute", 0)
        let itemsBurst = values["limits.items.project.burst"] == nil ? nil : try values.int("limits.items.project.burst", 1)
        items = TokenBucket(perMinute: Double(itemsPerMinute),
                            burst: Double(TokenBucket.burst(itemsBurst, perMinute: itemsPerMinute)))
    }
}
