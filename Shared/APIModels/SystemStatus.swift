import Foundation

/// The one status view (`GET /api/v1/status`, `sluice status`): services and replicas, queue
/// depths, jobs by state and priority, rate-limit buckets and the scheduler.
public struct SystemStatus: Codable, Sendable {
    /// `ok`, or `degraded` when a service is down or a dead-letter queue holds messages.
    public var status: String
    /// When it was taken.
    public var at: Date
    /// Each service.
    public var services: [ServiceStatus]
    /// Sluice's queues.
    public var queues: [QueueRow]
    /// Jobs not ended by state and priority, and jobs ended in the last 24 hours.
    public var jobs: [JobCount]
    /// Rate-limit buckets that are limiting or were used recently (empty when none is configured).
    public var rateLimits: [RateLimitBucket]
    /// The scheduler.
    public var scheduler: SchedulerStatus

    /// A status.
    public init(status: String, at: Date, services: [ServiceStatus], queues: [QueueRow], jobs: [JobCount],
                rateLimits: [RateLimitBucket], scheduler: SchedulerStatus) {
        self.status = status
        self.at = at
        self.services = services
        self.queues = queues
        self.jobs = jobs
        self.rateLimits = rateLimits
        self.scheduler = scheduler
    }
}

/// One service in the status view.
public struct ServiceStatus: Codable, Sendable, Hashable {
    /// The service.
    public var name: String
    /// `up` or `down` (its `/health`, at the address the gateway knows).
    public var health: String
    /// Replicas consuming its work queue (absent for a service without one).
    public var replicas: Int?
    /// Messages waiting in its queues (lanes and control queue included), and in its DLQ.
    public var waiting: Int
    /// Messages in its dead-letter queue.
    public var deadLetters: Int

    /// A service's status.
    public init(name: String, health: String, replicas: Int?, waiting: Int, deadLetters: Int) {
        self.name = name
        self.health = health
        self.replicas = replicas
        self.waiting = waiting
        self.deadLetters = deadLetters
    }
}

/// How many jobs are in one state at one priority.
public struct JobCount: Codable, Sendable, Hashable {
    /// The state.
    public var state: String
    /// `urgent`, `normal` or `low`.
    public var priority: String
    /// How many.
    public var count: Int

    /// A count.
    public init(state: String, priority: String, count: Int) {
        self.state = state
        self.priority = priority
        self.count = count
    }
}

/// One rate-limit bucket.
public struct RateLimitBucket: Codable, Sendable, Hashable {
    /// `user` (sliding window) or `project` (token bucket).
    public var scope: String
    /// The user or project.
    public var key: String
    /// What it limits: `jobs` or `items`.
    public var subject: String
    /// Admissions allowed per period.
    public var limit: Int
    /// Admissions still allowed now.
    public var available: Int
    /// Work waiting for it.
    public var waiting: Int

    /// A bucket.
    public init(scope: String, key: String, subject: String, limit: Int, available: Int, waiting: Int) {
        self.scope = scope
        self.key = key
        self.subject = subject
        self.limit = limit
        self.available = available
        self.waiting = waiting
    }
}

/// The scheduler in the status view.
public struct SchedulerStatus: Codable, Sendable, Hashable {
    /// `up` or `down`.
    public var health: String
    /// Schedules, and how many are enabled.
    public var schedules: Int
    public var enabled: Int
    /// The next fire: which schedule, and when.
    public var nextSchedule: String?
    public var nextFireAt: Date?
    /// The answering replica's loop (`running`, `starting`, `stopping`), absent when down.
    public var state: String?
    /// The leader replica and how many replicas are live.
    public var leader: String?
    public var replicas: Int?
    /// The most recent fire of any schedule.
    public var lastFire: SchedulerHealth.LastFire?
    /// Enabled schedules that stopped firing.
    public var overdue: [String]?

    /// A scheduler status.
    public init(health: String, schedules: Int, enabled: Int, nextSchedule: String?, nextFireAt: Date?,
                detail: SchedulerHealth? = nil) {
        state = detail?.state
        leader = detail?.leader
        replicas = detail?.replicas.count
        lastFire = detail?.lastFire
        overdue = detail?.overdue
        self.health = health
        self.schedules = schedules
        self.enabled = enabled
        self.nextSchedule = nextSchedule
        self.nextFireAt = nextFireAt
    }
}
