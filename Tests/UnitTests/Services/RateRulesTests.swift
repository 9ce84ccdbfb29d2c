import Foundation
@testable import IngestService
import Testing

/// The rate limits' arithmetic, as plain values.
@Suite("Rate limit rules")
struct RateRulesTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a sliding window admits up to its limit in any window, then says when the oldest leaves")
    func slidingWindow() {
        let window = SlidingWindow(limit: 3, seconds: 60)
        let at = [0.0, 10, 20].map { t0.addingTimeInterval($0) }
        #expect(window.decide(admissions: Array(at.prefix(2)), now: t0.addingTimeInterval(30)) == .admit)
        #expect(window.decide(admissions: at, now: t0.addingTimeInterval(30)) == .wait(until: t0.addingTimeInterval(60)))
        #expect(window.decide(admissions: at, now: t0.addingTimeInterval(60.5)) == .admit, "the first has left")
        // Five in the window with a limit of 3 (e.g. after the limit was lowered): wait until two have left.
        let five = [0.0, 1, 2, 3, 4].map { t0.addingTimeInterval($0) }
        #expect(window.decide(admissions: five, now: t0.addingTimeInterval(5)) == .wait(until: t0.addingTimeInterval(62)))
        #expect(SlidingWindow(limit: 0, seconds: 60).decide(admissions: five, now: t0) == .admit, "0: no limit")
    }

    @Test("a token bucket refills at its rate up to its burst, and says when the next token comes")
    func tokenBucket() {
        let bucket = TokenBucket(perMinute: 6, burst: 2)
        let (first, left) = bucket.take(tokens: 2, since: t0, now: t0)
        #expect(first == .admit && left == 1)
        let (second, empty) = bucket.take(tokens: left, since: t0, now: t0)
        #expect(second == .admit && empty == 0)
        let (third, _) = bucket.take(tokens: empty, since: t0, now: t0)
        #expect(third == .wait(until: t0.addingTimeInterval(10)), "6 a minute: one every 10 s")
        #expect(bucket.level(tokens: 0, since: t0, now: t0.addingTimeInterval(600)) == 2, "never above the burst")
        #expect(bucket.take(tokens: 0.5, since: t0, now: t0.addingTimeInterval(5)).0 == .admit)
        #expect(TokenBucket(perMinute: 0, burst: 1).take(tokens: 0, since: t0, now: t0).0 == .admit, "0: no limit")
        #expect(TokenBucket.burst(nil, perMinute: 30) == 30 && TokenBucket.burst(nil, perMinute: 0) == 1)
        #expect(TokenBucket.burst(5, perMinute: 30) == 5 && TokenBucket.burst(0, perMinute: 30) == 1)
    }
}
