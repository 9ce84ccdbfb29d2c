import Contracts
import Foundation

/// A stored cron schedule. Times are UTC.
public struct Schedule: Codable, Sendable, Hashable {
    /// Stable id (derived from the name).
    public var id: String
    /// Unique human name.
    public var name: String
    /// A 5-field cron expression or macro.
    public var cron: String
    /// The submission published at each fire time (its job id is made per fire).
    public var job: JobSubmit
    /// Paused schedules do not fire.
    public var enabled: Bool
    /// The next fire time.
    public var nextFireAt: Date?
}

/// The body of `POST /schedules`.
struct ScheduleRequest: Codable, Sendable {
    var name: String
    var cron: String
    var job: JobSubmit
    var enabled: Bool?
}
