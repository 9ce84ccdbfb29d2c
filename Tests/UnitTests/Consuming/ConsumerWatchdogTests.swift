@testable import Consuming
import Logging
import Runtime
import Testing

/// The stall alarm: deliveries held without progress for the stall time raise it, once per
/// period; settling clears it.
@Suite("Consumer stall alarm")
struct ConsumerWatchdogTests {
    @Test("held deliveries with no progress set the stall gauge; progress clears it; idle is never a stall")
    func stallAlarm() {
        let metrics = MetricsRegistry()
        let watchdog = ConsumerWatchdog(stall: .seconds(60), logger: Logger(label: "test"), metrics: metrics,
                                        service: "validate")
        let gauge = { metrics.value("sluice_consumer_stalled", ["service": "validate"]) }
        let start = ContinuousClock.now
        watchdog.check(now: start + .seconds(120))
        #expect(gauge() == 0, "nothing held: idle, not stalled")
        watchdog.received(3)
        watchdog.check(now: .now + .seconds(30))
        #expect(gauge() == 0, "held for less than the stall time")
        watchdog.check(now: .now + .seconds(61))
        #expect(gauge() == 1, "held past the stall time")
        #expect(watchdog.inFlight == 3)
        watchdog.settled(3)
        #expect(gauge() == 0 && watchdog.inFlight == 0, "progress clears the alarm")
    }
}
