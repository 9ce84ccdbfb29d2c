import Contracts
import Foundation

/// A stored cron schedule: its expression is read on the wall clock of `zone`; the instants
/// (`nextFireAt`) are absolute.
public struct Schedule: Codable, Sendable, Hashable {
    /// Stable id (derived from the name).
    public var id: String
    /// Unique human name.
    public var name: String
    /// A 5-field cron expression or macro.
    public var cron: String
    /// The IANA time zone the expression is read in (`UTC` by default), with Vixie cron's
    /// daylight-saving rule (docs/schedules.md).
    public var zone: String
    /// The submission published at each fire time (its job id is made per fire); absent for
    /// a schedule whose action is not `submit`.
    public var job: JobSubmit?
    /// What it does at each fire (absent: submit `job`).
    public var action: ScheduleAction?
    /// The project it belongs to (absent in schedules of older schedulers: its job's).
    public var project: String?
    /// Paused schedules do not fire.
    public var enabled: Bool
    /// The next fire time (nil once `endAt` has passed).
    public var nextFireAt: Date?
    /// Late fires: the policy and window (nil: `latest` within `scheduler.misfire.grace.s`).
    public var catchUp: CatchUp?
    /// No fire before this instant.
    public var startAt: Date?
    /// No fire after this instant.
    public var endAt: Date?
    /// Why it was paused, as the person who paused it said (while `enabled` is false).
    public var pauseNote: String?
    /// When it was paused.
    public var pausedAt: Date?
    /// What a fire does while an earlier run still runs (default `skip`).
    public var overlap: Overlap
    /// Each fire is delayed by up to this many seconds (0 by default), the same delay for
    /// the same fire on every replica, so that many schedules at one time spread out.
    public var jitterSeconds: Int

    /// A schedule as stored.
    public init(id: String, name: String, cron: String, zone: String = "UTC", job: JobSubmit?, action: ScheduleAction? = nil,
                project: String? = nil, enabled: Bool,
                nextFireAt: Date?, catchUp: CatchUp? = nil, startAt: Date? = nil, endAt: Date? = nil,
                pauseNote: String? = nil, pausedAt: Date? = nil, overlap: Overlap = .skip, jitterSeconds: Int = 0) {
        self.overlap = overlap
        self.jitterSeconds = jitterSeconds
        self.action = action
        self.project = project ?? job?.project
        self.pauseNote = pauseNote
        self.pausedAt = pausedAt
        self.id = id
        self.name = name
        self.cron = cron
        self.zone = zone
        self.job = job
        self.enabled = enabled
        self.nextFireAt = nextFireAt
        self.catchUp = catchUp
        self.startAt = startAt
        self.endAt = endAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, cron, zone, job, action, project, enabled, nextFireAt, catchUp, startAt, endAt, pauseNote, pausedAt, overlap
        case jitterSeconds
    }

    /// Decodes a schedule; one from a scheduler that predates zones is in UTC, one that
    /// predates overlap policies allowed all.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        cron = try container.decode(String.self, forKey: .cron)
        zone = try container.decodeIfPresent(String.self, forKey: .zone) ?? "UTC"
        job = try container.decodeIfPresent(JobSubmit.self, forKey: .job)
        action = try container.decodeIfPresent(ScheduleAction.self, forKey: .action)
        project = try container.decodeIfPresent(String.self, forKey: .project) ?? job?.project
        enabled = try container.decode(Bool.self, forKey: .enabled)
        nextFireAt = try container.decodeIfPresent(Date.self, forKey: .nextFireAt)
        catchUp = try container.decodeIfPresent(CatchUp.self, forKey: .catchUp)
        startAt = try container.decodeIfPresent(Date.self, forKey: .startAt)
        endAt = try container.decodeIfPresent(Date.self, forKey: .endAt)
        pauseNote = try container.decodeIfPresent(String.self, forKey: .pauseNote)
        pausedAt = try container.decodeIfPresent(Date.self, forKey: .pausedAt)
        overlap = try container.decodeIfPresent(Overlap.self, forKey: .overlap) ?? .allowAll
        jitterSeconds = try container.decodeIfPresent(Int.self, forKey: .jitterSeconds) ?? 0
    }
}

/// The body of `POST /schedules`.
public struct ScheduleRequest: Codable, Sendable {
    /// Unique human name.
    public var name: String
    /// A 5-field cron expression or macro.
    public var cron: String
    /// The IANA time zone to read the expression in (default `UTC`).
    public var zone: String?
    /// The submission to publish at each fire time (for the `submit` action, the default).
    public var job: JobSubmit?
    /// What to do at each fire (absent: submit `job`).
    public var action: ScheduleAction?
    /// The project (absent: the job's, else `default`).
    public var project: String?
    /// Whether it fires (default true).
    public var enabled: Bool?
    /// Late fires (default: `latest` within `scheduler.misfire.grace.s`).
    public var catchUp: CatchUp?
    /// No fire before this instant.
    public var startAt: Date?
    /// No fire after this instant.
    public var endAt: Date?
    /// What a fire does while an earlier run still runs (default `skip`).
    public var overlap: Overlap?
    /// Delay each fire by up to this many seconds (0 to 3,600; default 0).
    public var jitterSeconds: Int?

    /// A request.
    public init(name: String, cron: String, zone: String? = nil, job: JobSubmit?, action: ScheduleAction? = nil,
                project: String? = nil, enabled: Bool? = nil,
                catchUp: CatchUp? = nil, startAt: Date? = nil, endAt: Date? = nil, overlap: Overlap? = nil,
                jitterSeconds: Int? = nil) {
        self.overlap = overlap
        self.jitterSeconds = jitterSeconds
        self.action = action
        self.project = project
        self.name = name
        self.cron = cron
        self.zone = zone
        self.job = job
        self.enabled = enabled
        self.catchUp = catchUp
        self.startAt = startAt
        self.endAt = endAt
    }
}

/// `POST /schedules/{id}/pause`: why.
public struct SchedulePause: Codable, Sendable {
    /// Why it is paused (shown with the schedule).
    public var note: String?

    /// A pause.
    public init(note: String?) { self.note = note }
}
