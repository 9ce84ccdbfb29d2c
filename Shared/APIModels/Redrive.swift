import Foundation

/// A re-drive: a frozen set of dead letters sent back to the queues they failed in, a
/// canary first, then the rest at a fixed rate.
public struct Redrive: Codable, Sendable, Hashable {
    public var id: String
    public var incidentId: String?
    /// `canary` (waiting for the first message), `running`, `completed`, `stopped`.
    public var state: String
    /// Messages per second after the canary.
    public var rate: Double
    public var canary: Bool
    public var total: Int
    public var sent: Int
    public var succeeded: Int
    public var failed: Int
    public var actor: String
    public var stopReason: String?
    public var createdAt: Date
    public var finishedAt: Date?

    /// Creates the value, field by field.
    public init(id: String, incidentId: String? = nil, state: String, rate: Double, canary: Bool, total: Int, sent: Int, succeeded: Int, failed: Int, actor: String, stopReason: String? = nil, createdAt: Date, finishedAt: Date? = nil) {
        self.id = id
        self.incidentId = incidentId
        self.state = state
        self.rate = rate
        self.canary = canary
        self.total = total
        self.sent = sent
        self.succeeded = succeeded
        self.failed = failed
        self.actor = actor
        self.stopReason = stopReason
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}

/// What to re-drive, as asked over HTTP.
public struct RedriveRequest: Codable, Sendable {
    /// Dead letters by id (a selection); ignored when `incidentId` is set.
    public var deadLetterIds: [String]?
    /// Every pending dead letter of this incident.
    public var incidentId: String?
    /// Only list what would be sent.
    public var dryRun: Bool?
    /// Messages per second after the canary (default `incident.redrive.rate`).
    public var rate: Double?
    /// Send one message first and wait for its outcome (default true).
    public var canary: Bool?

    public init(deadLetterIds: [String]? = nil, incidentId: String? = nil, dryRun: Bool? = nil, rate: Double? = nil,
                canary: Bool? = nil) {
        self.deadLetterIds = deadLetterIds
        self.incidentId = incidentId
        self.dryRun = dryRun
        self.rate = rate
        self.canary = canary
    }
}

/// The answer to a re-drive request: the re-drive (absent on a dry run), the dead letters
/// in the set, and those that were asked for but cannot be re-driven, with why.
public struct RedrivePlan: Codable, Sendable {
    public var redrive: Redrive?
    public var dryRun: Bool
    public var deadLetters: [StoredFailure]
    public var skipped: [String: String]

    /// Creates the value, field by field.
    public init(redrive: Redrive? = nil, dryRun: Bool, deadLetters: [StoredFailure], skipped: [String: String]) {
        self.redrive = redrive
        self.dryRun = dryRun
        self.deadLetters = deadLetters
        self.skipped = skipped
    }
}
