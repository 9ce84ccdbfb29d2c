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

    /// A schedule as stored.
    public init(id: String, name: String, cron: String, job: JobSubmit, enabled: Bool, nextFireAt: Date?) {
        self.id = id
        self.name = name
        self.cron = cron
        self.job = job
        self.enabled = enabled
        self.nextFireAt = nextFireAt
    }
}

/// The body of `POST /schedules`.
public struct ScheduleRequest: Codable, Sendable {
    /// Unique human name.
    public var name: String
    /// A 5-field cron expression or macro.
    public var cron: String
    /// The submission to publish at each fire time.
    public var job: JobSubmit
    /// Whether it fires (default true).
    public var enabled: Bool?

    /// A request.
    public init(name: String, cron: String, job: JobSubmit, enabled: Bool? = nil) {
        self.name = name
        self.cron = cron
        self.job = job
        self.enabled = enabled
    }
}
