import Contracts
import Foundation
import Runtime

/// A chunk's share of its project's item bucket: tokens fetched a few at a time, one per
/// attempt. A short wait is slept here; a longer one stops the chunk (``WorkInterrupt``),
/// which is held until the bucket allows it again, not counted as an attempt.
actor TokenPurse {
    let limiter: ItemRateLimiter
    let project: String
    let rate: ItemRate
    let maxWait: Duration
    private var tokens = 0

    init(limiter: ItemRateLimiter, project: String, rate: ItemRate, maxWait: Duration) {
        self.limiter = limiter
        self.project = project
        self.rate = rate
        self.maxWait = maxWait
    }

    func take() async throws {
        while tokens == 0 {
            switch try await limiter.take(project: project, rate: rate, wanted: min(8, max(1, rate.burst))) {
            case .granted(let count):
                tokens += count
            case .wait(let until):
                let wait = until.timeIntervalSinceNow
                guard wait <= Double(maxWait.components.seconds) + Double(maxWait.components.attoseconds) / 1e18 else {
                    throw WorkInterrupt.rateLimited(until: until, reason:
                        "project \(project) is over \(rate.perMinute) call items per minute (burst \(rate.burst))")
                }
                try await Task.sleep(for: .milliseconds(Int64(max(0, wait) * 1000) + 5))
            }
        }
        tokens -= 1
    }
}
