import Foundation

/// A sliding window: at most `limit` admissions in any `window` (per user). Exact: the
/// admissions themselves are kept, so no window of that length ever holds more.
struct SlidingWindow: Sendable, Hashable, Codable {
    /// Admissions per window (0: no limit).
    var limit: Int
    /// The window's length, in seconds.
    var seconds: Double

    /// Admit now, or wait until the oldest admission in the window leaves it. `admissions`
    /// are those within the window before `now`, oldest first.
    func decide(admissions: [Date], now: Date) -> RateDecision {
        guard limit > 0 else { return .admit }
        let inWindow = admissions.filter { $0 > now.addingTimeInterval(-seconds) }
        guard inWindow.count >= limit else { return .admit }
        // The (count - limit + 1)-th oldest must leave before one more fits.
        return .wait(until: inWindow[inWindow.count - limit].addingTimeInterval(seconds))
    }
}

/// A token bucket: `perMinute` tokens a minute, at most `burst` saved (per project).
struct TokenBucket: Sendable, Hashable, Codable {
    /// Tokens added per minute (0: no limit).
    var perMinute: Double
    /// Most tokens kept; a full bucket admits this many at once.
    var burst: Double

    /// The burst when none is given: a minute's worth, at least 1.
    static func burst(_ given: Int?, perMinute: Int) -> Int { max(1, given ?? perMinute) }

    /// The bucket's level at `now`, from `tokens` at `since`.
    func level(tokens: Double, since: Date, now: Date) -> Double {
        min(burst, tokens + max(0, now.timeIntervalSince(since)) * perMinute / 60)
    }

    /// Takes a token if there is one: the decision and the level left.
    func take(tokens: Double, since: Date, now: Date) -> (RateDecision, Double) {
        guard perMinute > 0 else { return (.admit, tokens) }
        let level = level(tokens: tokens, since: since, now: now)
        if level >= 1 { return (.admit, level - 1) }
        return (.wait(until: now.addingTimeInterval((1 - level) * 60 / perMinute)), level)
    }
}

/// What a limit says about one more admission.
enum RateDecision: Sendable, Hashable {
    case admit
    case wait(until: Date)
}
