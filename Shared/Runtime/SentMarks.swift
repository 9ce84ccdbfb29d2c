import Logging
import Storage
import Toolkit

/// Marks outbox rows sent a moment after their messages were confirmed, many rows in one
/// statement: under load that is one `UPDATE` and one commit for the hops of many messages
/// instead of one each. A mark lost to a crash costs nothing but a re-send: the relay
/// publishes rows still unmarked after its minimum age (3 s, far above the 10 ms wait here),
/// and the consumers' inboxes drop the duplicate.
public final class SentMarks: Sendable {
    private struct State {
        var pending: [Int64] = []
        var scheduled = false
    }

    private let state = LockedValue(State())
    private let delay: Duration

    /// Marks, gathered for `delay` before they are written.
    public init(delay: Duration = .milliseconds(10)) { self.delay = delay }

    /// Adds `ids`; the first of a round schedules the write.
    func add(_ ids: [Int64], database: Database, logger: Logger) {
        guard !ids.isEmpty else { return }
        let schedule = state.update { state -> Bool in
            state.pending += ids
            defer { state.scheduled = true }
            return !state.scheduled
        }
        guard schedule else { return }
        let delay = self.delay
        Task {
            try? await Task.sleep(for: delay)
            let ids = state.update { state -> [Int64] in
                defer { state.pending = []; state.scheduled = false }
                return state.pending
            }
            do {
                try await Outbox.markSent(ids, database: database, logger: logger)
            } catch {
                logger.warning("outbox rows not marked sent; the relay will send them again",
                               metadata: ["rows": "\(ids.count)", "error": "\(error)"])
            }
        }
    }
}
