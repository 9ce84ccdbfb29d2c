import APIModels
import Contracts
import Foundation

/// A schedule's jitter: each fire waits a delay of 0 to `maxSeconds` seconds, derived from the
/// schedule and the fire time, so every replica agrees on it and a restart does not change it
/// (docs/schedules.md#jitter). The fire keeps its scheduled time in its job and history.
enum Jitter {
    /// The most a schedule may ask for: an hour.
    static let maxSeconds = 3_600

    /// The delay of the fire of `scheduleId` at `fireTime`.
    static func delay(scheduleId: String, fireTime: Date, maxSeconds: Int) -> TimeInterval {
        guard maxSeconds > 0 else { return 0 }
        let hex = MessageID.hash("jitter", scheduleId, String(Int64(fireTime.timeIntervalSince1970))).prefix(8)
        return TimeInterval((UInt64(hex, radix: 16) ?? 0) % UInt64(maxSeconds + 1))
    }

    /// When the fire at `fireTime` is due to be submitted.
    static func due(_ schedule: Schedule, fireTime: Date) -> Date {
        fireTime.addingTimeInterval(delay(scheduleId: schedule.id, fireTime: fireTime, maxSeconds: schedule.jitterSeconds))
    }
}
