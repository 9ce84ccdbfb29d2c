import Foundation
import Logging
import Runtime
import Toolkit

/// Notices a consumer that holds deliveries but settles none: logs at error level (and
/// sets `sluice_consumer_stalled`) whenever that has lasted longer than the stall time, so
/// a wedge is loud instead of silent.
final class ConsumerWatchdog: Sendable {
    private struct State {
        var inFlight = 0
        var lastProgress = ContinuousClock.now
        var alarmed = false
        var lastAlarm: ContinuousClock.Instant?
    }

    let stall: Duration
    let logger: Logger
    let metrics: MetricsRegistry
    let service: String
    private let state = LockedValue(State())

    init(stall: Duration, logger: Logger, metrics: MetricsRegistry, service: String) {
        self.stall = stall
        self.logger = logger
        self.metrics = metrics
        self.service = service
    }

    /// Deliveries received and not yet settled.
    var inFlight: Int { state.get().inFlight }

    func received(_ count: Int) {
        state.update { state in
            if state.inFlight == 0 { state.lastProgress = .now }
            state.inFlight += count
        }
    }

    func settled(_ count: Int) {
        let recovered = state.update { state -> Bool in
            state.inFlight = max(0, state.inFlight - count)
            state.lastProgress = .now
            defer {
                state.alarmed = false
                state.lastAlarm = nil
            }
            return state.alarmed
        }
        if recovered {
            metrics.set("sluice_consumer_stalled", ["service": service], 0)
            logger.warning("consumer is making progress again")
        }
    }

    /// Checks until cancelled, four times per stall period.
    func watch() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: stall / 4)
            check()
        }
    }

    func check(now: ContinuousClock.Instant = .now) {
        let (stalled, inFlight, since) = state.update { state -> (Bool, Int, Duration) in
            let since = now - state.lastProgress
            guard state.inFlight > 0, since >= stall else { return (false, state.inFlight, since) }
            // Once per stall period while it lasts, not on every check.
            if let last = state.lastAlarm, now - last < stall { return (false, state.inFlight, since) }
            state.alarmed = true
            state.lastAlarm = now
            return (true, state.inFlight, since)
        }
        guard stalled else { return }
        metrics.set("sluice_consumer_stalled", ["service": service], 1)
        logger.error("consumer stalled: deliveries held without progress", metadata: [
            "in_flight": "\(inFlight)", "since": "\(since)", "stall_limit": "\(stall)"])
    }
}
