import Foundation

/// The JSON envelope every Sluice message travels in.
///
/// Unknown fields are ignored on decode, so producers may add fields without breaking
/// consumers; an unknown `type` or an unsupported `version` is a permanent error.
public struct Envelope<Payload: MessagePayload>: Codable, Sendable {
    /// Unique and deterministic where the content is (see ``MessageID``), so a re-run
    /// produces the same ids and inboxes drop the duplicates.
    public var id: String
    /// The message type, equal to the AMQP routing key.
    public var type: MessageType
    /// The payload schema version.
    public var version: Int
    /// The job this message belongs to, when there is one.
    public var jobId: String?
    /// Shared by every message caused, directly or not, by one submission.
    public var correlationId: String
    /// The id of the message whose handling produced this one.
    public var causationId: String?
    /// 1 when first published. Retries keep the body byte for byte and count attempts in the
    /// `x-sluice-attempts` header instead.
    public var attempt: Int
    /// When the producer created the message.
    public var occurredAt: Date
    /// The service (or client) that produced the message.
    public var producer: String
    /// The job's priority (absent: normal). Every message a job causes inherits it, and work
    /// messages are routed by it (see ``Priority``).
    public var priority: Priority?
    /// The job's project (absent: none named). Inherited like the priority, so every stage
    /// can hold a paused project's work (docs/job-control.md).
    public var project: String?
    /// The typed body.
    public var payload: Payload

    /// Creates an envelope for `payload`, stamping its type and current version.
    public init(id: String, jobId: String?, correlationId: String, causationId: String?,
                producer: String = "", occurredAt: Date = Date(), attempt: Int = 1, priority: Priority? = nil,
                project: String? = nil, payload: Payload) {
        self.id = id
        self.priority = priority
        self.project = project
        self.type = Payload.messageType
        self.version = Payload.messageType.currentVersion
        self.jobId = jobId
        self.correlationId = correlationId
        self.causationId = causationId
        self.attempt = attempt
        self.occurredAt = occurredAt
        self.producer = producer
        self.payload = payload
    }

    /// An envelope for a message caused by `cause`: same correlation, priority and project, causation
    /// set, and the cause's job unless `jobId` names the job explicitly (ingest resolves the
    /// job id of a submission that did not carry one).
    public init<Cause>(id: String, causedBy cause: Envelope<Cause>, jobId: String? = nil, producer: String = "",
                       payload: Payload) {
        self.init(id: id, jobId: jobId ?? cause.jobId, correlationId: cause.correlationId,
                  causationId: cause.id, producer: producer, priority: cause.priority, project: cause.project,
                  payload: payload)
    }
}

/// The envelope without its payload: decoded first to route a message to its handler.
public struct EnvelopeHead: Codable, Sendable {
    /// See ``Envelope/id``.
    public var id: String
    /// The raw type string; it may name a type this build does not know.
    public var type: String
    /// See ``Envelope/version``.
    public var version: Int
    /// See ``Envelope/jobId``.
    public var jobId: String?
    /// See ``Envelope/correlationId``.
    public var correlationId: String
    /// See ``Envelope/causationId``.
    public var causationId: String?
    /// See ``Envelope/attempt``.
    public var attempt: Int?
    /// See ``Envelope/producer``.
    public var producer: String?

    /// A head from its parts.
    public init(id: String, type: String, version: Int, jobId: String?, correlationId: String,
                causationId: String? = nil, attempt: Int? = nil, producer: String? = nil) {
        self.id = id
        self.type = type
        self.version = version
        self.jobId = jobId
        self.correlationId = correlationId
        self.causationId = causationId
        self.attempt = attempt
        self.producer = producer
    }
}

extension Envelope {
    /// The envelope without its payload.
    public var head: EnvelopeHead {
        EnvelopeHead(id: id, type: type.rawValue, version: version, jobId: jobId, correlationId: correlationId,
                     causationId: causationId, attempt: attempt, producer: producer)
    }
}
