import Foundation

/// `POST /schedules/{id}/backfill`: run a schedule for the fire times of a past (or any)
/// range, each as its own job with that fire time in its parameters.
public struct BackfillRequest: Codable, Sendable {
    /// The first instant of the range (a fire exactly at it is included).
    public var from: Date
    /// The end of the range (a fire exactly at it is not included).
    public var to: Date
    /// List the fire times only; submit nothing.
    public var dryRun: Bool?
    /// All runs at once (default) or one after another.
    public var overlap: BackfillOverlap?

    /// A request.
    public init(from: Date, to: Date, dryRun: Bool? = nil, overlap: BackfillOverlap? = nil) {
        self.overlap = overlap
        self.from = from
        self.to = to
        self.dryRun = dryRun
    }
}

/// What a backfill did (or, dry, would do).
public struct Backfill: Codable, Sendable {
    /// One run of the backfill.
    public struct Run: Codable, Sendable, Hashable {
        /// The fire time it runs for.
        public var scheduledAt: Date
        /// Its job (absent in a dry run).
        public var jobId: String?
        /// Its catalog batch instead, for a `datasets` schedule (absent in a dry run).
        public var batchId: String?
        /// `running` (submitted) or `waiting` (its turn comes when the one before it ends).
        public var state: String?

        /// A run.
        public init(scheduledAt: Date, jobId: String?, batchId: String? = nil, state: String? = nil) {
            self.batchId = batchId
            self.state = state
            self.scheduledAt = scheduledAt
            self.jobId = jobId
        }
    }

    /// The backfill's id (absent in a dry run).
    public var id: String?
    /// The schedule's id.
    public var scheduleId: String
    /// The range, as asked.
    public var from: Date
    /// The range's end, as asked.
    public var to: Date
    /// Whether nothing was submitted.
    public var dryRun: Bool
    /// How its runs share time.
    public var overlap: BackfillOverlap?
    /// One per fire time in the range, oldest first.
    public var runs: [Run]

    /// A backfill.
    public init(id: String?, scheduleId: String, from: Date, to: Date, dryRun: Bool, runs: [Run],
                overlap: BackfillOverlap? = nil) {
        self.overlap = overlap
        self.id = id
        self.scheduleId = scheduleId
        self.from = from
        self.to = to
        self.dryRun = dryRun
        self.runs = runs
    }
}
