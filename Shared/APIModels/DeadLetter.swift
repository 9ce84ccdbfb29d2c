import Foundation


/// A stored failure, as listed over HTTP.
public struct StoredFailure: Codable, Sendable, Hashable {
    public var id: String
    /// `dead-letter` (a message from a DLQ) or `job-failed` (a `job.failed` event).
    public var kind: String
    public var queue: String
    public var service: String
    public var messageId: String?
    public var messageType: String?
    public var jobId: String?
    public var correlationId: String?
    public var errorType: String
    public var errorText: String
    public var attempts: Int
    public var incidentId: String?
    /// `pending`, `redriving`, `redriven`, `redrive-failed`, `discarded`, or `recorded` (a
    /// failed job: nothing to re-drive).
    public var state: String
    public var stateReason: String?
    public var redriveCount: Int
    public var receivedAt: Date

    /// Creates the value, field by field.
    public init(id: String, kind: String, queue: String, service: String, messageId: String? = nil, messageType: String? = nil, jobId: String? = nil, correlationId: String? = nil, errorType: String, errorText: String, attempts: Int, incidentId: String? = nil, state: String, stateReason: String? = nil, redriveCount: Int, receivedAt: Date) {
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
    public var failure: StoredFailure
    public var originalExchange: String?
    public var originalRoutingKey: String?
    /// Where a re-drive sends it.
    public var targetQueue: String?
    public var errorContext: String?
    public var firstFailure: String?
    public var lastFailure: String?
    /// Every header, non-text values as JSON.
    public var headers: [String: String]
    /// The body as UTF-8 text (bodies are JSON envelopes; invalid bytes are replaced).
    public var body: String
    public var bodyBytes: Int

    /// Creates the value, field by field.
    public init(failure: StoredFailure, originalExchange: String? = nil, originalRoutingKey: String? = nil, targetQueue: String? = nil, errorContext: String? = nil, firstFailure: String? = nil, lastFailure: String? = nil, headers: [String: String], body: String, bodyBytes: Int) {
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
    public var incidentId: String?
    public var jobId: String?
    public var correlationId: String?
    public var service: String?
    public var messageType: String?
    public var errorType: String?
    /// Case-insensitive substring of the error text.
    public var errorText: String?
    public var state: String?
    public var since: Date?
    public var until: Date?
    /// A header name and the value it must have.
    public var header: (name: String, value: String)?
    public var limit: Int = 100

    public init() {}
}
