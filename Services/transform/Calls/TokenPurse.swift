import Contracts
import Foundation
import Runtime

/// A chunk's way to its project's item bucket: one token per attempt. A short wait is slept
/// here; a longer one stops the chunk (``WorkInterrupt``), which is held until the bucket
/// allows it again, not counted as an attempt.
actor TokenPurse {
    let limiter: ItemRateLimiter
    let project: String
    let rate: ItemRate
    let maxWait: Duration

    init(limiter: ItemRateLimiter, project: String, rate: ItemRate, maxWait: Duration) {
        self.limiter = limiter
        self.project = project
        self.rate = rate
        self.maxWait = maxWait
    }

    /// One token, taken from the bucket when it is needed: no token is ever taken and left
    /// unused, so a chunk cannot starve the project's other jobs.
    func take() async throws {
        while true {
            switch try await limiter.take(project: project, rate: rate, wanted: 1) {
            case .granted:
                return
            case .wait(let until):
                let wait = until.timeIntervalSinceNow
                guard wait <= maxWait / .seconds(1) else {
                    throw WorkInterrupt.rateLimited(until: until, reason:
                        "project \(project) is over \(rate.perMinute) call items per minute (burst \(rate.burst))")
                }
                try await Task.sleep(for: .milliseconds(Int64(max(0, wait) * 1000) + 5))
            }
        }
    }
}
