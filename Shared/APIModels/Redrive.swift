import Foundation

/// A re-drive: a frozen set of dead letters sent back to the queues they failed in, a
/// canary first, then the rest at a fixed rate.
public struct Redrive: Codable, Sendable, Hashable {
    /// `rd-<random>`.
    public var id: String
    /// The incident whose pending dead letters it sends (nil for a selection of ids).
    public var incidentId: String?
    /// `canary` (waiting for the first message), `running`, `completed`, `stopped`.
    public var state: String
    /// Messages per second after the canary.
    public var rate: Double
    /// Whether one message is sent alone first and the rest wait for its outcome.
    public var canary: Bool
    /// Dead letters in its frozen set.
    public var total: Int
    /// Copies sent so far.
    public var sent: Int
    /// Copies the service handled (`redrive.succeeded`).
    public var succeeded: Int
    /// Copies that failed again, could not be sent, or got no outcome in time.
    public var failed: Int
    /// Who started it (the `X-Sluice-Actor` header, else `operator`).
    public var actor: String
    /// Why it stopped, e.g. `stopped by alice` or `the canary failed again: …`.
    public var stopReason: String?
    /// When it was asked for (UTC).
    public var createdAt: Date
    /// When it completed or stopped (UTC).
    public var finishedAt: Date?

    /// Creates the value, field by field.
    public init(id: String, incidentId: String? = nil, state: String, rate: Double, canary: Bool, total: Int,
                sent: Int, succeeded: Int, failed: Int, actor: String, stopReason: String? = nil, createdAt: Date,
                finishedAt: Date? = nil) {
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

    /// Creates a request; fields left nil take their defaults.
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
    /// The re-drive started (nil on a dry run).
    public var redrive: Redrive?
    /// Whether this was a dry run: nothing was sent or changed.
    public var dryRun: Bool
    /// The dead letters in the set (on a dry run, those that would be sent).
    public var deadLetters: [StoredFailure]
    /// Why each requested dead letter that cannot be re-driven was skipped, by id.
    public var skipped: [String: String]

    /// Creates the value, field by field.
    public init(redrive: Redrive? = nil, dryRun: Bool, deadLetters: [StoredFailure], skipped: [String: String]) {
        self.redrive = redrive
        self.dryRun = dryRun
        self.deadLetters = deadLetters
        self.skipped = skipped
    }
}
