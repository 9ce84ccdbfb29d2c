import APIModels
import Foundation

/// What becomes of a schedule's due fire times at one tick: a plain rule, tested directly.
///
/// A fire at most `onTime` late fires. A later one is *late*: within the catch-up window the
/// policy decides (`all` fires each, `latest` fires the newest and folds the others into it,
/// `skip` fires none); beyond the window it is missed. Every due time gets an outcome, so a
/// fire is never dropped without a record.
struct CatchUpPlan: Equatable {
    /// One due time's fate.
    struct Decision: Equatable {
        let time: Date
        /// `fired`, `coalesced` or `missed`.
        let outcome: String
        let reason: String?
    }

    let decisions: [Decision]

    /// How late a fire may be and still count as on time.
    static let onTime: TimeInterval = 60

    /// `backlog`: more due times follow these (a long outage, handled over several ticks);
    /// `latest` then fires none of these, the newest of the whole backlog fires later.
    init(due: [Date], now: Date, policy: CatchUp.Policy, windowSeconds: Int, backlog: Bool = false) {
        let window = TimeInterval(windowSeconds)
        let stamp = ISO8601DateFormatter()
        // The fire that late ones coalesce into: the newest one that fires.
        let newestCaught = backlog ? nil : due.last { now.timeIntervalSince($0) <= max(window, Self.onTime) }
        decisions = due.map { time in
            let lateness = now.timeIntervalSince(time)
            if lateness <= Self.onTime { return Decision(time: time, outcome: "fired", reason: nil) }
            let late = "due at \(stamp.string(from: time)) and \(Int(lateness)) s late (the scheduler was down or behind)"
            if lateness > window {
                return Decision(time: time, outcome: "missed",
                                reason: late + "; beyond the catch-up window of \(windowSeconds) s")
            }
            switch policy {
            case .all:
                return Decision(time: time, outcome: "fired", reason: nil)
            case .skip:
                return Decision(time: time, outcome: "missed", reason: late + "; the catch-up policy is skip")
            case .latest:
                if time == newestCaught { return Decision(time: time, outcome: "fired", reason: nil) }
                let into = newestCaught.map { "the fire of " + stamp.string(from: $0) } ?? "the newest fire of the backlog"
                return Decision(time: time, outcome: "coalesced", reason: late + "; coalesced into " + into)
            }
        }
    }
}
