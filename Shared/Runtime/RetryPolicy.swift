/// When and how often a transient failure is retried. Delays are exponential with jitter,
/// capped, and served by durable per-delay queues so they survive restarts and never hold
/// up other messages.
public struct RetryPolicy: Sendable, Hashable {
    /// Delay before the second attempt.
    public var initialDelay: Duration
    /// Growth per attempt.
    public var multiplier: Double
    /// Largest delay.
    public var maxDelay: Duration
    /// Fraction of the delay removed at random (0 = none, 0.2 = up to 20% shorter).
    public var jitter: Double
    /// Attempts in all, the first included; after the last the message is dead-lettered.
    public var maxAttempts: Int

    /// Creates a policy.
    public init(initialDelay: Duration = .seconds(1), multiplier: Double = 4, maxDelay: Duration = .seconds(300),
                jitter: Double = 0.2, maxAttempts: Int = 5) {
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.maxAttempts = maxAttempts
    }

    /// The nominal delay after failed attempt `attempt` (1-based), in milliseconds.
    public func delayMilliseconds(afterAttempt attempt: Int) -> Int {
        let initial = Double(initialDelay.components.seconds) * 1000 + Double(initialDelay.components.attoseconds) / 1e15
        let cap = Double(maxDelay.components.seconds) * 1000 + Double(maxDelay.components.attoseconds) / 1e15
        var delay = initial
        for _ in 1..<max(1, attempt) { delay *= multiplier }
        return Int(min(delay, cap).rounded())
    }

    /// The distinct nominal delays this policy uses; one durable delay queue exists for each.
    public var delayLevels: [Int] {
        guard maxAttempts > 1 else { return [] }
        var levels: [Int] = []
        for attempt in 1..<maxAttempts {
            let delay = delayMilliseconds(afterAttempt: attempt)
            if !levels.contains(delay) { levels.append(delay) }
        }
        return levels
    }

    /// The per-message expiration for a retry after `attempt`: the nominal delay minus jitter.
    /// It never exceeds the queue's TTL, so head-of-line waits are bounded by the jitter.
    public func jitteredMilliseconds(afterAttempt attempt: Int) -> Int {
        let nominal = Double(delayMilliseconds(afterAttempt: attempt))
        return Int((nominal * (1 - Double.random(in: 0...max(0, min(jitter, 0.9))))).rounded())
    }
}
