import Foundation

/// `schedule.overdue`: an enabled schedule let two of its fire times in a row pass without
/// submitting a job (the scheduler was down or behind, its catch-up policy dropped them, or
/// its overlap policy skipped them behind a run that does not end). The scheduler's leader
/// sends it once per such stretch; the incident service opens an incident.
public struct ScheduleOverdue: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.scheduleOverdue
    /// The schedule's id.
    public var scheduleId: String
    /// The schedule's name.
    public var name: String
    /// Its project (absent: `default`).
    public var project: String?
    /// Its cron expression and zone.
    public var cron: String
    public var zone: String
    /// The last fire that submitted a job (absent: none since it was created or resumed).
    public var lastFiredAt: Date?
    /// The fire times that passed without a job since then (the first ones, at most 10).
    public var missedFires: [Date]
    /// What happened, for a person.
    public var reason: String

    /// Creates the payload.
    public init(scheduleId: String, name: String, project: String?, cron: String, zone: String, lastFiredAt: Date?,
                missedFires: [Date], reason: String) {
        self.scheduleId = scheduleId
        self.name = name
        self.project = project
        self.cron = cron
        self.zone = zone
        self.lastFiredAt = lastFiredAt
        self.missedFires = missedFires
        self.reason = reason
    }
}
