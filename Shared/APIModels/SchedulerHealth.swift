import Foundation

/// The scheduler's state in its `/health` (under `scheduler`) and in the gateway's status view.
public struct SchedulerHealth: Codable, Sendable, Hashable {
    /// One running replica.
    public struct Replica: Codable, Sendable, Hashable {
        /// `host-pid-…`, new at each start.
        public var id: String
        public var host: String
        public var pid: Int
        public var startedAt: Date
        /// Its last heartbeat (every 5 s while it runs).
        public var seenAt: Date

        /// A replica.
        public init(id: String, host: String, pid: Int, startedAt: Date, seenAt: Date) {
            self.id = id
            self.host = host
            self.pid = pid
            self.startedAt = startedAt
            self.seenAt = seenAt
        }
    }

    /// The most recent fire of any schedule.
    public struct LastFire: Codable, Sendable, Hashable {
        public var schedule: String
        public var scheduledAt: Date
        /// `fired`, `buffered`, `skipped`, `coalesced` or `missed`.
        public var outcome: String
        /// Its job (a `submit` schedule's).
        public var jobId: String?
        /// Its catalog batch (a `datasets` schedule's).
        public var batchId: String?
        /// Its job's or batch's state (`running`, `published`, `completed`, `failed`, …).
        public var state: String?

        /// A fire.
        public init(schedule: String, scheduledAt: Date, outcome: String, jobId: String?, batchId: String? = nil,
                    state: String?) {
            self.batchId = batchId
            self.schedule = schedule
            self.scheduledAt = scheduledAt
            self.outcome = outcome
            self.jobId = jobId
            self.state = state
        }
    }

    /// This replica's loop: `starting`, `running` or `stopping`.
    public var state: String
    /// The replica that answered.
    public var replica: String
    /// The leader: the longest-running live replica; it watches for overdue schedules. Every
    /// replica fires (each schedule row is claimed by one at a time).
    public var leader: String?
    /// Replicas seen in the last 15 s, oldest first.
    public var replicas: [Replica]
    /// Schedules, and how many are enabled.
    public var schedules: Int
    public var enabled: Int
    /// The next fire: which schedule, and when.
    public var nextSchedule: String?
    public var nextFireAt: Date?
    public var lastFire: LastFire?
    /// Enabled schedules that have not fired for two fire times in a row (an incident is open).
    public var overdue: [String]

    /// A state.
    public init(state: String, replica: String, leader: String?, replicas: [Replica], schedules: Int, enabled: Int,
                nextSchedule: String?, nextFireAt: Date?, lastFire: LastFire?, overdue: [String]) {
        self.state = state
        self.replica = replica
        self.leader = leader
        self.replicas = replicas
        self.schedules = schedules
        self.enabled = enabled
        self.nextSchedule = nextSchedule
        self.nextFireAt = nextFireAt
        self.lastFire = lastFire
        self.overdue = overdue
    }
}
