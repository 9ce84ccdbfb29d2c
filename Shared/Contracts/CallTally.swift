import Foundation

/// What a chunk's `call` steps did (in `chunk.transformed`); publish adds the chunks up
/// into the results document's `calls` section.
public struct CallTally: Codable, Sendable, Hashable {
    /// Items (records) that reached a call step.
    public var items: Int
    /// Items answered with success.
    public var succeeded: Int
    /// Items that failed for good (reported with their errors).
    public var failed: Int
    /// Attempts beyond each item's first (retries after 429, 5xx, timeouts).
    public var retries: Int
    /// Items whose stored outcome from an earlier delivery was used instead of calling again.
    public var reused: Int
    /// Milliseconds spent calling, summed over items (all attempts, waits excluded).
    public var totalMillis: Int
    /// The slowest item's milliseconds.
    public var maxMillis: Int
    /// Dry run: what would have been called (the first few requests, secrets named, not shown).
    public var wouldCall: [CallPreview]?

    /// Creates a tally.
    public init(items: Int = 0, succeeded: Int = 0, failed: Int = 0, retries: Int = 0, reused: Int = 0,
                totalMillis: Int = 0, maxMillis: Int = 0, wouldCall: [CallPreview]? = nil) {
        self.items = items
        self.succeeded = succeeded
        self.failed = failed
        self.retries = retries
        self.reused = reused
        self.totalMillis = totalMillis
        self.maxMillis = maxMillis
        self.wouldCall = wouldCall
    }

    /// Adds another chunk's tally (previews kept up to `previews`).
    public mutating func add(_ other: CallTally, previews: Int = 20) {
        items += other.items
        succeeded += other.succeeded
        failed += other.failed
        retries += other.retries
        reused += other.reused
        totalMillis += other.totalMillis
        maxMillis = max(maxMillis, other.maxMillis)
        if let more = other.wouldCall {
            wouldCall = Array(((wouldCall ?? []) + more).prefix(previews))
        }
    }
}

/// A request a dry run would have sent.
public struct CallPreview: Codable, Sendable, Hashable {
    /// The record's source line.
    public var line: Int
    /// The plan step number.
    public var step: Int
    /// The method.
    public var method: String
    /// The URL.
    public var url: String
    /// The headers (secrets shown as `[secret NAME]`).
    public var headers: [String: String]
    /// The JSON body, if any.
    public var body: String?

    /// Creates a preview.
    public init(line: Int, step: Int, method: String, url: String, headers: [String: String], body: String?) {
        self.line = line
        self.step = step
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A per-project limit on call-step items (a token bucket), stamped into the job by ingest
/// from the project's own limits or the configured default.
public struct ItemRate: Codable, Sendable, Hashable {
    /// Items per minute.
    public var perMinute: Int
    /// Items a full bucket allows at once.
    public var burst: Int

    /// Creates a limit.
    public init(perMinute: Int, burst: Int) {
        self.perMinute = perMinute
        self.burst = burst
    }
}
