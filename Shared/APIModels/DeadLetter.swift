import Foundation

/// A stored failure, as listed over HTTP.
public struct StoredFailure: Codable, Sendable, Hashable {
    /// `dl-<hash>` for a dead letter, `jf-<hash>` for a failed job.
    public var id: String
    /// `dead-letter` (a message from a DLQ) or `job-failed` (a `job.failed` event).
    public var kind: String
    /// The DLQ it came from, e.g. `sluice.transform.dlq` (empty for a failed job).
    public var queue: String
    /// The failing service (for a failed job, the stage that failed it).
    public var service: String
    /// The message's AMQP message id (for a failed job, the `job.failed` envelope's id).
    public var messageId: String?
    /// The message type, e.g. `chunk.validated` (`job.failed` for a failed job).
    public var messageType: String?
    /// The job it belongs to (the `x-sluice-job-id` header), if any.
    public var jobId: String?
    /// The message's correlation id.
    public var correlationId: String?
    /// The stable error code, e.g. `plan.not-found`, or `broker.<reason>` when the broker dead-lettered it.
    public var errorType: String
    /// The error text, for a person.
    public var errorText: String
    /// Attempts made (`x-sluice-attempts`, else the `x-death` count; 1 for a failed job).
    public var attempts: Int
    /// The incident it is filed under.
    public var incidentId: String?
    /// `pending`, `redriving`, `redriven`, `redrive-failed`, `discarded`, or `recorded` (a
    /// failed job: nothing to re-drive).
    public var state: String
    /// Why it is in that state (the re-drive, the discard reason, …).
    public var stateReason: String?
    /// Times operators re-drove the message before this failure (`x-sluice-redrive-count`).
    public var redriveCount: Int
    /// When the incident service stored it (UTC).
    public var receivedAt: Date

    /// Creates the value, field by field.
    public init(id: String, kind: String, queue: String, service: String, messageId: String? = nil,
                messageType: String? = nil, jobId: String? = nil, correlationId: String? = nil, errorType: String,
                errorText: String, attempts: Int, incidentId: String? = nil, state: String, stateReason: String? = nil,
                redriveCount: Int, receivedAt: Date) {
        self.id = id
        self.kind = kind
        self.queue = queue
        self.service = service
        self.messageId = messageId
        self.messageType = messageType
        self.jobId = jobId
        self.correlationId = correlationId
        self.errorType = errorType
        self.errorText = errorText
        self.attempts = attempts
        self.incidentId = incidentId
        self.state = state
        self.stateReason = stateReason
        self.redriveCount = redriveCount
        self.receivedAt = receivedAt
    }
}

/// One dead letter in full: the failure, its fault headers and its original body.
public struct DeadLetterDetail: Codable, Sendable {
    /// The stored failure.
    public var failure: StoredFailure
    /// The exchange of the first failed delivery, e.g. `sluice.events`.
    public var originalExchange: String?
    /// Its routing key (the message type).
    public var originalRoutingKey: String?
    /// Where a re-drive sends it.
    public var targetQueue: String?
    /// Where the error was raised: `at <Module/File.swift:line>; host <name> pid <pid>; queue <queue>`.
    public var errorContext: String?
    /// Time of the first failure, as ISO 8601 UTC text with milliseconds.
    public var firstFailure: String?
    /// Time of the latest failure, as ISO 8601 UTC text with milliseconds.
    public var lastFailure: String?
    /// Every header, non-text values as JSON.
    public var headers: [String: String]
    /// The body as UTF-8 text (bodies are JSON envelopes; invalid bytes are replaced).
    public var body: String
    /// The stored body's size in bytes.
    public var bodyBytes: Int

    /// Creates the value, field by field.
    public init(failure: StoredFailure, originalExchange: String? = nil, originalRoutingKey: String? = nil,
                targetQueue: String? = nil, errorContext: String? = nil, firstFailure: String? = nil,
                lastFailure: String? = nil, headers: [String: String], body: String, bodyBytes: Int) {
        self.failure = failure
        self.originalExchange = originalExchange
        self.originalRoutingKey = originalRoutingKey
        self.targetQueue = targetQueue
        self.errorContext = errorContext
        self.firstFailure = firstFailure
        self.lastFailure = lastFailure
        self.headers = headers
        self.body = body
        self.bodyBytes = bodyBytes
    }
}

/// Which dead letters to list (every field optional; all given ones must match).
public struct DeadLetterFilter: Sendable {
    /// The incident they are filed under.
    public var incidentId: String?
    /// The job they belong to.
    public var jobId: String?
    /// Their correlation id.
    public var correlationId: String?
    /// The failing service.
    public var service: String?
    /// The message type.
    public var messageType: String?
    /// The exact error code.
    public var errorType: String?
    /// Case-insensitive substring of the error text.
    public var errorText: String?
    /// The failure's state, e.g. `pending`.
    public var state: String?
    /// Stored at or after this time (inclusive).
    public var since: Date?
    /// Stored before this time (exclusive).
    public var until: Date?
    /// A header name and the value it must have.
    public var header: (name: String, value: String)?
    /// The most failures to answer, newest first.
    public var limit: Int = 100

    /// A filter matching every failure (up to `limit`).
    public init() {}
}
