import Contracts
import Foundation

/// How one item of a call step is tried: its time limit, retries with exponential backoff
/// and full jitter, and what an answer means. Plain values, tested directly.
public struct CallPolicy: Sendable, Hashable {
    /// Retries after the first attempt.
    public var retries: Int
    /// The first backoff.
    public var initial: Duration
    /// The backoff's growth per retry.
    public var factor: Double
    /// The longest backoff, and the longest `Retry-After` waited for.
    public var cap: Duration
    /// One attempt's time limit.
    public var timeout: Duration
    /// Calls in flight at once per chunk.
    public var concurrency: Int

    /// The content pipeline's defaults: 1 s, ×3, 60 s cap, 5 retries; 10 s per attempt; 8 at once.
    public init(retries: Int = 5, initial: Duration = .seconds(1), factor: Double = 3, cap: Duration = .seconds(60),
                timeout: Duration = .seconds(10), concurrency: Int = 8) {
        self.retries = retries
        self.initial = initial
        self.factor = factor
        self.cap = cap
        self.timeout = timeout
        self.concurrency = concurrency
    }

    /// The policy a step asks for, checked; `maxConcurrency` is the service's cap.
    init(_ step: CallStep, maxConcurrency: Int) throws(PlanError) {
        let retry = step.retry ?? CallRetry()
        let defaults = CallPolicy()
        retries = retry.retries ?? defaults.retries
        factor = retry.factor ?? defaults.factor
        let initialSeconds = retry.initialSeconds ?? 1
        let capSeconds = retry.capSeconds ?? 60
        let timeoutSeconds = step.timeoutSeconds ?? 10
        concurrency = min(step.concurrency ?? defaults.concurrency, maxConcurrency)
        guard (0...20).contains(retries), factor >= 1, factor <= 10, initialSeconds >= 0, capSeconds >= initialSeconds,
              capSeconds <= 3600, timeoutSeconds > 0, timeoutSeconds <= 300, concurrency >= 1 else {
            throw PlanError(code: .invalidStep, detail: "call limits out of range: retry.retries 0–20, retry.factor 1–10, "
                + "0 ≤ retry.initialSeconds ≤ retry.capSeconds ≤ 3600, timeoutSeconds in (0, 300], concurrency ≥ 1")
        }
        initial = .milliseconds(Int64(initialSeconds * 1000))
        cap = .milliseconds(Int64(capSeconds * 1000))
        timeout = .milliseconds(Int64(timeoutSeconds * 1000))
    }

    /// The wait before retry `retry` (1-based): a uniformly random fraction ("full jitter")
    /// of `initial × factor^(retry-1)`, capped; `unit` is the random draw in [0, 1).
    public func backoff(retry: Int, unit: Double) -> Duration {
        let ceiling = min(cap / .seconds(1), initial / .seconds(1) * pow(factor, Double(max(0, retry - 1))))
        return .milliseconds(Int64(ceiling * min(max(unit, 0), 1) * 1000))
    }

    /// What an answer's HTTP status means for the item.
    public enum Verdict: Sendable, Hashable {
        /// 2xx: done.
        case success
        /// 408, 425, 429 and 5xx: try again (after `Retry-After` when given).
        case transient
        /// Anything else (4xx, a redirect): failed for good.
        case permanent
    }

    /// The verdict for `status`.
    public static func verdict(status: Int) -> Verdict {
        switch status {
        case 200..<300: .success
        case 408, 425, 429, 500..<600: .transient
        default: .permanent
        }
    }

    /// A `Retry-After` value (seconds, or an HTTP date) as a wait from `now`; nil when absent
    /// or unreadable, zero for a date in the past.
    public static func retryAfter(_ header: String?, now: Date = Date()) -> Duration? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Int(text), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
            }
        }
        return nil
    }
}
